"""Perceived objects as codebot_interfaces/PerceivedObjectArray (the typed successor of the JSON `objects`
topic) and back. codebot_interfaces is built into the venv by `make setup`; without it, `available()` is False
and codebot's nodes keep to the JSON topic alone."""
from __future__ import annotations

import math
from typing import Sequence

from codebot.primitives.protocols import ObjectInfo
from codebot.ros.plumbing.convert import sec_to_stamp, stamp_to_sec


def message_types():
    """(PerceivedObject, PerceivedObjectArray), or None when codebot_interfaces is not built."""
    try:
        from codebot_interfaces.msg import PerceivedObject, PerceivedObjectArray
    except ImportError:
        return None
    return PerceivedObject, PerceivedObjectArray


def available() -> bool:
    return message_types() is not None


def objects_to_msg(objects: Sequence[ObjectInfo], stamp: float, frame_id: str = "world"):
    PerceivedObject, PerceivedObjectArray = message_types()
    msg = PerceivedObjectArray()
    msg.header.frame_id = frame_id
    sec_to_stamp(stamp, msg.header.stamp)
    for o in objects:
        item = PerceivedObject(name=o.name, kind=o.kind, color=o.color, visible=bool(o.visible),
                               score=float(o.score))
        item.pose.position.x, item.pose.position.y, item.pose.position.z = (float(v) for v in o.position)
        item.pose.orientation.z, item.pose.orientation.w = math.sin(o.yaw / 2), math.cos(o.yaw / 2)
        item.bbox_min.x, item.bbox_min.y, item.bbox_min.z = (float(v) for v in o.bbox_min)
        item.bbox_max.x, item.bbox_max.y, item.bbox_max.z = (float(v) for v in o.bbox_max)
        msg.objects.append(item)
    return msg


def objects_from_msg(msg) -> tuple[float, list[ObjectInfo]]:
    """(header stamp in seconds, the objects); the yaw is read back from the pose's quaternion."""
    out = []
    for item in msg.objects:
        p, q = item.pose.position, item.pose.orientation
        yaw = math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z))
        out.append(ObjectInfo(name=item.name, kind=item.kind, color=item.color, position=(p.x, p.y, p.z),
                              bbox_min=(item.bbox_min.x, item.bbox_min.y, item.bbox_min.z),
                              bbox_max=(item.bbox_max.x, item.bbox_max.y, item.bbox_max.z), yaw=yaw,
                              visible=bool(item.visible), score=float(item.score)))
    return stamp_to_sec(msg.header.stamp), out
