import sys
from pathlib import Path

# The hand-made scene helpers live next to the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
