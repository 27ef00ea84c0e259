import numpy as np
import pytest

from codebot.primitives import geometry
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.workspace import DEFAULT_WORKSPACE as WS


def test_named_locations_follow_code_as_policies_conventions():
    assert np.allclose(geometry.location_xyz("top left corner"), [-0.25, -0.25, 0.0])
    assert np.allclose(geometry.location_xyz("bottom right corner"), [0.25, -0.75, 0.0])
    assert np.allclose(geometry.location_xyz("left side"), [-0.25, -0.5, 0.0])
    assert np.allclose(geometry.location_xyz("The Middle"), [0.0, -0.5, 0.0])
    assert np.allclose(geometry.location_xyz("center"), geometry.location_xyz("middle"))
    for name in geometry.LOCATION_NAMES:
        assert WS.contains(geometry.location_xyz(name))


def test_unknown_location_lists_the_known_ones():
    with pytest.raises(InvalidArgumentError) as err:
        geometry.location_xyz("kitchen")
    assert "top left corner" in err.value.message and err.value.kind == "invalid_argument"


def test_denormalize_round_trip_and_corners():
    assert np.allclose(geometry.denormalize([0, 0]), [-0.3, -0.8, 0])
    assert np.allclose(geometry.denormalize([1, 1]), [0.3, -0.2, 0])
    p = geometry.denormalize([0.25, 0.75])
    assert np.allclose(geometry.normalize(p), [0.25, 0.75])
    with pytest.raises(InvalidArgumentError):
        geometry.denormalize([0.5])
    with pytest.raises(InvalidArgumentError):
        geometry.denormalize([np.nan, 0.5])


def test_directions_and_ordering():
    assert np.allclose(geometry.direction_vector("left"), [-1, 0])
    assert np.allclose(geometry.direction_vector("up"), [0, 1])
    assert np.allclose(geometry.direction_vector([3.0, 4.0]), [0.6, 0.8])
    pts = np.array([[0.1, -0.5], [-0.2, -0.4], [0.0, -0.7]])
    assert list(geometry.order_along(pts, "left")) == [1, 2, 0]
    assert list(geometry.order_along(pts, "top")) == [1, 0, 2]
    for side, direction in [("right side", "right"), ("the top edge", "top"), ("left-hand side", "left"),
                            ("Up", "top")]:
        assert geometry.direction_name(side) == direction, side  # toward a side is that side's direction
    with pytest.raises(InvalidArgumentError, match="unknown direction"):
        geometry.direction_vector("sideways")
    with pytest.raises(InvalidArgumentError, match="unknown direction"):
        geometry.direction_vector("top left corner")
    # an object where a direction goes: the error says which call puts something on it
    with pytest.raises(InvalidArgumentError, match=r"'pink block' is an object, not a direction: put_first_on_second"):
        geometry.direction_vector("pink block")
    with pytest.raises(InvalidArgumentError) as sideways:
        geometry.direction_vector("sideways")
    assert "is an object" not in str(sideways.value)
    with pytest.raises(InvalidArgumentError, match="zero length"):
        geometry.direction_vector([0, 0])


def test_offset_moves_in_the_named_direction():
    assert np.allclose(geometry.offset([0, -0.5, 0], "right", 0.1), [0.1, -0.5, 0])
    assert np.allclose(geometry.offset([0, -0.5], "bottom", 0.05), [0, -0.55, 0])


@pytest.mark.parametrize("kind", ["horizontal", "vertical", "diagonal", "anti-diagonal"])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_line_points_are_inside_evenly_spaced_and_on_the_line(kind, n):
    pts = geometry.line_points(kind, n)
    assert pts.shape == (n, 3)
    assert all(WS.contains(p) for p in pts)
    if n > 1:
        gaps = np.linalg.norm(np.diff(pts[:, :2], axis=0), axis=1)
        assert np.allclose(gaps, gaps[0]) and gaps[0] >= 0.1
        d = pts[-1, :2] - pts[0, :2]
        if kind == "horizontal":
            assert np.allclose(pts[:, 1], pts[0, 1])
        elif kind == "vertical":
            assert np.allclose(pts[:, 0], pts[0, 0])
        else:
            assert abs(abs(d[0]) - abs(d[1])) < 1e-9


def test_line_near_an_edge_is_shifted_inside():
    pts = geometry.line_points("horizontal", 4, center=[0.28, -0.5], spacing=0.12)
    assert all(WS.contains(p) for p in pts)
    assert np.allclose(np.diff(pts[:, 0]), 0.12)


def test_bad_line_arguments():
    with pytest.raises(InvalidArgumentError, match="line kind"):
        geometry.line_points("zigzag", 3)
    for n in (0, -1, 2.5, True, 100):
        with pytest.raises(InvalidArgumentError):
            geometry.line_points("horizontal", n)


@pytest.mark.parametrize("bad", ["abc", None, [1, 2, 3, 4], [np.inf, 0], object()])
def test_as_xyz_rejects_bad_positions(bad):
    with pytest.raises(InvalidArgumentError):
        geometry.as_xyz(bad)


@pytest.mark.parametrize("kind", ["circle", "square", "triangle"])
@pytest.mark.parametrize("n", [1, 3, 4, 6])
def test_shape_points_lie_on_the_outline(kind, n):
    pts = geometry.shape_points(kind, n, center=[0.0, -0.5], size=0.2)
    assert pts.shape == (n, 3) and all(WS.contains(p) for p in pts)
    rel = pts[:, :2] - [0.0, -0.5]
    r = np.linalg.norm(rel, axis=1)
    if kind == "circle":
        assert np.allclose(r, 0.1)
    else:
        assert np.all(r <= 0.1 + 1e-9) and np.all(r >= 0.1 * (0.49 if kind == "triangle" else 0.7))
    assert np.isclose(rel[0, 1], rel[:, 1].max())  # the first point is the top one
    if n > 1:
        assert len({tuple(np.round(p, 6)) for p in pts}) == n


def test_shape_points_reject_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="unknown shape") as hexagon:
        geometry.shape_points("hexagon", 3)
    assert "points_on_line" not in str(hexagon.value)
    with pytest.raises(InvalidArgumentError, match=r"for a line: points_on_line"):
        geometry.shape_points("diagonal", 3)  # a shape example copied for a line
    with pytest.raises(InvalidArgumentError, match="size"):
        geometry.shape_points("circle", 3, size=-1)


def test_nearest_face_yaw_turns_the_wrist_at_most_45_degrees():
    import math

    from codebot.primitives.hand import nearest_face_yaw

    for current in np.linspace(-3.5, 3.5, 29):
        for yaw in np.linspace(-3.2, 3.2, 33):
            out = nearest_face_yaw(float(yaw), float(current))
            assert abs(out - current) <= math.pi / 4 + 1e-9
            k = (out - yaw) / (math.pi / 2)
            assert abs(k - round(k)) < 1e-9  # the same cube face direction


def test_a_place_named_in_the_instructions_own_words_is_the_same_place():
    # programs copy the instruction's words: "left edge", "right-hand side of the table", "upper left corner"
    for said, known in [("left edge", "left side"), ("the bottom edge", "bottom side"),
                        ("right-hand side of the table", "right side"), ("upper left corner", "top left corner"),
                        ("lower right corner", "bottom right corner"), ("centre of the table", "middle"),
                        ("the top edge of the table", "top side")]:
        assert np.allclose(geometry.location_xyz(said), geometry.location_xyz(known)), said
    with pytest.raises(InvalidArgumentError):
        geometry.location_xyz("left edge of the kitchen")
