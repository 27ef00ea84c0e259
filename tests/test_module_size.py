"""Small modules with one job: no module in codebot/, primitives/ or sim/ over 400 lines (issue 27)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def test_no_module_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for folder in ("codebot", "primitives", "sim")
            for p in sorted((ROOT / folder).rglob("*.py")) if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"split these by job: {long}"
