"""Second-press confirmation for keys that throw something away (a draft, a reply, the console).

Why not a dialog: the agent's hands stay where they are; the first press says what will happen
and which key confirms it, a second press of the same key within a few seconds does it.
"""

from __future__ import annotations

import time

CONFIRM_SECONDS = 3.0


class SecondPress:
    """``armed(what)`` is False on the first press (warn then) and True on a quick second one."""

    def __init__(self, seconds: float = CONFIRM_SECONDS) -> None:
        self._seconds = seconds
        self._pressed: dict[str, float] = {}

    def armed(self, what: str) -> bool:
        now = time.monotonic()
        last = self._pressed.pop(what, None)
        if last is not None and now - last <= self._seconds:
            return True
        self._pressed = {what: now}
        return False
