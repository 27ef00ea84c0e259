"""The core packages import without any heavy extra; a missing extra names itself in the error."""
import subprocess
import sys

import pytest

from codebot.extras import MissingExtraError, load_object, require

HEAVY = ["pybullet", "rclpy", "torch", "transformers", "xllamacpp", "cv2", "gymnasium", "rosbags"]

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {heavy!r}:
            raise ImportError('blocked for the test: ' + name)
sys.meta_path.insert(0, Block())
"""


def test_core_packages_import_without_heavy_extras():
    code = BLOCKER.format(heavy=HEAVY) + (
        "import codebot, codebot.primitives, codebot.sim, codebot.cli\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in %r)\n"
        "print('LOADED', loaded)\n" % HEAVY
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LOADED []" in out.stdout


def test_cli_help_works_without_heavy_extras():
    code = BLOCKER.format(heavy=HEAVY) + (
        "import sys; from codebot.cli import main\n"
        "sys.argv = ['codebot', '--help']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "run" in out.stdout


def test_missing_extra_names_the_extra():
    with pytest.raises(MissingExtraError) as info:
        require("codebot_no_such_module_xyz", "ros")
    assert "codebot[ros]" in str(info.value)
    assert info.value.extra == "ros"


def test_load_object_resolves_and_rejects():
    assert load_object("codebot.primitives.workspace:Workspace").__name__ == "Workspace"
    with pytest.raises(ValueError, match="module:Name"):
        load_object("codebot.primitives.workspace")
    with pytest.raises(ValueError, match="has no"):
        load_object("codebot.primitives.workspace:Nope")
