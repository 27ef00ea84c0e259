"""Perception and spatial primitives on a hand-made scene (StaticPerception), including their errors."""
import numpy as np
import pytest

from codebot.primitives import perceive, spatial, speech
from codebot.primitives.errors import InvalidArgumentError, ObjectNotFoundError


def test_names_positions_boxes_colours(scene_backend):
    names = perceive.get_obj_names()
    assert "red block" in names and "blue bowl" in names and len(names) == 7
    assert sorted(perceive.get_bowls()) == ["blue bowl", "green bowl"]
    assert np.allclose(perceive.get_obj_pos("red block"), [-0.2, -0.3, 0.02])
    assert np.allclose(perceive.get_obj_pos("  The Red_Block "), [-0.2, -0.3, 0.02])
    lo, hi = perceive.get_bbox("blue bowl")
    assert np.allclose(hi - lo, [0.12, 0.12, 0.045])
    assert perceive.get_color("green bowl") == "green" and perceive.get_kind("green bowl") == "bowl"
    assert perceive.is_obj_visible("red block") and not perceive.is_obj_visible("purple block")
    assert not perceive.is_obj_visible(42)


def test_unknown_object_error_lists_names_and_suggests(scene_backend):
    with pytest.raises(ObjectNotFoundError) as err:
        perceive.get_obj_pos("red blok")
    e = err.value
    assert e.kind == "object_not_found"
    assert "known objects: blue block, blue bowl" in e.message and "Did you mean 'red block'?" in e.message
    d = e.to_dict()
    assert d["type"] == "ObjectNotFoundError" and "red block" in d["details"]["known"]
    with pytest.raises(InvalidArgumentError, match="must be a string"):
        perceive.get_obj_pos(3)


def test_stacks_and_bowl_contents(scene_backend):
    assert perceive.get_objects_on("green block") == ["yellow block"]
    assert perceive.get_objects_on("yellow block") == []
    assert perceive.what_is_in("blue bowl") == ["orange block"]
    assert perceive.what_is_in("green bowl") == []
    assert perceive.what_is_in("green block") == ["yellow block"]


def test_locations_and_distances(scene_backend):
    assert np.allclose(spatial.get_location("top right corner"), [0.25, -0.25, 0])
    assert np.allclose(spatial.denormalize_xy([0.5, 0.5]), [0, -0.5, 0])
    assert spatial.get_distance("red block", [-0.2, -0.4]) == pytest.approx(0.1)
    assert spatial.get_distance("middle", "top side") == pytest.approx(0.25)
    blocks = ["red block", "green block", "blue block"]
    assert spatial.closest_to(blocks, "green bowl") == "green block"
    assert spatial.farthest_from(blocks, "green bowl") == "blue block"
    assert spatial.sort_by_distance(blocks, "top left corner")[0] == "red block"
    assert spatial.closest_to(spatial.get_corner_names(), "blue block") == "bottom right corner"
    # The target itself is never its own nearest neighbour.
    assert spatial.closest_to(blocks, "red block") != "red block"


def test_get_location_of_an_objects_name_is_where_the_object_is(scene_backend):
    # programs ask "the location of the green block" with get_location: the object's centre, not an error
    assert np.allclose(spatial.get_location("Red Block"), perceive.get_obj_pos("red block"))
    assert np.allclose(spatial.get_location("blue bowl"), perceive.get_obj_pos("blue bowl"))
    with pytest.raises(InvalidArgumentError, match="unknown location 'purple block'; known locations: top left"):
        spatial.get_location("purple block")  # neither a place nor an object in the scene


def test_direction_relations(scene_backend):
    blocks = ["red block", "green block", "blue block"]
    assert spatial.sort_by_direction(blocks, "left") == ["red block", "green block", "blue block"]
    assert spatial.sort_by_direction(blocks, "top") == ["red block", "green block", "blue block"]
    assert spatial.nth_from(blocks, 2, "right") == "green block"
    assert spatial.get_objects_in_direction(blocks, "blue bowl", "right") == ["green block", "blue block"]
    assert spatial.is_in_direction("red block", "blue bowl", "left")
    assert not spatial.is_in_direction("red block", "blue bowl", "bottom")
    assert np.allclose(spatial.offset_xyz("blue bowl", "left", 0.1)[:2], [-0.2, -0.6])
    with pytest.raises(InvalidArgumentError, match="from 1 to 3"):
        spatial.nth_from(blocks, 0, "left")
    with pytest.raises(ObjectNotFoundError, match="empty"):
        spatial.closest_to([], "blue bowl")
    with pytest.raises(InvalidArgumentError, match="unknown direction"):
        spatial.sort_by_direction(blocks, "north-east")


def test_colour_matching(scene_backend):
    assert spatial.matching_color("blue block", perceive.get_bowls()) == "blue bowl"
    assert spatial.matching_color("red block", perceive.get_bowls()) is None
    assert spatial.filter_by_color(perceive.get_obj_names(), "green") == ["green block", "green bowl"]


def test_points_on_line_uses_the_bound_workspace(scene_backend):
    pts = spatial.points_on_line("vertical", 3, center="middle")
    assert np.allclose(pts[:, 0], 0.0) and np.allclose(np.mean(pts[:, 1]), -0.5)


def test_unknown_target_lists_objects_and_locations(scene_backend):
    with pytest.raises(ObjectNotFoundError) as err:
        spatial.get_distance("moon", "red block")
    assert "Locations: top left corner" in err.value.message


def test_say_goes_to_the_backend(scene_backend):
    speech.say("hello")
    speech.say(3)
    speech.say("x" * 1000)
    said = scene_backend.services["said"]
    assert said[:2] == ["hello", "3"] and len(said[2]) == speech.MAX_MESSAGE + 3
    with pytest.raises(InvalidArgumentError):
        speech.say(object())


def test_primitives_need_a_bound_backend():
    from codebot.primitives import context

    context.bind(None)
    with pytest.raises(RuntimeError, match="no robot backend is bound"):
        perceive.get_obj_names()


def test_put_first_on_second_checks_the_target_before_picking(scene_backend):
    # robot=None in this backend: reaching pick() would fail with AttributeError, so these prove the
    # target is judged first.
    from codebot.primitives import motion
    from codebot.primitives.errors import OutsideWorkspaceError

    with pytest.raises(ObjectNotFoundError, match="no object named 'moon'"):
        motion.put_first_on_second("red block", "moon")
    with pytest.raises(OutsideWorkspaceError, match="x=0.52 > 0.30"):
        motion.put_first_on_second("red block", [0.52, -0.5])
    with pytest.raises(InvalidArgumentError, match="on itself"):
        motion.put_first_on_second("red block", "Red Block")


def test_side_by_side_blocks_with_overlapping_boxes_are_not_on_each_other():
    from codebot.primitives import lookup
    from codebot.primitives.protocols import ObjectInfo

    def block(name, x, z, half):  # a block turned 45 degrees: its axis-aligned box is wider than the block
        return ObjectInfo(name=name, kind="block", color=name.split()[0], position=(x, -0.4, z),
                          bbox_min=(x - half, -0.4 - half, z - 0.02), bbox_max=(x + half, -0.4 + half, z + 0.02),
                          yaw=0.78)

    # both on the table, one a fraction of a millimetre higher (the sim never settles them exactly level)
    a, b = block("red block", 0.0, 0.0204, 0.028), block("blue block", 0.027, 0.0201, 0.028)
    assert not lookup.resting_on(a, b) and not lookup.resting_on(b, a)
    on_top = ObjectInfo(name="green block", kind="block", color="green", position=(0.027, -0.4, 0.0603),
                        bbox_min=(0.007, -0.42, 0.0403), bbox_max=(0.047, -0.38, 0.0803), yaw=0.0)
    assert lookup.resting_on(on_top, b)
