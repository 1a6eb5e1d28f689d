"""How times, durations and channels read on screen, in the console and the CLI alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

CHANNEL_ICONS = {"email": "✉", "phone": "☎", "chat": "💬", "social": "#"}
CHANNEL_LETTERS = {"email": "E", "phone": "P", "chat": "C", "social": "S"}


def duration(delta: timedelta) -> str:
    """Compact, two units at most: ``45m``, ``3h 12m``, ``2d 4h``."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def when(at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """``14:05`` today, ``Mon 14:05`` this week, ``12 Mar 2026`` otherwise."""
    local, today = at.astimezone(zone), now.astimezone(zone)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if timedelta(0) <= today - local < timedelta(days=6):
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b %Y")


def day(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%d %b %Y")


def file_size(size: int) -> str:
    """``812 B``, ``14 KB``, ``2.4 MB`` — attachment sizes at a glance."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"
