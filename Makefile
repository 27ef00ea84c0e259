# Two commands for a newcomer (README): `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.codebot-installed
INSTRUCTION ?= put the red block in the blue bowl

.PHONY: setup demo test flake-hunt clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[all,dev]"
	touch $(STAMP)

# The ROS 2 interface packages (launch/interfaces/) built into the venv: ~1-2 min the first time, restored from
# ~/.cache/codebot/interfaces in < 1 s for a new venv, skipped in < 1 s when nothing changed; fails loudly.
setup: $(STAMP)
	$(BIN)/python -m codebot.ros.tools.build_interfaces

demo: setup
	$(BIN)/codebot run "$(INSTRUCTION)"

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -p no:cacheprovider tests

# Rerun TESTS N times beside HOGS CPU-burning processes; prints each test's failure count (tests/flake_hunt.py).
N ?= 20
HOGS ?= 2
TESTS ?= tests/codebot/ros tests/codebot/mcp tests/codebot/test_sandbox_attacks.py
flake-hunt: setup
	$(BIN)/python tests/flake_hunt.py -n $(N) --hogs $(HOGS) $(TESTS)

clean:
	rm -rf $(VENV) build *.egg-info
