"""What the demo stores sell: one small catalogue shared by all three stores.

The same products everywhere means differences in a report come from how a
store *talks* after the purchase, not from what was bought.
"""

import struct
import zlib
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from html import escape

from pydantic import BaseModel, ConfigDict


class Product(BaseModel):
    """One product; ``colour`` only tints its generated picture."""

    model_config = ConfigDict(frozen=True)

    slug: str
    name: str
    price: Decimal
    description: str
    colour: str

    @property
    def image_file(self) -> str:
        """Picture for web pages, under ``/<store>/static/``."""
        return f"{self.slug}.svg"

    @property
    def email_image_file(self) -> str:
        """Picture for emails: PNG, because common mail clients do not show SVG."""
        return f"{self.slug}.png"


PRODUCTS: tuple[Product, ...] = (
    Product(
        slug="wireless-headphones",
        name="Wireless Headphones",
        price=Decimal("129.00"),
        description="Over-ear, 30 h of battery, folds flat for travel.",
        colour="#2f6fb3",
    ),
    Product(
        slug="usb-c-charger",
        name="USB-C Charger 65W",
        price=Decimal("89.90"),
        description="Charges a laptop and a phone at once; GaN, pocket-sized.",
        colour="#3a9a5b",
    ),
    Product(
        slug="smartwatch",
        name="Smartwatch Pro",
        price=Decimal("1299.00"),
        description="AMOLED screen, GPS, heart-rate and sleep tracking.",
        colour="#b3542f",
    ),
)

_BY_SLUG = {p.slug: p for p in PRODUCTS}


def find_product(slug: str) -> Product | None:
    """The product with this slug, or None (callers answer 404/400 themselves)."""
    return _BY_SLUG.get(slug)


def format_pln(amount: Decimal) -> str:
    """Polish-style price: ``1 299,00 zł``.

    Thousands are grouped with a plain space (not U+00A0), as many Polish shops
    print them, so the analysis stage meets the common shape.
    """
    quantized = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    whole, _, cents = f"{abs(quantized):.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{' '.join(groups)},{cents} zł"


def product_svg(product: Product) -> str:
    """A small picture of the product so pages and emails have a real image to show."""
    initials = "".join(word[0] for word in product.name.split()[:2]).upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
        f'<rect width="160" height="160" rx="16" fill="{escape(product.colour)}"/>'
        '<text x="80" y="95" font-family="sans-serif" font-size="48" fill="#fff" text-anchor="middle">'
        f"{escape(initials)}</text>"
        f"<title>{escape(product.name)}</title></svg>"
    )


@cache
def product_png(product: Product, size: int = 96) -> bytes:
    """A square PNG in the product's colour, built with zlib so no imaging library is needed."""
    rgb = bytes.fromhex(product.colour.lstrip("#"))
    row = b"\x00" + rgb * size  # filter byte 0, then the pixels
    pixels = zlib.compress(row * size, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
