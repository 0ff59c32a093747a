"""Seed the catalogue a guest checkout needs, from ``catalogue.json`` beside manage.py.

One JSON file feeds both this command and the tests, so a test never guesses
a product's name or price. Idempotent: re-running updates, never duplicates.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.core.loading import get_model

CATALOGUE = Path(__file__).resolve().parents[3] / "catalogue.json"


class Command(BaseCommand):
    help = "Seed the Site, one shipping country, a product class, a partner and the products."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--domain", help="the Site domain, e.g. 127.0.0.1:8000 (used in email links)")

    @transaction.atomic
    def handle(self, *args: Any, domain: str | None = None, **options: Any) -> None:
        data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        Country = get_model("address", "Country")
        ProductClass = get_model("catalogue", "ProductClass")
        Product = get_model("catalogue", "Product")
        Partner = get_model("partner", "Partner")
        StockRecord = get_model("partner", "StockRecord")

        Site.objects.update_or_create(
            pk=1, defaults={"domain": domain or data["site"]["domain"], "name": data["site"]["name"]}
        )
        country = dict(data["country"])
        Country.objects.update_or_create(
            iso_3166_1_a2=country.pop("iso_3166_1_a2"),
            defaults={**country, "is_shipping_country": True, "display_order": 1},
        )
        product_class, _ = ProductClass.objects.update_or_create(
            name=data["product_class"], defaults={"requires_shipping": True, "track_stock": True}
        )
        partner, _ = Partner.objects.get_or_create(name=data["partner"])
        for item in data["products"]:
            product, _ = Product.objects.update_or_create(
                upc=item["upc"],
                defaults={
                    "title": item["title"],
                    "product_class": product_class,
                    "structure": Product.STANDALONE,
                    "is_public": True,
                },
            )
            StockRecord.objects.update_or_create(
                product=product,
                partner=partner,
                defaults={
                    "partner_sku": item["upc"],
                    "price": Decimal(item["price"]),
                    "price_currency": data["currency"],
                    "num_in_stock": item["stock"],
                },
            )
        self.stdout.write(f"seeded {len(data['products'])} products")
