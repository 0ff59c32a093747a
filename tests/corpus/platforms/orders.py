"""Fictional orders to fill real templates with: customers, 1 to 5 items, money in each language's own format.

Deterministic: ``orders(language, count)`` gives the same orders every run, so
regenerating the corpus changes a message only when a template or translation
changed. Amounts are Decimals; ``money`` formats them as the language's
locale does (babel's CLDR data), which is what a platform configured for that
market shows unless its own formatter says otherwise.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal

LOCALES = {"en": "en_US", "pl": "pl_PL", "ru": "ru_RU", "uk": "uk_UA", "de": "de_DE", "zh": "zh_CN"}
CURRENCIES = {"en": "USD", "pl": "PLN", "ru": "RUB", "uk": "UAH", "de": "EUR", "zh": "CNY"}


@dataclass(frozen=True)
class Customer:
    first: str
    last: str
    vocative: str  # the first name as a greeting addresses it (Polish/Ukrainian vocative); else = first
    email: str
    street: str
    city: str
    postcode: str
    country: str
    phone: str

    @property
    def full(self) -> str:
        """The full name in the language's own order (Chinese: family name first, no space)."""
        if self.first and not self.first.isascii() and len(self.first) <= 2 and "\u4e00" <= self.first[0] <= "\u9fff":
            return f"{self.last}{self.first}"
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Item:
    name: str
    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class Order:
    language: str
    number: str  # as the platform shows it; renderers set their platform's own shape
    customer: Customer
    items: list[Item]
    currency: str
    shipping: Decimal
    created: datetime
    tax: Decimal = Decimal("0.00")
    discount: Decimal = Decimal("0.00")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def subtotal(self) -> Decimal:
        return sum((i.line_total for i in self.items), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping + self.tax - self.discount


_CUSTOMERS: dict[str, list[tuple[str, str, str, str, str, str, str]]] = {
    # first, last, vocative, street, city, postcode, country
    "en": [
        ("Jane", "Cooper", "Jane", "742 Evergreen Terrace", "Springfield", "62704", "United States"),
        ("Marcus", "Whitfield", "Marcus", "18 Harbour Road", "Portland", "97205", "United States"),
        ("Olivia", "Brennan", "Olivia", "55 Maple Avenue", "Denver", "80203", "United States"),
    ],
    "pl": [
        ("Anna", "Kowalska", "Anno", "ul. Lipowa 12/4", "Kraków", "31-042", "Polska"),
        ("Piotr", "Nowak", "Piotrze", "ul. Długa 5", "Gdańsk", "80-827", "Polska"),
        ("Katarzyna", "Wiśniewska", "Katarzyno", "al. Jerozolimskie 101", "Warszawa", "02-011", "Polska"),
    ],
    "ru": [
        ("Елена", "Смирнова", "Елена", "ул. Ленина, д. 10, кв. 5", "Москва", "101000", "Россия"),
        ("Дмитрий", "Иванов", "Дмитрий", "Невский пр., д. 28", "Санкт-Петербург", "191186", "Россия"),
        ("Ольга", "Кузнецова", "Ольга", "ул. Мира, д. 3", "Казань", "420015", "Россия"),
    ],
    "uk": [
        ("Олена", "Шевченко", "Олено", "вул. Хрещатик, 22", "Київ", "01001", "Україна"),
        ("Андрій", "Коваленко", "Андрію", "вул. Сумська, 14", "Харків", "61002", "Україна"),
        ("Марія", "Бондаренко", "Маріє", "просп. Свободи, 7", "Львів", "79000", "Україна"),
    ],
    "de": [
        ("Lena", "Schmidt", "Lena", "Hauptstraße 12", "Berlin", "10115", "Deutschland"),
        ("Jonas", "Becker", "Jonas", "Königsallee 48", "Düsseldorf", "40212", "Deutschland"),
        ("Sophie", "Wagner", "Sophie", "Marienplatz 3", "München", "80331", "Deutschland"),
    ],
    "zh": [
        ("伟", "王", "伟", "朝阳区建国路88号", "北京", "100022", "中国"),
        ("静", "李", "静", "浦东新区世纪大道100号", "上海", "200120", "中国"),
        ("磊", "张", "磊", "天河区体育西路191号", "广州", "510620", "中国"),
    ],
}

_PRODUCTS: dict[str, list[tuple[str, str]]] = {
    # name, price in the language's currency
    "en": [
        ("Wireless Noise-Cancelling Headphones", "149.99"),
        ("USB-C Charging Cable 2 m", "12.49"),
        ("Stainless Steel Water Bottle", "24.00"),
        ("Mechanical Keyboard, Brown Switches", "89.90"),
        ("Organic Cotton T-Shirt", "19.95"),
        ("Ceramic Pour-Over Coffee Set", "42.50"),
        ("Laptop Sleeve 14 inch", "29.00"),
    ],
    "pl": [
        ("Słuchawki bezprzewodowe z ANC", "599.00"),
        ("Kabel USB-C 2 m", "39.99"),
        ("Bidon stalowy 750 ml", "89.90"),
        ("Klawiatura mechaniczna", "349.00"),
        ("Koszulka bawełniana", "79.99"),
        ("Zestaw do kawy przelewowej", "159.00"),
        ("Etui na laptopa 14 cali", "119.50"),
    ],
    "ru": [
        ("Беспроводные наушники с шумоподавлением", "12990.00"),
        ("Кабель USB-C 2 м", "790.00"),
        ("Термобутылка из нержавеющей стали", "1890.00"),
        ("Механическая клавиатура", "7490.00"),
        ("Футболка из хлопка", "1290.00"),
        ("Набор для заваривания кофе", "3450.00"),
        ("Чехол для ноутбука 14 дюймов", "2190.00"),
    ],
    "uk": [
        ("Бездротові навушники з шумозаглушенням", "4999.00"),
        ("Кабель USB-C 2 м", "299.00"),
        ("Пляшка з нержавіючої сталі", "649.00"),
        ("Механічна клавіатура", "2899.00"),
        ("Бавовняна футболка", "549.00"),
        ("Набір для заварювання кави", "1299.00"),
        ("Чохол для ноутбука 14 дюймів", "899.00"),
    ],
    "de": [
        ("Kabellose Kopfhörer mit Geräuschunterdrückung", "139.99"),
        ("USB-C-Ladekabel 2 m", "11.99"),
        ("Edelstahl-Trinkflasche", "22.90"),
        ("Mechanische Tastatur", "84.95"),
        ("Bio-Baumwoll-T-Shirt", "19.99"),
        ("Kaffeebereiter-Set aus Keramik", "39.00"),
        ("Laptophülle 14 Zoll", "27.50"),
    ],
    "zh": [
        ("无线降噪耳机", "999.00"),
        ("USB-C 充电线 2米", "59.00"),
        ("不锈钢保温杯", "129.00"),
        ("机械键盘 茶轴", "499.00"),
        ("纯棉T恤", "89.00"),
        ("手冲咖啡套装", "268.00"),
        ("14英寸笔记本电脑包", "159.00"),
    ],
}

_SHIPPING = {"en": "5.99", "pl": "14.99", "ru": "350.00", "uk": "80.00", "de": "4.90", "zh": "0.00"}


def _sku(name: str) -> str:
    """A stable stock code for a product name (same name, same code, in every run)."""
    return f"SKU-{int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % 10_000:04d}"


def orders(language: str, count: int, *, seed: str = "", number: str = "{n}", start: int = 1) -> list[Order]:
    """``count`` orders for ``language``, 1 to 5 items each (cycling through every size).

    ``number`` shapes the order number: ``{n}`` is a running number from ``start``
    (e.g. ``"#{n}"``, ``"S{n:05d}"``, ``"R{n:09d}"``, ``"1000{n:05d}"``).
    """
    rng = random.Random(f"{language}/{seed}")
    out = []
    for i in range(count):
        first, last, vocative, street, city, postcode, country = _CUSTOMERS[language][i % len(_CUSTOMERS[language])]
        size = i % 5 + 1
        products = rng.sample(_PRODUCTS[language], size)
        items = [
            Item(name=name, sku=_sku(name), quantity=rng.choice((1, 1, 1, 2, 3)), unit_price=Decimal(price))
            for name, price in products
        ]
        latin = {"en": first, "de": first}.get(language, f"customer{i + 1}")
        customer = Customer(
            first=first,
            last=last,
            vocative=vocative,
            email=f"{latin.lower()}.{i + 1}@mailbox.example",
            street=street,
            city=city,
            postcode=postcode,
            country=country,
            phone=f"+{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        )
        out.append(
            Order(
                language=language,
                number=number.format(n=start + i),
                customer=customer,
                items=items,
                currency=CURRENCIES[language],
                shipping=Decimal(_SHIPPING[language]),
                created=datetime(2026, 11, 2 + i % 20, 9 + i % 8, 5 * (i % 12), tzinfo=UTC) + timedelta(seconds=i),
            )
        )
    return out


def money(amount: Decimal, language: str, currency: str | None = None) -> str:
    """``amount`` as the language's locale writes money: "$1,234.50", "1 234,50 zł", "1.234,50 €", "¥1,234.50"."""
    return format_currency(amount, currency or CURRENCIES[language], locale=LOCALES[language])


def number(amount: Decimal, language: str) -> str:
    """``amount`` as the locale writes a plain number with two decimals (no currency)."""
    return format_decimal(amount, format="#,##0.00", locale=LOCALES[language])


def item_labels(order: Order, *, unit_price: bool = True, line_total: bool = True) -> list[dict[str, Any]]:
    """The ``items`` label for what a template shows of each item: name, quantity, and the prices it prints."""
    out = []
    for item in order.items:
        label: dict[str, Any] = {"name": item.name, "quantity": item.quantity}
        label["unit_price"] = str(item.unit_price) if unit_price else None
        label["line_total"] = str(item.line_total) if line_total else None
        out.append(label)
    return out
