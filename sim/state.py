"""Scene state: object poses as ObjectInfo, on/in relations, and save/restore snapshots."""
from __future__ import annotations

import math
from dataclasses import dataclass


from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import ObjectInfo
from codebot.sim.objects import BLOCK_SIZE, BOWL_HEIGHT, BOWL_INNER_RADIUS, ObjectSpec


def object_info(p, client: int, body: int, spec: ObjectSpec) -> ObjectInfo:
    lo, hi = p.getAABB(body, -1, physicsClientId=client)
    _, quat = p.getBasePositionAndOrientation(body, physicsClientId=client)
    yaw = p.getEulerFromQuaternion(quat)[2]
    if spec.kind == "block":  # a cube looks the same every quarter turn: report yaw in [-pi/4, pi/4)
        yaw = (yaw + math.pi / 4) % (math.pi / 2) - math.pi / 4
    centre = tuple(float((a + b) / 2) for a, b in zip(lo, hi))
    return ObjectInfo(name=spec.name, kind=spec.kind, color=spec.color, position=centre,
                      bbox_min=tuple(float(v) for v in lo), bbox_max=tuple(float(v) for v in hi), yaw=float(yaw))


def relations(infos: list[ObjectInfo], table_z: float = 0.0) -> list[tuple[str, str, str]]:
    """(a, "in", bowl) when a's centre is inside a bowl's rim and below its top; (a, "on", b) when a
    rests on top of block b. Geometry only, so it also works on perceived (non-sim) objects."""
    out = []
    for a in infos:
        a_bottom = a.bbox_min[2]
        for b in infos:
            if a is b:
                continue
            dxy = math.hypot(a.position[0] - b.position[0], a.position[1] - b.position[1])
            if b.kind == "bowl":
                if dxy < BOWL_INNER_RADIUS and b.bbox_min[2] - 0.01 < a_bottom < b.bbox_min[2] + BOWL_HEIGHT - 0.005 \
                        and a.position[2] > b.bbox_min[2]:
                    out.append((a.name, "in", b.name))
            elif b.kind == "block":
                top = b.bbox_max[2]
                if dxy < BLOCK_SIZE * 0.75 and abs(a_bottom - top) < 0.012:
                    out.append((a.name, "on", b.name))
    return sorted(out)


@dataclass
class Snapshot:
    """A saved physics state (PyBullet saveState id) plus the Python-side state PyBullet does not
    know about. Release it with env.release(snap) (or it is released on env.close())."""

    state_id: int
    steps: int
    gripper_target: float
    arm_target: list[float]
    stopped: bool
    scene_key: tuple
    released: bool = False


def check_snapshot(snap, scene_key: tuple) -> Snapshot:
    if not isinstance(snap, Snapshot):
        raise InvalidArgumentError(f"expected a Snapshot from env.snapshot(), got {type(snap).__name__}")
    if snap.released:
        raise InvalidArgumentError("this snapshot was already released")
    if snap.scene_key != scene_key:
        raise InvalidArgumentError("this snapshot belongs to a different scene (the env was reset since)")
    return snap


