"""Parcel carriers: which one serves which country, tracking numbers and tracking links.

Why real patterns: agents click tracking links in the demo too, so each link is built from the
carrier's real public tracking page and each number has the carrier's usual shape (UPU S10
numbers even carry a valid check digit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


@dataclass(frozen=True)
class Carrier:
    name: str
    url_pattern: str

    def tracking_url(self, number: str) -> str:
        return self.url_pattern.format(number=number)


CARRIERS: dict[str, Carrier] = {
    carrier.name: carrier
    for carrier in (
        Carrier(
            "DHL",
            "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html"
            "?submit=1&tracking-id={number}",
        ),
        Carrier("DPD", "https://tracking.dpd.de/status/en_US/parcel/{number}"),
        Carrier("La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"),
        Carrier(
            "Poste Italiane",
            "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{number}",
        ),
        Carrier(
            "Correos",
            "https://www.correos.es/es/es/herramientas/localizador/envios/detalle"
            "?tracking-number={number}",
        ),
        Carrier("InPost", "https://inpost.pl/sledzenie-przesylek?number={number}"),
        Carrier("UPS", "https://www.ups.com/track?tracknum={number}"),
    )
}

# Destination (by the customer's language) → carriers the shop uses there.
CARRIERS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("UPS", "DPD"),
    "de": ("DHL", "DHL", "DPD"),
    "fr": ("La Poste",),
    "it": ("Poste Italiane",),
    "es": ("Correos",),
    "pl": ("InPost", "InPost", "DPD"),
}


def _digits(rng: Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def s10_number(
    rng: Random, prefix: str, country: str, digits: Callable[[Random, int], str] = _digits
) -> str:
    """A UPU S10 item number, e.g. ``CA123456785IT``, with its check digit."""
    serial = digits(rng, 8)
    total = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"{prefix}{serial}{check}{country}"


def tracking_number(
    carrier: str, rng: Random, digits: Callable[[Random, int], str] = _digits
) -> str:
    """A plausible tracking number in the carrier's usual format. ``digits`` draws the random
    digits (the large demo draws them in one go; the small demo's stay as they always were)."""
    if carrier == "DHL":
        return "00340434" + digits(rng, 12)
    if carrier == "DPD":
        return "0" + digits(rng, 13)
    if carrier == "La Poste":
        return "6A" + digits(rng, 11)
    if carrier == "Poste Italiane":
        return s10_number(rng, "CA", "IT", digits)
    if carrier == "Correos":
        return s10_number(rng, "CD", "ES", digits)
    if carrier == "InPost":
        return "6" + digits(rng, 23)
    if carrier == "UPS":
        return "1ZA8F2W3" + "68" + digits(rng, 8)
    raise ValueError(f"unknown carrier {carrier!r}")


def pick_carrier(language: str, rng: Random) -> Carrier:
    return CARRIERS[rng.choice(CARRIERS_BY_LANGUAGE[language])]
