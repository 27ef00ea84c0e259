"""A ROS 2 domain of its own for each test, also across concurrent pytest runs on one machine (a
developer's run beside CI's, a flake hunt beside a helper's tests): ids are claimed with an flock on
a file per id under the temp directory, held until the test ends. Two runs that hashed to the same id
used to share /robot topics: one test read the other's joint_states and failed."""
from __future__ import annotations

import fcntl
import itertools
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCKS = Path(tempfile.gettempdir()) / "codebot-ros-domains"
FIRST, COUNT = 20, 213  # ids 20..232 (232 is the largest valid id; 0..19 stay free for the machine's own)
_counter = itertools.count()


@contextmanager
def private_domain(monkeypatch) -> Iterator[int]:
    """Claim a free domain id, point ROS_DOMAIN_ID at it (localhost discovery) for the test, release it after."""
    LOCKS.mkdir(exist_ok=True)
    start = os.getpid() * 37 + next(_counter)  # spread the first try, so claims rarely contend
    for k in range(COUNT):
        dom = FIRST + (start + k) % COUNT
        lock = open(LOCKS / f"{dom}.lock", "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        try:
            monkeypatch.setenv("ROS_DOMAIN_ID", str(dom))
            monkeypatch.setenv("ROS_AUTOMATIC_DISCOVERY_RANGE", "LOCALHOST")
            monkeypatch.delenv("ROS_LOCALHOST_ONLY", raising=False)
            yield dom
        finally:
            lock.close()  # the flock goes with the file (and with the process, however it ends)
        return
    raise RuntimeError(f"every ROS domain {FIRST}..{FIRST + COUNT - 1} is claimed by other tests on this machine")
