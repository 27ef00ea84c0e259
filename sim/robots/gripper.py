"""A parallel gripper driven by position control: one driving joint value `g` and every gripper
joint follows `multiplier * g` (the Robotiq 2F-85's mimic joints, the Panda's two fingers).
Grasp detection comes only from real contacts: both finger sides touching the same object."""
from __future__ import annotations

from dataclasses import dataclass


TOUCH_TOLERANCE = 0.002  # m: a finger pad this close to a body counts as touching it


@dataclass(frozen=True)
class GripperSpec:
    joints: dict[str, float]  # joint name -> multiplier of the driving value
    open_value: float
    closed_value: float
    force: float  # per joint, N or N*m
    max_velocity: float  # of the driving value per second
    left_links: tuple[str, ...]  # links whose contacts count as the left finger
    right_links: tuple[str, ...]
    lateral_friction: float = 1.5
    # Rubber-like finger pads: a compliant contact spreads the squeeze over the pad face instead of
    # the one edge a rigid pad touches first (a block held on an edge pivots and swings out while the
    # arm moves), and torsional friction resists the block turning about the grasp axis.
    pad_stiffness: float | None = 3e4  # N/m; None: rigid
    pad_damping: float = 50.0  # N*s/m
    pad_spinning_friction: float = 0.02  # m
    # True: only the first joint has a motor and the others follow it through gear constraints, so
    # both fingers close symmetrically like the real single-actuator 2F-85 linkage.
    coupled: bool = False
    # joints that only follow for looks (no collision): driven by cheap motors instead of gears
    cosmetic: tuple[str, ...] = ()


class Gripper:
    def __init__(self, robot, spec: GripperSpec):
        self.robot = robot
        self.spec = spec
        p, body, c = robot.p, robot.body, robot.client
        index = robot.link_index
        self.joints = [(robot.joint_index[name], mult) for name, mult in spec.joints.items()]
        self.left = {index[n] for n in spec.left_links}
        self.right = {index[n] for n in spec.right_links}
        self.target = spec.open_value
        for link in self.left | self.right:
            p.changeDynamics(body, link, lateralFriction=spec.lateral_friction,
                             spinningFriction=spec.pad_spinning_friction, frictionAnchor=1, physicsClientId=c)
            if spec.pad_stiffness is not None:
                p.changeDynamics(body, link, contactStiffness=spec.pad_stiffness, contactDamping=spec.pad_damping,
                                 physicsClientId=c)
        self.gears: list[int] = []
        cosmetic = {robot.joint_index[n] for n in spec.cosmetic}
        self.cosmetic = [(j, m) for j, m in self.joints if j in cosmetic]
        if spec.coupled:
            lead = self.joints[0][0]
            for j, m in self.joints[1:]:
                if j in cosmetic:
                    continue
                p.setJointMotorControl2(body, j, p.VELOCITY_CONTROL, targetVelocity=0, force=0,
                                        physicsClientId=c)
                gear = p.createConstraint(body, lead, body, j, p.JOINT_GEAR, [1, 0, 0], [0, 0, 0], [0, 0, 0],
                                          physicsClientId=c)
                p.changeConstraint(gear, gearRatio=-m, maxForce=10 * spec.force, erp=1.0, physicsClientId=c)
                self.gears.append(gear)

    def command(self, value: float) -> None:
        p, r = self.robot.p, self.robot
        self.target = float(value)
        joints = self.joints[:1] + self.cosmetic if self.spec.coupled else self.joints
        idx = [j for j, _ in joints]
        p.setJointMotorControlArray(
            r.body, idx, p.POSITION_CONTROL, targetPositions=[m * self.target for _, m in joints],
            forces=[self.spec.force] * len(idx), positionGains=[0.2] * len(idx),
            physicsClientId=r.client)

    def reset(self, value: float | None = None) -> None:
        """Teleport the fingers (no physics) and hold them there."""
        value = self.spec.open_value if value is None else value
        for j, m in self.joints:
            self.robot.p.resetJointState(self.robot.body, j, m * value, physicsClientId=self.robot.client)
        self.command(value)

    def driving_position(self) -> float:
        j, m = self.joints[0]
        return self.robot.p.getJointState(self.robot.body, j, physicsClientId=self.robot.client)[0] / m

    def move(self, value: float, max_time: float = 1.0) -> None:
        """Drive the fingers towards `value` until they arrive or stall against an object."""
        r = self.robot
        start = self.driving_position()
        self.command(value)
        steps = int(max_time / r.world.timestep)
        min_steps = int(abs(value - start) / self.spec.max_velocity / r.world.timestep * 0.5) + 5
        last = start
        still = 0
        for k in range(steps):
            r._step_holding(1)
            pos = self.driving_position()
            if abs(pos - value) < 1e-3:
                break
            still = still + 1 if abs(pos - last) < 2e-5 else 0
            last = pos
            if k > min_steps and still >= 8:
                break

    def contacts_by_side(self) -> tuple[set[int], set[int]]:
        """Bodies each finger side touches (the robot itself excluded)."""
        r = self.robot
        left, right = set(), set()
        for c in r.p.getContactPoints(bodyA=r.body, physicsClientId=r.client):
            other, link = c[2], c[3]
            if other == r.body:
                continue
            if link in self.left:
                left.add(other)
            elif link in self.right:
                right.add(other)
        return left, right

    def held_object(self) -> int | None:
        """The body both finger sides touch. A side counts as touching within TOUCH_TOLERANCE, not only
        when the last step's contact manifold lists a point: a held block's manifold on one pad can
        drop out for a step while the arm decelerates, and that must not read as a dropped block."""
        left, right = self.contacts_by_side()
        for body in sorted((left | right) - self.robot.ignored_bodies):
            if (body in left or self._near(body, self.left)) and (body in right or self._near(body, self.right)):
                return body
        return None

    def _near(self, body: int, links: set[int]) -> bool:
        r = self.robot
        return any(r.p.getClosestPoints(r.body, body, TOUCH_TOLERANCE, linkIndexA=link, physicsClientId=r.client)
                   for link in links)
