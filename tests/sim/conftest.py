"""Shared sim fixtures: one environment per robot per module (loading a robot costs ~0.3 s)."""
import pytest

pytest.importorskip("pybullet")


@pytest.fixture(scope="module", params=["ur5e", "panda"])
def env(request):
    import sim

    with sim.make("tabletop", robot=request.param, seed=0) as e:
        yield e


@pytest.fixture(scope="module")
def ur5e_env():
    import sim

    with sim.make("tabletop", robot="ur5e", seed=0) as e:
        yield e
