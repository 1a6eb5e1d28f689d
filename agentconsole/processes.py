"""Whether a process still runs: how a claim or a half-built file left by a killed process is
told apart from one that another live process is working on."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True
