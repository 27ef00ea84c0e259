"""Pixels to world: a known box on a known depth image lands on the known world point; without depth
the box meets the table plane; on sim renders, boxes from the true masks land on the true objects."""
from __future__ import annotations

import numpy as np
import pytest

from codebot.vision import geometry
from codebot.vision.sources import default_camera_to_world
from codebot.primitives.errors import InvalidArgumentError
from codebot.primitives.protocols import Frame

W, H = 320, 240


def _top_frame(with_depth: bool = True, block=((0.1, -0.4), 0.04, 0.05)) -> Frame:
    """A camera 1 m above (0, -0.5, 0) looking down, a table at z=0 and one square block on it."""
    K = geometry.intrinsics_from_fov(W, H, 45.0)
    T = default_camera_to_world()
    depth = np.full((H, W), 1.0, dtype=np.float32)  # the table is 1 m below the camera
    (bx, by), side, height = block
    v, u = np.mgrid[0:H, 0:W]
    # World xy of each pixel's ray on the block's top plane: the camera looks straight down.
    z_top = 1.0 - height
    x = T[0, 3] + (u - K[0, 2]) / K[0, 0] * z_top
    y = T[1, 3] - (v - K[1, 2]) / K[1, 1] * z_top
    on_block = (np.abs(x - bx) <= side / 2) & (np.abs(y - by) <= side / 2)
    depth[on_block] = z_top
    rgb = np.full((H, W, 3), 200, dtype=np.uint8)
    rgb[on_block] = (255, 0, 0)
    return Frame(rgb=rgb, depth=depth if with_depth else np.full((H, W), np.nan, np.float32), intrinsics=K,
                 camera_to_world=T), on_block


def _box_of(mask: np.ndarray) -> tuple[float, float, float, float]:
    vs, us = np.nonzero(mask)
    return float(us.min()), float(vs.min()), float(us.max() + 1), float(vs.max() + 1)


def test_default_camera_looks_down_with_image_up_being_plus_y():
    T = default_camera_to_world()
    np.testing.assert_allclose(T[:3, 2], [0, 0, -1], atol=1e-12)  # optical axis down
    np.testing.assert_allclose(T[:3, 0], [1, 0, 0], atol=1e-12)  # image right = +x
    np.testing.assert_allclose(T[:3, 1], [0, -1, 0], atol=1e-12)  # image down = -y
    np.testing.assert_allclose(T[:3, 3], [0, -0.5, 1.0])


def test_known_box_on_depth_lands_on_the_known_world_box():
    frame, on_block = _top_frame()
    wb = geometry.lift_box(frame, _box_of(on_block), table_z=0.0)
    assert wb.source == "depth"
    np.testing.assert_allclose(wb.position, (0.1, -0.4, 0.025), atol=0.004)
    np.testing.assert_allclose(wb.bbox_min, (0.075, -0.425, 0.0), atol=0.005)
    np.testing.assert_allclose(wb.bbox_max, (0.125, -0.375, 0.05), atol=0.005)


def test_mask_points_give_the_same_box():
    frame, on_block = _top_frame()
    wb = geometry.lift_box(frame, None, mask=on_block, table_z=0.0)
    np.testing.assert_allclose(wb.position, (0.1, -0.4, 0.025), atol=0.004)


def test_without_depth_the_box_meets_the_table_plane():
    frame, on_block = _top_frame(with_depth=False)
    wb = geometry.lift_box(frame, _box_of(on_block), table_z=0.0)
    assert wb.source == "table_plane"
    # Rays through the block's top-face outline meet the table a little wider (parallax, 5 cm of 1 m).
    np.testing.assert_allclose(wb.position[:2], (0.1 * 1.0 / 1.0, -0.4), atol=0.01)
    assert wb.position[2] == 0.0


def test_image_centre_projects_to_the_point_below_the_camera():
    K = geometry.intrinsics_from_fov(W, H, 45.0)
    o, d = geometry.pixel_ray((W - 1) / 2, (H - 1) / 2, K, default_camera_to_world())
    np.testing.assert_allclose(geometry.ray_hits_plane(o, d, 0.0), (0, -0.5, 0), atol=1e-9)
    assert geometry.ray_hits_plane(o, -d, 0.0) is None  # pointing away from the table


def test_bad_camera_and_boxes_are_structured_errors():
    frame, _ = _top_frame()
    with pytest.raises(InvalidArgumentError, match="intrinsics"):
        geometry.check_camera(np.zeros((3, 3)), np.eye(4))
    with pytest.raises(InvalidArgumentError, match="4 finite numbers"):
        geometry.lift_box(frame, (0, 0, float("nan"), 3))
    with pytest.raises(InvalidArgumentError, match="empty"):
        geometry.lift_box(frame, (400, 300, 500, 400))
    with pytest.raises(InvalidArgumentError, match="does not match"):
        geometry.world_points(frame, mask=np.ones((3, 3), bool))


@pytest.mark.slow
def test_boxes_of_true_masks_on_sim_renders_land_on_the_true_objects():
    pytest.importorskip("pybullet")
    from codebot import sim

    env = sim.make("tabletop", seed=3)
    try:
        frame = env.cameras["top"].capture()
        truth = {o.name: o for o in env.objects()}
    finally:
        env.close()
    checked = 0
    for obj_id, name in frame.seg_labels.items():
        mask = frame.seg == obj_id
        if mask.sum() < 50:
            continue
        wb = geometry.lift_box(frame, _box_of(mask), table_z=0.0)
        err = np.linalg.norm(np.subtract(wb.position[:2], truth[name].position[:2]))
        assert err < 0.012, (name, wb.position, truth[name].position)
        checked += 1
    assert checked >= 4
