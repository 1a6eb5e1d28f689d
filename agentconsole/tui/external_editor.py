"""Handing the terminal to the agent's own editor (``$VISUAL``, ``$EDITOR``, else ``vi``).

Why one module: the composer, the template editor and the replies pane all suspend the
console, run the editor on a file and come back; they must agree on which editor runs and
say the same thing when it cannot. Failures are ``EditorFailed`` with one line for the agent.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from textual.app import App, SuspendNotSupported


class EditorFailed(Exception):
    """The editor could not run or gave up; the message is one line for the agent."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        """The editor's exit status when it ran and failed (None: it never ran)."""


def editor_command() -> list[str]:
    """The editor's argv from ``$VISUAL`` / ``$EDITOR`` (else ``vi``); raises when unusable."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv:
        raise EditorFailed(f"cannot run the editor {command!r}: check $VISUAL / $EDITOR")
    return argv


@contextlib.contextmanager
def terminal_handed_over(app: App[object]) -> Iterator[None]:
    """The console steps aside while the block runs (tests have no terminal to hand over)."""
    if app.is_headless:
        yield
        return
    with app.suspend():
        yield


def edit_file(app: App[object], path: Path) -> None:
    """Run the editor on ``path`` in the console's terminal, on the UI thread (the console is
    suspended meanwhile). Raises ``EditorFailed``; the file may have been saved even then."""
    argv = editor_command()
    try:
        with terminal_handed_over(app):
            done = subprocess.run([*argv, str(path)], check=False)  # noqa: S603
    except FileNotFoundError:
        raise EditorFailed(f"editor not found: {argv[0]} (set $VISUAL or $EDITOR)") from None
    except SuspendNotSupported:
        raise EditorFailed("this terminal cannot hand over to an editor") from None
    except OSError as exc:
        raise EditorFailed(f"cannot run the editor {argv[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise EditorFailed(
            f"the editor {argv[0]} exited with status {done.returncode}", done.returncode
        )


def edit_text(app: App[object], text: str, name: str = "message.txt") -> str:
    """``text`` through the editor in a private temporary file named ``name`` (its suffix
    lets the editor pick a mode); the edited text, or ``EditorFailed`` with the text as it was.
    """
    with tempfile.TemporaryDirectory(prefix="agentconsole-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            edit_file(app, path)
        except EditorFailed as exc:
            if exc.status is not None:
                raise EditorFailed(f"{exc}; the text is as it was", exc.status) from None
            raise
        return path.read_text(encoding="utf-8", errors="replace")
