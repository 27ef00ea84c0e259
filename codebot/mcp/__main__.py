"""python -m codebot.mcp [OPTIONS]: the same as `codebot mcp`."""
from codebot.mcp.cli import main

if __name__ == "__main__":
    main()
