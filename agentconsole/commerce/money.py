"""Decimal strings from store APIs → integer minor units, with ISO 4217 exponents.

Why not the API's own decimals: WooCommerce's ``dp`` is a display setting, and JPY (0 digits)
or KWD (3) must come out right whatever the shop shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

_ZERO = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
    "VND", "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip
_THREE = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}


class MoneyError(ValueError):
    """An amount that is not a number."""


def exponent(currency: str) -> int:
    code = currency.upper()
    return 0 if code in _ZERO else 3 if code in _THREE else 2


def to_minor(amount: str | int | float | Decimal | None, currency: str) -> int:
    """``"12.345"`` KWD → 12345; ``"4500"`` JPY → 4500; ``"-10.00"`` EUR → -1000."""
    if amount is None or amount == "":
        return 0
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise MoneyError(f"not an amount: {amount!r}") from None
    scaled = value.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return int(scaled)
