"""Config for triage (``[sla]``, ``[[views]]``, ``[[macros]]``, ``[[team]]``): validated here so a
typo in a business-hours slot or a macro's status is one clear line at start, not a surprise
when the key is pressed."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")
_SLOT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_duration(text: str) -> timedelta:
    """``"24h"``, ``"5m"``, ``"1d 4h"``, ``"2w"`` → a timedelta. ``ValueError`` names the text."""
    match = _DURATION.match(text.lower())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"invalid duration {text!r} (expected e.g. '24h', '5m', '1d 4h')")
    weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)


def parse_slot(text: str) -> tuple[time, time]:
    """``"09:00-12:30"`` → (09:00, 12:30); ``24:00`` is allowed as an end (end of the day)."""
    match = _SLOT.match(text)
    if match is None:
        raise ValueError(f"invalid slot {text!r} (expected 'HH:MM-HH:MM')")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise ValueError(f"invalid slot {text!r} (no such time)")
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(f"invalid slot {text!r} (ends before it starts)")
    return start, end


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChannelTargets(_Section):
    """A response target per channel, as a duration (``"24h"``, ``"5m"``)."""

    email: str = "24h"
    chat: str = "5m"
    phone: str = "4h"
    """Phone: the time to call back."""
    social: str = "24h"

    @field_validator("email", "chat", "phone", "social")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    def target(self, channel: str) -> timedelta:
        return parse_duration(getattr(self, channel, self.email))


class SlaSection(_Section):
    """Response targets and the business hours they are counted in."""

    first_response: ChannelTargets = Field(default_factory=ChannelTargets)
    """Time to the first reply of a conversation."""
    next_response: ChannelTargets = Field(default_factory=ChannelTargets)
    """Time to answer a customer who wrote again after a reply."""
    timezone: str | None = None
    """IANA zone the hours are in. Default: the agent's ``timezone``."""
    hours: dict[str, list[str]] | None = None
    """Business hours per day (``mon`` … ``sun``), several slots a day, e.g.
    ``mon = ["09:00-12:30", "13:30-17:00"]``; a day left out is closed. Default: round the
    clock (every hour counts)."""
    holidays: list[date] = Field(default_factory=list)
    """Closed all day, e.g. ``[2026-12-24, 2026-12-25]``."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        if value is None:
            return None
        for day, slots in value.items():
            if day not in DAYS:
                raise ValueError(f"unknown day {day!r} (expected one of {', '.join(DAYS)})")
            parsed = sorted(parse_slot(s) for s in slots)
            for (_, end), (start, _) in zip(parsed, parsed[1:], strict=False):
                if start < end:
                    raise ValueError(f"{day}: slots overlap")
        if not any(value.values()):
            raise ValueError("no business hours on any day")
        return value


class SavedView(_Section):
    """A saved search shown in the views sidebar with its count."""

    name: Annotated[str, Field(min_length=1, max_length=40)]
    query: Annotated[str, Field(min_length=1)]
    """In the search language, e.g. ``tag:vip status:open``."""


class Macro(_Section):
    """Several triage actions on one key, previewed before they run (on one conversation or on
    every marked one)."""

    name: Annotated[str, Field(min_length=1, max_length=60)]
    key: str | None = None
    """Optional key in the inbox, e.g. ``"M"`` or ``"ctrl+y"``."""
    template: str | None = None
    """Id of a canned reply to start a reply with (the reply is still reviewed and sent by you)."""
    tags: list[str] = Field(default_factory=list)
    """Tags to add; ``"-tag"`` removes one."""
    status: Literal["open", "pending", "closed"] | None = None
    snooze: str | None = None
    """Snooze as typed in the console, e.g. ``"3d"`` or ``"tomorrow 9:00"``."""
    snooze_until_reply: bool = True
    """Whether a customer reply ends the snooze."""
    assign: str | None = None
    """An agent's handle, ``"me"``, or ``"nobody"``."""
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    note: str | None = None
    """An internal note to add."""

    @model_validator(mode="after")
    def _does_something(self) -> Macro:
        if not any(
            (
                self.template,
                self.tags,
                self.status,
                self.snooze,
                self.assign,
                self.priority,
                self.note,
            )
        ):
            raise ValueError("a macro needs at least one action")
        if self.status and self.snooze:
            raise ValueError("set status or snooze, not both")
        return self


class TeamMember(_Section):
    """Somebody else who answers customers on this store (for assignment and presence)."""

    handle: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    name: Annotated[str, Field(min_length=1)]
    email: str | None = None
