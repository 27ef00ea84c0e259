"""A PyBullet arm implementing `codebot.primitives.protocols.Robot`: IK on a kinematic copy, straight-line
tool motion executed in physics with position control, joint/velocity limits and workspace checks.
Subclasses (one module per robot) give the URDF, joint names, TCP, home pose and gripper."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from codebot.primitives.errors import (CollisionError, EmergencyStopError, InvalidArgumentError, JointLimitError,
                               OutsideWorkspaceError, RobotConnectionError, UnreachableError,
                               VelocityLimitError)
from codebot.primitives.protocols import JointLimits, Pose
from codebot.primitives.workspace import DEFAULT_WORKSPACE, Workspace
from codebot.sim.robots.gripper import Gripper, GripperSpec
from codebot.sim.robots.kinematics import KinematicModel, indices_in, quat_angle
from codebot.sim.robots.trajectory import check_vector, interpolate, slerp

DEFAULT_SPEED = 0.6  # m/s of the tool centre point
MAX_SPEED = 1.5  # the tool speed envelope; faster requests raise VelocityLimitError
YAW_RATE = 3.0  # rad/s
WAYPOINT_SPACING = 0.02  # m between IK solutions along a straight line (joints interpolate between)
MAX_JOINT_JUMP = 0.5  # rad between neighbouring waypoints; more means the IK branch flipped
IK_POSITION_TOL = 1e-3  # m, at the target
PATH_POSITION_TOL = 3e-3  # m, at intermediate waypoints (the line may bend this much)
MAX_TRAJECTORY_S = 600.0  # a longer joint trajectory is a unit mistake, not a motion
RAMP = (2.5, 1.7, 1.25)  # slow-down factors of the first/last segments
IK_ORIENTATION_TOL = 1e-2  # rad


class SimRobot:
    name: str = ""
    arm_joint_names: tuple[str, ...] = ()
    tcp_link_name: str = ""
    home_joints: tuple[float, ...] = ()
    base_position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    base_yaw: float = 0.0
    gripper_spec: GripperSpec
    velocity_fraction = 0.9  # of each URDF joint velocity limit the planner may use

    @classmethod
    def urdf_path(cls) -> str:
        raise NotImplementedError

    @classmethod
    def kinematic_urdf_path(cls) -> str:
        """URDF for the IK copy: the same chain to the TCP; may leave out the gripper's joints."""
        return cls.urdf_path()

    urdf_flags: int = 0

    def __init__(self, world, workspace: Workspace = DEFAULT_WORKSPACE):
        self.world = world
        self.p, self.client = world.p, world.client
        self.workspace = workspace
        p, c = self.p, self.client
        base_quat = p.getQuaternionFromEuler([0, 0, self.base_yaw])
        path = self.urdf_path()
        flags = self.urdf_flags
        self.body = p.loadURDF(path, self.base_position, base_quat, useFixedBase=True, flags=flags,
                               physicsClientId=c)
        n = p.getNumJoints(self.body, physicsClientId=c)
        infos = [p.getJointInfo(self.body, j, physicsClientId=c) for j in range(n)]
        self.joint_index = {i[1].decode(): i[0] for i in infos}
        self.link_index = {i[12].decode(): i[0] for i in infos}
        self.arm = [self.joint_index[name] for name in self.arm_joint_names]
        self.tcp = self.link_index[self.tcp_link_name]
        self._limits = JointLimits(lower=np.array([infos[j][8] for j in self.arm]),
                                   upper=np.array([infos[j][9] for j in self.arm]),
                                   velocity=np.array([infos[j][11] for j in self.arm]))
        self._forces = [max(infos[j][10], 50.0) * 2 for j in self.arm]
        kin_path = self.kinematic_urdf_path()
        if kin_path == path:
            kin_arm, kin_tcp = self.arm, self.tcp
        else:  # same joint and link names, other indices
            kin_arm, kin_tcp = indices_in(p, kin_path, tuple(self.arm_joint_names), self.tcp_link_name)
        self.kin = KinematicModel(p, kin_path, self.base_position, base_quat, kin_arm, kin_tcp, flags,
                                  rest=self.home_joints)
        self.gripper = Gripper(self, self.gripper_spec)
        # links that may not touch the table or objects: everything past the first joint except the
        # fingers (which touch objects when grasping; they may brush the table, not press on it)
        self.finger_links = self.gripper.left | self.gripper.right
        self.collision_links = set(range(self.arm[1], n)) - self.finger_links
        self.ignored_bodies: set[int] = set()  # e.g. the table, for grasp detection
        self.collision_bodies: set[int] = set()  # bodies the arm links may not touch
        self.stopped = False
        self.on_motion: Callable[[str, dict], None] | None = None
        self.reset_joints(self.home_joints)

    # ---- state -------------------------------------------------------------------------------------
    def layout_region(self, workspace: Workspace) -> Workspace:
        """Where the layout sampler may put objects for this robot (the whole workspace by default)."""
        return workspace

    def joint_names(self) -> list[str]:
        return list(self.arm_joint_names)

    def joint_positions(self) -> np.ndarray:
        if self.world.client is None:
            raise RobotConnectionError(f"the simulation of {self.name} is closed")
        states = self.p.getJointStates(self.body, self.arm, physicsClientId=self.client)
        return np.array([s[0] for s in states])

    def joint_velocities(self) -> np.ndarray:
        states = self.p.getJointStates(self.body, self.arm, physicsClientId=self.client)
        return np.array([s[1] for s in states])

    def joint_limits(self) -> JointLimits:
        return self._limits

    def ee_pose(self) -> Pose:
        st = self.p.getLinkState(self.body, self.tcp, computeForwardKinematics=1, physicsClientId=self.client)
        return Pose(tuple(float(v) for v in st[4]), tuple(float(v) for v in st[5]))

    def ee_yaw(self) -> float:
        m = np.array(self.p.getMatrixFromQuaternion(self.ee_pose().orientation)).reshape(3, 3)
        return math.atan2(m[1, 0], m[0, 0])

    def tool_down(self, yaw: float) -> np.ndarray:
        """Quaternion of the tool pointing at the table, rotated `yaw` about world z."""
        return np.array(self.p.getQuaternionFromEuler([math.pi, 0.0, yaw]))

    def gripper_width_value(self) -> float:
        return self.gripper.driving_position()

    # ---- teleport (tests, twin sync, reset) -------------------------------------------------------
    def reset_joints(self, q) -> None:
        q = check_vector(q, len(self.arm), "joint positions")
        self._check_limits(q)
        for j, v in zip(self.arm, q):
            self.p.resetJointState(self.body, j, float(v), 0.0, physicsClientId=self.client)
        self._hold(q)
        self.gripper.reset()

    # ---- motions ------------------------------------------------------------------------------------
    def move_ee(self, position, yaw: float | None = None, speed: float | None = None) -> None:
        self._check_running()
        times, path = self.plan_move_ee(position, yaw, speed)
        self._execute(times, path)
        if self.on_motion:
            self.on_motion("move_ee", {"position": [float(v) for v in position], "yaw": yaw})

    def plan_move_ee(self, position, yaw: float | None = None, speed: float | None = None,
                     q0=None) -> tuple[np.ndarray, np.ndarray]:
        """The straight tool line `move_ee` would run, without moving: knot times (N,) in seconds
        and joint positions (N, J), starting at `q0` (default: the current joints). Raises the same
        errors as move_ee (workspace, IK, joint and velocity limits)."""
        target = check_vector(position, 3, "position")
        if yaw is not None and not (isinstance(yaw, (int, float, np.floating)) and math.isfinite(yaw)):
            raise InvalidArgumentError(f"yaw must be a finite number of radians, got {yaw!r}", yaw=str(yaw))
        if speed is not None:
            if not (isinstance(speed, (int, float, np.floating)) and math.isfinite(speed) and speed > 0):
                raise InvalidArgumentError(f"speed must be a positive number of m/s, got {speed!r}",
                                           speed=str(speed))
            if speed > MAX_SPEED:
                raise VelocityLimitError(f"tool speed {speed:.2f} m/s exceeds the limit {MAX_SPEED:.2f} m/s",
                                         speed=float(speed), limit=MAX_SPEED)
        reason = self.workspace.violation(target)
        if reason:
            raise OutsideWorkspaceError(f"target outside workspace ({reason})", target=target.tolist())
        q0 = self.joint_positions() if q0 is None else check_vector(q0, len(self.arm), "start joints")
        p0, quat0 = self.kin.fk(q0)
        m = np.array(self.p.getMatrixFromQuaternion(list(quat0))).reshape(3, 3)
        yaw0 = math.atan2(m[1, 0], m[0, 0])
        yaw1 = yaw0 if yaw is None else _nearest_equivalent_yaw(float(yaw), yaw0)
        quat1 = self.tool_down(yaw1)
        dist = float(np.linalg.norm(target - p0))
        turn = quat_angle(quat0, quat1)
        n = max(1, math.ceil(dist / WAYPOINT_SPACING), math.ceil(turn / 0.05))
        path = [q0]
        for i in range(1, n + 1):
            s = i / n
            pos, quat = p0 + s * (target - p0), slerp(quat0, quat1, s)
            # waypoints only need to keep the line straight to well under a millimetre
            q, perr, oerr = self.kin.ik(pos, quat, path[-1], tol=1e-5 if i == n else 3e-4)
            if perr > (IK_POSITION_TOL if i == n else PATH_POSITION_TOL) or oerr > IK_ORIENTATION_TOL:
                raise UnreachableError(
                    f"{self.name} cannot move in a straight line through {np.round(pos, 3).tolist()} with "
                    f"the tool down (IK residual {perr * 1000:.1f} mm, {math.degrees(oerr):.1f} deg)",
                    target=target.tolist(), residual_m=perr)
            self._check_limits(q, what="IK solution")
            jump = float(np.max(np.abs(q - path[-1])))
            if jump > MAX_JOINT_JUMP:
                raise UnreachableError(
                    f"{self.name} cannot follow a straight line to {np.round(target, 3).tolist()}: the arm "
                    f"would have to flip configuration (joint jump {jump:.2f} rad)", target=target.tolist())
            path.append(q)
        tool_speed = DEFAULT_SPEED if speed is None else float(speed)
        seg_time = max(dist / n / tool_speed, turn / n / YAW_RATE, 1e-3)
        times = self._time_path(path, seg_time, strict=speed is not None)
        return times, np.array(path)

    def move_joints(self, positions, speed_scale: float = 1.0) -> None:
        self._check_running()
        q1 = check_vector(positions, len(self.arm), "joint positions")
        if not (isinstance(speed_scale, (int, float, np.floating)) and math.isfinite(speed_scale)
                and speed_scale > 0):
            raise InvalidArgumentError(f"speed_scale must be a positive number, got {speed_scale!r}")
        if speed_scale > 1.0:
            raise VelocityLimitError(f"speed_scale {speed_scale} > 1 would exceed the joint velocity limits",
                                     speed_scale=float(speed_scale))
        self._check_limits(q1)
        q0 = self.joint_positions()
        vmax = self._limits.velocity * self.velocity_fraction * 0.5 * speed_scale
        duration = max(float(np.max(np.abs(q1 - q0) / vmax)), 0.05)
        n = max(2, math.ceil(duration / 0.05))
        s = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, n + 1))  # smooth start and stop
        path = q0[None, :] + s[:, None] * (q1 - q0)[None, :]
        self._execute(np.linspace(0.0, duration, n + 1), path)

    def execute_joint_trajectory(self, times, positions) -> None:
        """Run a time-parameterised joint trajectory in physics; the first point may be at t>0, then
        the motion starts from the current joints. Raises on limit violations before moving."""
        self._check_running()
        try:
            t = np.asarray(times, dtype=float).reshape(-1)
            q = np.asarray(positions, dtype=float)
        except (TypeError, ValueError):
            raise InvalidArgumentError("trajectory times and positions must be numbers",
                                       times=repr(times)[:80], positions=repr(positions)[:80]) from None
        if t.size == 0 or q.ndim != 2 or q.shape != (t.size, len(self.arm)):
            raise InvalidArgumentError(
                f"trajectory needs N times and N x {len(self.arm)} positions, got {t.shape} and {q.shape}",
                times_shape=list(t.shape), positions_shape=list(q.shape))
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(q))):
            raise InvalidArgumentError("trajectory contains NaN or infinite values")
        if t[0] < 0 or np.any(np.diff(t) <= 0):
            raise InvalidArgumentError("trajectory times must be non-negative and strictly increasing",
                                       times=t.tolist())
        if t[-1] > MAX_TRAJECTORY_S:
            raise InvalidArgumentError(f"trajectory lasts {t[-1]:.1f} s; at most {MAX_TRAJECTORY_S:.0f} s are allowed",
                                       duration=float(t[-1]))
        for row in q:
            self._check_limits(row, what="trajectory point")
        if t[0] > 0:
            t, q = np.concatenate([[0.0], t]), np.vstack([self.joint_positions(), q])
        else:  # a point at t=0 must be where the arm already is
            gap = float(np.max(np.abs(q[0] - self.joint_positions())))
            if gap > 0.01:
                raise InvalidArgumentError(f"the trajectory point at t=0 is {gap:.3f} rad away from the current "
                                           f"joints; start at the current position or at t>0", gap=gap)
            q = q.copy()
            if t.size == 1:
                self._hold(q[0])
                return
        self._check_velocities(t, q, strict=True)
        self._execute(t, q)

    def home(self) -> None:
        self.move_joints(np.array(self.home_joints))

    def open_gripper(self) -> None:
        self._check_running()
        self.gripper.move(self.gripper_spec.open_value, max_time=0.6)

    def close_gripper(self) -> bool:
        self._check_running()
        self.gripper.move(self.gripper_spec.closed_value, max_time=0.8)
        return self.is_grasping()

    def is_grasping(self) -> bool:
        return self.gripper.held_object() is not None

    def held_object(self) -> int | None:
        return self.gripper.held_object()


    def stop(self) -> None:
        self.stopped = True
        self._hold(self.joint_positions())

    def reset_stop(self) -> None:
        self.stopped = False

    # ---- internals --------------------------------------------------------------------------------
    def _check_running(self) -> None:
        if self.world.client is None:
            raise RobotConnectionError(f"the simulation of {self.name} is closed")
        if self.stopped:
            raise EmergencyStopError(f"{self.name} is emergency-stopped; reset it before moving again")

    def _check_limits(self, q, what: str = "target") -> None:
        lo, hi = self._limits.lower, self._limits.upper
        bad = np.nonzero((q < lo - 1e-6) | (q > hi + 1e-6))[0]
        if bad.size:
            j = int(bad[0])
            raise JointLimitError(
                f"{what}: joint {self.arm_joint_names[j]} = {q[j]:.3f} rad is outside its limits "
                f"[{lo[j]:.3f}, {hi[j]:.3f}]", joint=self.arm_joint_names[j], value=float(q[j]),
                lower=float(lo[j]), upper=float(hi[j]))

    def _check_velocities(self, t, q, strict: bool) -> None:
        vel = np.abs(np.diff(q, axis=0)) / np.diff(t)[:, None]
        limit = self._limits.velocity * (1.0 if strict else self.velocity_fraction)
        over = np.argwhere(vel > limit[None, :] * 1.0001)
        if over.size:
            k, j = (int(v) for v in over[0])
            raise VelocityLimitError(
                f"joint {self.arm_joint_names[j]} would move at {vel[k, j]:.2f} rad/s, above its limit "
                f"{self._limits.velocity[j]:.2f} rad/s", joint=self.arm_joint_names[j],
                velocity=float(vel[k, j]), limit=float(self._limits.velocity[j]))

    def _time_path(self, path, seg_time: float, strict: bool) -> np.ndarray:
        """Knot times for a waypoint path at the requested tool speed; without an explicit speed,
        segments that would exceed a joint velocity limit are slowed down instead."""
        q = np.array(path)
        dq = np.abs(np.diff(q, axis=0))
        need = np.max(dq / (self._limits.velocity * self.velocity_fraction)[None, :], axis=1)
        if strict and np.any(need > seg_time * 1.0001):
            self._check_velocities(np.arange(len(path)) * seg_time, q, strict=False)
        dt = np.maximum(seg_time, need)
        # ease in and out: the first and last segments run slower (about 0.1 s of ramp each way)
        for i, f in enumerate(RAMP[: len(dt) // 2 or 1]):
            dt[i] *= f
            if len(dt) - 1 - i != i:
                dt[-1 - i] *= f
        return np.concatenate([[0.0], np.cumsum(dt)])

    def hold(self, q=None) -> None:
        """Keep the arm at `q` (default: where it is) with the position motors."""
        self._hold(self.joint_positions() if q is None else check_vector(q, len(self.arm), "joint positions"))

    def _hold(self, q) -> None:
        self.arm_target = np.array(q, dtype=float)
        self.p.setJointMotorControlArray(self.body, self.arm, self.p.POSITION_CONTROL,
                                         targetPositions=list(q), targetVelocities=[0.0] * len(self.arm),
                                         forces=self._forces, physicsClientId=self.client)

    def _step_holding(self, n: int) -> None:
        self.world.step(n)

    def _execute(self, t: np.ndarray, q: np.ndarray) -> None:
        p, c, ts = self.p, self.client, self.world.timestep
        n_steps = max(1, math.ceil(t[-1] / ts))
        gains = [0.3] * len(self.arm)
        for k in range(1, n_steps + 1):
            if self.stopped:
                self._hold(self.joint_positions())
                raise EmergencyStopError(f"{self.name} was emergency-stopped during a motion")
            qk, vk = interpolate(t, q, min(k * ts, t[-1]))
            p.setJointMotorControlArray(self.body, self.arm, p.POSITION_CONTROL, targetPositions=list(qk),
                                        targetVelocities=list(vk), forces=self._forces,
                                        positionGains=gains, physicsClientId=c)
            self.arm_target = qk
            self.world.step(1)
            if k % 8 == 0:
                self._check_collisions()
        self._hold(q[-1])
        for _ in range(60):  # settle onto the final waypoint
            if float(np.max(np.abs(self.joint_positions() - q[-1]))) < 5e-4:
                break
            self.world.step(1)
        self._check_collisions()

    def _check_collisions(self) -> None:
        if not self.collision_bodies:
            return
        for c in self.p.getContactPoints(bodyA=self.body, physicsClientId=self.client):
            if c[2] not in self.collision_bodies:
                continue
            if (c[3] in self.collision_links and c[9] > 5.0) or (c[2] in self.ignored_bodies and c[9] > 50.0):
                self._hold(self.joint_positions())
                raise CollisionError(f"{self.name} link {self._link_name(c[3])} hit body {c[2]}",
                                     link=self._link_name(c[3]), body=int(c[2]))

    def _link_name(self, link: int) -> str:
        return next((n for n, i in self.link_index.items() if i == link), str(link))

    def close(self) -> None:
        self.kin.close()


def _nearest_equivalent_yaw(yaw: float, current: float) -> float:
    """A parallel gripper is symmetric under a half turn: pick yaw + k*pi nearest the current yaw."""
    return yaw + math.pi * round((current - yaw) / math.pi)
