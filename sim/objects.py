"""Scene bodies: the table, 4 cm blocks and the project's bowls, in the ten palette colours."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codebot.primitives.colors import COLORS, OBJECT_KINDS, rgba
from codebot.primitives.errors import InvalidArgumentError

ASSETS = Path(__file__).resolve().parent / "assets"
BLOCK_SIZE = 0.04
BLOCK_MASS = 0.05
BOWL_RIM_RADIUS = 0.06
BOWL_INNER_RADIUS = 0.048  # horizontal radius inside which something counts as "in" the bowl
BOWL_HEIGHT = 0.045
TABLE_THICKNESS = 0.05
TABLE_COLOR = (0.93, 0.91, 0.86, 1.0)
OBJECT_FRICTION = 1.0


@dataclass(frozen=True)
class ObjectSpec:
    kind: str
    color: str

    @property
    def name(self) -> str:
        return f"{self.color} {self.kind}"


def check_color(color: str, kind: str) -> None:
    if not isinstance(kind, str) or kind not in OBJECT_KINDS:
        raise InvalidArgumentError(f"unknown object kind {kind!r}; valid kinds: {', '.join(OBJECT_KINDS)}",
                                   kind=str(kind), valid=list(OBJECT_KINDS))
    if not isinstance(color, str) or color not in COLORS:
        raise InvalidArgumentError(f"unknown colour {color!r} for a {kind}; valid colours: {', '.join(COLORS)}",
                                   color=str(color), valid=list(COLORS))


def create_table(p, client: int, x=(-0.6, 0.6), y=(-1.0, 0.25)) -> int:
    """A static box whose top face is the plane z=0 of the table frame."""
    half = [(x[1] - x[0]) / 2, (y[1] - y[0]) / 2, TABLE_THICKNESS / 2]
    centre = [(x[0] + x[1]) / 2, (y[0] + y[1]) / 2, -TABLE_THICKNESS / 2]
    col = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=client)
    vis = p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=TABLE_COLOR, physicsClientId=client)
    body = p.createMultiBody(0, col, vis, centre, physicsClientId=client)
    p.changeDynamics(body, -1, lateralFriction=OBJECT_FRICTION, physicsClientId=client)
    return body


def create_block(p, client: int, color: str, position, yaw: float = 0.0) -> int:
    check_color(color, "block")
    half = [BLOCK_SIZE / 2] * 3
    col = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=client)
    vis = p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=rgba(color), physicsClientId=client)
    body = p.createMultiBody(BLOCK_MASS, col, vis, list(position), p.getQuaternionFromEuler([0, 0, yaw]),
                             physicsClientId=client)
    p.changeDynamics(body, -1, lateralFriction=OBJECT_FRICTION, spinningFriction=0.001,
                     rollingFriction=0.0001, physicsClientId=client)
    return body


def create_bowl(p, client: int, color: str, position, yaw: float = 0.0) -> int:
    check_color(color, "bowl")
    # Bowls are fixed to the table (primitives never pick bowls): blocks rest in them reliably and
    # the static bowl/table pair costs nothing per step (a dynamic compound of 17 shapes on the
    # table costs ~17 narrow-phase checks per step).
    body = p.loadURDF(str(ASSETS / "bowl.urdf"), list(position), p.getQuaternionFromEuler([0, 0, yaw]),
                      useFixedBase=True, physicsClientId=client)
    p.changeVisualShape(body, -1, rgbaColor=rgba(color), physicsClientId=client)
    p.changeDynamics(body, -1, lateralFriction=OBJECT_FRICTION, physicsClientId=client)
    return body


def create_object(p, client: int, spec: ObjectSpec, position, yaw: float = 0.0) -> int:
    make = create_block if spec.kind == "block" else create_bowl
    return make(p, client, spec.color, position, yaw)


def resting_height(kind: str) -> float:
    """z of the body origin when the object rests on the table."""
    return BLOCK_SIZE / 2 if kind == "block" else 0.0
