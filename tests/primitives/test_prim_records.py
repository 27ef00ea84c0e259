"""ObjectInfo and SceneSpec round-trip through their plain form and JSON; bad records name their field."""
import json

import numpy as np
import pytest

from codebot.primitives.protocols import ObjectInfo
from codebot.primitives.records import RecordError
from codebot.checks.scene import SceneSpec


def red_block(**changes) -> ObjectInfo:
    fields = dict(name="red block", kind="block", color="red", position=(0.1, -0.5, 0.02),
                  bbox_min=(0.08, -0.52, 0.0), bbox_max=(0.12, -0.48, 0.04), yaw=0.3, visible=False, score=0.75)
    return ObjectInfo(**{**fields, **changes})


def test_object_record_round_trips_through_plain_data_and_json():
    o = red_block()
    plain = o.to_plain()
    assert ObjectInfo.from_plain(json.loads(json.dumps(plain))) == o
    assert plain["position"] == [0.1, -0.5, 0.02] and plain["visible"] is False


def test_object_record_plain_form_is_json_types_to_a_tenth_of_a_millimetre():
    o = red_block(position=tuple(np.array([0.123456789, 0.0, 1.0])), yaw=np.float32(0.5))
    plain = o.to_plain()
    assert plain["position"] == [0.1235, 0.0, 1.0]
    assert all(type(v) is float for v in plain["position"]) and type(plain["yaw"]) is float


def test_object_record_optional_fields_default_and_unknown_keys_are_left_out():
    plain = {k: v for k, v in red_block().to_plain().items() if k not in ("yaw", "visible", "score")}
    o = ObjectInfo.from_plain({**plain, "from_a_newer_writer": 1})
    assert (o.yaw, o.visible, o.score) == (0.0, True, 1.0)


@pytest.mark.parametrize("change, field", [
    ({"position": [0.1, 0.2]}, "'position' must be 3 numbers"),
    ({"bbox_max": ["0.1", 0.2, 0.3]}, "'bbox_max' must be 3 numbers"),
    ({"kind": 3}, "'kind' must be a string"),
    ({"visible": "yes"}, "'visible' must be true or false"),
    ({"yaw": None}, "'yaw' must be a number"),
])
def test_bad_object_record_names_the_object_and_the_field(change, field):
    with pytest.raises(RecordError, match=field) as info:
        ObjectInfo.from_plain({**red_block().to_plain(), **change})
    assert "red block" in str(info.value)


def test_object_record_missing_field_and_non_dict():
    plain = red_block().to_plain()
    del plain["bbox_min"]
    with pytest.raises(RecordError, match="missing field 'bbox_min'"):
        ObjectInfo.from_plain(plain)
    with pytest.raises(RecordError, match="expected a dict, got list"):
        ObjectInfo.from_plain([1, 2])


def test_scene_spec_round_trips_and_refuses_a_bad_list():
    scene = SceneSpec(("red", "blue"), ("green",))
    assert SceneSpec.from_plain(json.loads(json.dumps(scene.to_plain()))) == scene
    assert SceneSpec.from_plain({"blocks": ["red"]}) == SceneSpec(("red",), ())
    with pytest.raises(RecordError, match="scene: 'bowls' must be a list of strings"):
        SceneSpec.from_plain({"blocks": [], "bowls": "blue"})
