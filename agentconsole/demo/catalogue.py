"""The product catalogue of a small homeware and linen shop.

Why fixed data: order lines, sizing questions and the teapot that keeps arriving broken all
refer to real products, so the catalogue is written out by hand rather than generated. Prices
are net cents; VAT is added per destination on the order.
"""

from __future__ import annotations

from dataclasses import dataclass

TEAPOT_SKU = "SW-TEA"


@dataclass(frozen=True)
class Product:
    sku: str
    title: str
    price: int
    variants: tuple[str, ...]
    popularity: int

    def variant_sku(self, variant: str) -> str:
        """``LN-NAP`` + ``Sage`` → ``LN-NAP-SAGE``; sizes keep their digits."""
        if not variant:
            return self.sku
        code = "".join(ch for ch in variant.upper() if ch.isascii() and ch.isalnum())
        return f"{self.sku}-{code[:8]}"


PRODUCTS: tuple[Product, ...] = (
    Product(
        "LN-NAP",
        "Linen napkins (set of 4)",
        2400,
        ("Natural", "Sage", "Terracotta", "Charcoal", "White"),
        10,
    ),
    Product(
        "LN-TCL",
        "Linen tablecloth",
        6900,
        ("Natural / 140×180 cm", "Natural / 140×240 cm", "Sage / 140×240 cm", "White / 160×300 cm"),
        6,
    ),
    Product("LN-RUN", "Linen table runner", 2900, ("Natural", "Charcoal"), 4),
    Product(
        "CM-MUG", "Ceramic mug 350 ml", 1800, ("Speckled white", "Moss", "Sand", "Ink blue"), 10
    ),
    Product(TEAPOT_SKU, "Stoneware teapot 1.2 l", 5900, ("Speckled white", "Moss"), 5),
    Product("SW-CUP", "Stoneware tea cups (pair)", 2200, ("Speckled white", "Moss"), 5),
    Product("SW-PLT", "Stoneware dinner plate", 2400, ("Speckled white", "Sand"), 5),
    Product("SW-BWL", "Stoneware serving bowl", 3900, ("Speckled white",), 3),
    Product(
        "LN-DUV",
        "Linen duvet cover",
        12900,
        ("135×200 cm", "155×220 cm", "200×200 cm", "240×220 cm"),
        6,
    ),
    Product("LN-PIL", "Linen pillowcases (pair)", 4200, ("50×75 cm", "80×80 cm", "40×80 cm"), 6),
    Product(
        "LN-FIT",
        "Linen fitted sheet",
        8900,
        ("90×200 cm", "140×200 cm", "160×200 cm", "180×200 cm"),
        5,
    ),
    Product("LN-APR", "Linen apron", 3900, ("S/M", "L/XL"), 5),
    Product(
        "LN-TTW", "Linen tea towels (set of 2)", 1900, ("Red stripe", "Blue stripe", "Check"), 8
    ),
    Product("WF-TWL", "Waffle bath towel", 3400, ("70×140 cm", "100×150 cm"), 5),
    Product("WF-HND", "Waffle hand towel", 1600, ("Natural", "Rust"), 5),
    Product("CT-MAT", "Cotton bath mat", 2900, ("Natural",), 3),
    Product("OW-BRD", "Olive wood chopping board", 4500, ("Small", "Large"), 4),
    Product("SG-BSK", "Seagrass bread basket", 2100, ("",), 4),
    Product("BW-CND", "Beeswax dinner candles (set of 6)", 1500, ("Natural", "Ivory"), 6),
    Product("WL-THR", "Wool throw", 11900, ("Oatmeal", "Forest"), 3),
    Product("LN-CUS", "Linen cushion cover", 3200, ("40×40 cm", "50×50 cm"), 5),
    Product("GL-CAR", "Glass carafe 1 l", 2800, ("",), 3),
    Product("EN-BWL", "Enamel bowl set", 3600, ("White / blue rim",), 3),
    Product("CT-LDB", "Cotton laundry bag", 1700, ("",), 2),
    Product("CM-VAS", "Ceramic bud vase", 2600, ("Moss", "Sand"), 4),
    Product("BR-STR", "Brass tea strainer", 1400, ("",), 3),
)

BY_SKU: dict[str, Product] = {product.sku: product for product in PRODUCTS}

# Products a customer may return because the size or colour was wrong.
RETURNABLE_SKUS: tuple[str, ...] = (
    "LN-TCL",
    "LN-DUV",
    "LN-FIT",
    "LN-APR",
    "LN-PIL",
    "WF-TWL",
    "LN-CUS",
    "LN-NAP",
)

# Bed sizes customers ask about, with the fitted sheet and duvet cover we recommend.
BED_SIZES: tuple[tuple[str, str, str], ...] = (
    ("90 × 200", "90×200 cm", "135×200 cm"),
    ("140 × 200", "140×200 cm", "200×200 cm"),
    ("160 × 200", "160×200 cm", "200×200 cm"),
    ("180 × 200", "180×200 cm", "240×220 cm"),
)
