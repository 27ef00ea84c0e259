"""codebot: an LLM writes robot policy code over primitives; codebot verifies it in simulation first.

Importing this package needs only the core dependencies; simulation, ROS 2, the local LLM and vision
models are extras that load on first use.
"""
from codebot.extras import MissingExtraError, require

__version__ = "0.1.0"
__all__ = ["MissingExtraError", "require", "__version__"]
