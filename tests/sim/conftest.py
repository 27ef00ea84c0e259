"""Shared sim fixtures: one environment per robot per module (loading a robot costs ~0.3 s)."""
import pytest


@pytest.fixture(scope="module", params=["ur5e", "panda"])
def env(request):
    pytest.importorskip("pybullet")
    from codebot import sim

    with sim.make("tabletop", robot=request.param, seed=0) as e:
        yield e


@pytest.fixture(scope="module")
def ur5e_env():
    pytest.importorskip("pybullet")
    from codebot import sim

    with sim.make("tabletop", robot="ur5e", seed=0) as e:
        yield e
