"""What the large demo's generators share: the sizes, the time span, rows' time format.

The large demo stores rows as tuples in the table's column order and writes them with
``executemany``; ``stamp`` gives a time the form SQLAlchemy gives it (naive UTC,
``YYYY-MM-DD HH:MM:SS.ffffff``, as ``reader.stored_time``), so raw and ORM rows sort alike.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random
from typing import TypeVar

T = TypeVar("T")

TOTAL_MESSAGES = 100_000
TOTAL_CUSTOMERS = 20_000
TOTAL_ORDERS = 50_000
HISTORY_DAYS = 548
"""About 18 months of mail and orders before ``now``."""
FIRST_ORDER_NUMBER = 10_001
"""Generated orders are #10001 … by creation time; the hand-made shop keeps #1001 …"""
FIRST_ORDER_EXTERNAL = 100_001


@dataclass(frozen=True)
class Sizes:
    """Totals the large demo reaches, the hand-made shop included."""

    messages: int
    customers: int
    orders: int

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        """The full sizes times ``scale`` (tests build 1/100 of the shop)."""
        if not 0 <= scale <= 1:
            raise ValueError(f"scale must be between 0 and 1, not {scale}")
        return cls(
            round(TOTAL_MESSAGES * scale),
            round(TOTAL_CUSTOMERS * scale),
            round(TOTAL_ORDERS * scale),
        )


def stamp(at: datetime) -> str:
    """An aware UTC time in the store's text form."""
    text = at.isoformat(" ", "microseconds")
    if text.endswith("+00:00"):
        return text[:-6]
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def maybe_stamp(at: datetime | None) -> str | None:
    return None if at is None else stamp(at)


def pick(rng: Random, population: Sequence[T], cum_weights: Sequence[float]) -> T:
    """``rng.choices(population, cum_weights=cum_weights)[0]``, the same draw, without the
    list (it is most of the cost when made a million times)."""
    return population[bisect(cum_weights, rng.random() * cum_weights[-1], 0, len(cum_weights) - 1)]


# The generator draws a few million numbers; ``Random.choice``/``randint`` go through Python
# code per draw, these through one C call (``random()``), about three times faster.


def one(rng: Random, population: Sequence[T]) -> T:
    """A uniformly chosen element (``rng.choice``)."""
    return population[int(rng.random() * len(population))]


def between(rng: Random, low: int, high: int) -> int:
    """A uniformly chosen integer in ``[low, high]`` (``rng.randint``)."""
    return low + int(rng.random() * (high - low + 1))


def span(rng: Random, low: float, high: float) -> timedelta:
    """A random span between ``low`` and ``high`` hours, whole seconds (``timing.hours``)."""
    return timedelta(seconds=int((low + rng.random() * (high - low)) * 3600))
