"""The program's name and version, as the CLI prints them."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PROG = "agentconsole"


def package_version() -> str:
    """The installed version of agentconsole, or "unknown" when it is not installed."""
    try:
        return version(PROG)
    except PackageNotFoundError:
        return "unknown"
