# ruff: noqa: E501 - message templates are clearer as the long lines shops send
"""Build the labelled corpus: shop emails of every kind in six languages, each beside its expected facts.

Run ``python -m tests.corpus.make_corpus`` to rebuild; the ``.eml`` files are
committed so tests read files, not this script. The labels come from the data
each message is built from (never from the analyser), in the shapes shops
really send: table layouts with inline CSS and thumbnails, Shopify-like
"Name × 2" rows, plain text only; quoted-printable, base64 and 8bit; legacy
charsets (iso-8859-2, windows-1250, koi8-r, windows-1251, gb2312, gbk, big5).
Also written: the real django-oscar confirmation shape and the demo stores' mail.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).parent / "messages"
# Captured or hand-labelled messages this script does not make (capture_oscar.py, real_*): never deleted here.
KEEP = ("oscar_real_", "real_")
DATE = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
KINDS = [
    "order_confirmation",
    "payment",
    "shipping",
    "delivery",
    "review_request",
    "support_reply",
    "account",
    "marketing",
    "abandoned_cart",
    "other",
]
SHAPES = ["table", "inline", "text"]


def _group(whole: str, sep: str) -> str:
    out = ""
    while len(whole) > 3:
        out = sep + whole[-3:] + out
        whole = whole[:-3]
    return whole + out


def fmt(amount: Decimal, style: str) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    if style == "usd":
        return f"${_group(whole, ',')}.{cents}"
    if style == "gbp":
        return f"£{_group(whole, ',')}.{cents}"
    if style == "pln":
        return f"{_group(whole, ' ')},{cents}\u00a0zł"
    if style == "pln_code":
        return f"{_group(whole, ' ')},{cents} PLN"
    if style == "rub":
        return f"{_group(whole, chr(0xA0))},{cents} ₽"
    if style == "rub_word":
        return f"{_group(whole, ' ')} руб."
    if style == "uah":
        return f"{_group(whole, ' ')},{cents} грн"
    if style == "eur":
        return f"{_group(whole, '.')},{cents} €"
    if style == "cny":
        return f"¥{_group(whole, ',')}.{cents}"
    if style == "cny_full":
        return f"￥{_group(whole, ',')}.{cents}"  # GB2312/GBK have only the full-width yen sign
    raise ValueError(style)


@dataclass
class Lang:
    code: str
    currency: str
    money: str
    store: str
    domain: str
    named: str  # greeting with a name
    name_value: str  # the name as written in the greeting
    generic: str
    products: list[tuple[str, str]]
    labels: dict[str, str]
    kinds: dict[str, tuple[str, str]]  # kind -> (subject, intro); {n} order number, {amount} an amount
    numbers: list[str]
    delivery: list[tuple[str, dict[str, Any]]]  # (sentence with its label, expected value)
    links: dict[str, str]
    recommendations: str
    charsets: tuple[str, str]  # (html legacy, text legacy)
    footer: str
    legacy_money: str | None = None  # the price style of shapes sent in a legacy charset
    address_label: str = ""  # the heading over the shipping address
    address: tuple[str, ...] = ()  # the shipping address, line by line
    returns: str = ""  # a sentence on returns or withdrawal (its link is links["returns"])


LANGS: dict[str, Lang] = {
    "en": Lang(
        code="en",
        currency="USD",
        money="usd",
        store="Northwind Outfitters",
        domain="northwind.example",
        named="Hi Anna,",
        name_value="Anna",
        generic="Dear customer,",
        products=[
            ("Merino Wool Beanie", "24.00"),
            ("Trail Running Socks 3-pack", "18.50"),
            ("Insulated Bottle 750 ml", "1032.00"),
        ],
        labels={
            "product": "Product",
            "qty": "Qty",
            "price": "Price",
            "line_total": "Total",
            "subtotal": "Subtotal",
            "shipping": "Shipping",
            "total": "Order total",
            "qty_inline": "Qty",
        },
        kinds={
            "order_confirmation": (
                "Order #{n} confirmed",
                "Thank you for your order! We have received order #{n} and are getting it ready.",
            ),
            "payment": (
                "Payment received for order #{n}",
                "We have received your payment of {amount} for order #{n}. Thank you!",
            ),
            "shipping": (
                "Your order #{n} has shipped",
                "Good news: your order #{n} is on its way with UPS, tracking number 1Z999AA10123456784.",
            ),
            "delivery": (
                "Your order #{n} has been delivered",
                "Your order #{n} was delivered today. We hope you enjoy it!",
            ),
            "review_request": (
                "How did we do? Review your purchase",
                "Thanks again for order #{n}. Would you write a review of the items you bought?",
            ),
            "support_reply": (
                "Re: Question about sizes",
                "Thank you for contacting us. About your question: the beanie is one size and stretches to fit.",
            ),
            "account": (
                "Welcome to Northwind! Confirm your email",
                "Your account has been created. Please confirm your email address to sign in.",
            ),
            "marketing": (
                "Winter sale: 30% off outerwear",
                "Shop the sale before it ends on Sunday. Use code WINTER30 at checkout.",
            ),
            "abandoned_cart": (
                "You left something in your cart",
                "Your cart is waiting! Complete your purchase before these items sell out.",
            ),
            "other": (
                "We updated our privacy policy",
                "We have updated our privacy policy. No action is needed on your part.",
            ),
        },
        numbers=["1053", "000000123", "R123456789", "NW-20431"],
        delivery=[
            ("Estimated delivery: 2–3 business days", {"kind": "relative", "min": 2, "max": 3}),
            ("Estimated delivery: Nov 26 – Nov 28", {"kind": "range", "from": "2026-11-26", "to": "2026-11-28"}),
            ("Expected delivery: November 27, 2026", {"kind": "date", "date": "2026-11-27"}),
        ],
        links={
            "order_status": "View your order",
            "tracking": "Track your package",
            "unsubscribe": "Unsubscribe",
            "support": "Contact us",
            "review": "Write a review",
            "returns": "Returns policy",
        },
        recommendations="You may also like",
        charsets=("windows-1252", "us-ascii"),
        footer="Northwind Outfitters, 12 Harbor Street, Portland, OR 97201",
        address_label="Shipping address",
        address=("Anna Kowalska", "221 Baker Street", "Portland, OR 97205", "United States"),
        returns="Changed your mind? You can return any item within 30 days.",
    ),
    "pl": Lang(
        code="pl",
        currency="PLN",
        money="pln",
        store="Sklep Żuraw",
        domain="zuraw.example",
        named="Dzień dobry Pani Anno,",
        name_value="Anno",
        generic="Szanowny Kliencie,",
        products=[
            ("Kubek ceramiczny Łąka", "49.99"),
            ("Czajnik stalowy 1,7 l", "1299.00"),
            ("Ściereczki lniane (zestaw)", "29.00"),
        ],
        labels={
            "product": "Produkt",
            "qty": "Ilość",
            "price": "Cena",
            "line_total": "Wartość",
            "subtotal": "Wartość produktów",
            "shipping": "Dostawa",
            "total": "Razem do zapłaty",
            "qty_inline": "Ilość",
        },
        kinds={
            "order_confirmation": (
                "Potwierdzenie zamówienia nr {n}",
                "Dziękujemy za złożenie zamówienia nr {n}. Przyjęliśmy je do realizacji.",
            ),
            "payment": (
                "Płatność przyjęta – zamówienie nr {n}",
                "Otrzymaliśmy płatność w wysokości {amount} za zamówienie nr {n}.",
            ),
            "shipping": (
                "Zamówienie nr {n} zostało wysłane",
                "Twoje zamówienie nr {n} zostało wysłane. Numer przesyłki InPost: 620111222333444555666777.",
            ),
            "delivery": (
                "Zamówienie nr {n} zostało dostarczone",
                "Twoja przesyłka z zamówieniem nr {n} została doręczona. Miłego korzystania!",
            ),
            "review_request": (
                "Oceń swoje zakupy w Sklepie Żuraw",
                "Jak Ci się podobają produkty z zamówienia nr {n}? Wystaw opinię – zajmie to minutę.",
            ),
            "support_reply": (
                "Odp: pytanie o dostawę",
                "Dziękujemy za kontakt. W odpowiedzi na Twoje pytanie: wysyłamy także do paczkomatów.",
            ),
            "account": (
                "Witamy w Sklepie Żuraw – aktywuj konto",
                "Twoje konto zostało utworzone. Potwierdź adres e-mail, aby się zalogować.",
            ),
            "marketing": (
                "Wyprzedaż -30% na naczynia tylko do niedzieli",
                "Sprawdź ofertę – promocja obowiązuje do niedzieli. Kod rabatowy: ZIMA30.",
            ),
            "abandoned_cart": (
                "Zostawiłeś coś w koszyku",
                "Produkty w Twoim koszyku wciąż czekają. Dokończ zakupy, zanim się wyprzedadzą.",
            ),
            "other": (
                "Zmiany w regulaminie sklepu",
                "Informujemy o zmianie regulaminu sklepu od 1 grudnia. Nie musisz nic robić.",
            ),
        },
        numbers=["ZAM-45871", "45872", "100457"],
        delivery=[
            ("Przewidywany czas dostawy: w ciągu 2 dni roboczych", {"kind": "relative", "min": 2, "max": 2}),
            (
                "Przewidywany termin dostawy: 26–28 listopada",
                {"kind": "range", "from": "2026-11-26", "to": "2026-11-28"},
            ),
            ("Termin dostawy: 27.11.2026", {"kind": "date", "date": "2026-11-27"}),
        ],
        links={
            "order_status": "Sprawdź status zamówienia",
            "tracking": "Śledź przesyłkę",
            "unsubscribe": "Wypisz się z newslettera",
            "support": "Skontaktuj się z nami",
            "review": "Wystaw opinię",
            "returns": "Zwroty i reklamacje",
        },
        recommendations="Polecamy również",
        charsets=("iso-8859-2", "windows-1250"),
        footer="Sklep Żuraw sp. z o.o., ul. Długa 5, 30-001 Kraków, NIP 6761234567",
        address_label="Adres dostawy",
        address=("Anna Kowalska", "ul. Polna 12/3", "31-042 Kraków", "Polska"),
        returns="Masz 14 dni na odstąpienie od umowy bez podania przyczyny.",
    ),
    "ru": Lang(
        code="ru",
        currency="RUB",
        money="rub",
        store="Магазин Берёзка",
        domain="berezka.example",
        named="Здравствуйте, Анна!",
        name_value="Анна",
        generic="Уважаемый покупатель!",
        products=[
            ("Чайник электрический", "2490.00"),
            ("Набор кружек (4 шт.)", "1190.00"),
            ("Плед шерстяной", "3450.00"),
        ],
        labels={
            "product": "Товар",
            "qty": "Кол-во",
            "price": "Цена",
            "line_total": "Сумма",
            "subtotal": "Стоимость товаров",
            "shipping": "Доставка",
            "total": "Итого к оплате",
            "qty_inline": "Количество",
        },
        kinds={
            "order_confirmation": (
                "Заказ № {n} оформлен",
                "Спасибо за заказ! Ваш заказ № {n} принят и передан в обработку.",
            ),
            "payment": (
                "Оплата получена: заказ № {n}",
                "Мы получили оплату на сумму {amount} по заказу № {n}. Спасибо!",
            ),
            "shipping": (
                "Заказ № {n} отправлен",
                "Ваш заказ № {n} отправлен службой доставки СДЭК. Трек-номер: 1234567890.",
            ),
            "delivery": ("Заказ № {n} доставлен", "Ваш заказ № {n} доставлен. Надеемся, покупка вам понравится!"),
            "review_request": (
                "Оцените покупку в магазине Берёзка",
                "Как вам товары из заказа № {n}? Оставьте отзыв - это займёт минуту.",
            ),
            "support_reply": (
                "Re: вопрос о доставке",
                "Спасибо за обращение. По вашему вопросу: мы доставляем в пункты выдачи по всей России.",
            ),
            "account": (
                "Добро пожаловать! Подтвердите email",
                "Ваш аккаунт создан. Подтвердите адрес электронной почты, чтобы войти в личный кабинет.",
            ),
            "marketing": (
                "Распродажа: скидки до 40% только до воскресенья",
                "Успейте купить со скидкой! Промокод ЗИМА40 действует до воскресенья.",
            ),
            "abandoned_cart": (
                "Вы забыли товары в корзине",
                "Товары в вашей корзине ждут вас. Завершите покупку, пока они есть в наличии.",
            ),
            "other": (
                "Изменение графика работы",
                "Сообщаем, что с 1 декабря пункт самовывоза работает с 10:00 до 20:00.",
            ),
        },
        numbers=["4521873", "4521874", "RU-88123"],
        delivery=[
            ("Срок доставки: 3–5 рабочих дней", {"kind": "relative", "min": 3, "max": 5}),
            ("Ожидаемая дата доставки: 27 ноября", {"kind": "date", "date": "2026-11-27"}),
            ("Срок доставки: в течение 2 рабочих дней", {"kind": "relative", "min": 2, "max": 2}),
        ],
        links={
            "order_status": "Статус заказа",
            "tracking": "Отследить посылку",
            "unsubscribe": "Отписаться от рассылки",
            "support": "Служба поддержки",
            "review": "Оставить отзыв",
            "returns": "Условия возврата",
        },
        recommendations="Вам может понравиться",
        charsets=("koi8-r", "windows-1251"),
        legacy_money="rub_word",
        footer="ООО Берёзка, Москва, ул. Тверская, 1",
        address_label="Адрес доставки",
        address=("Анна Смирнова", "ул. Ленина, д. 10, кв. 5", "125009 Москва", "Россия"),
        returns="Вы можете оформить возврат товара в течение 14 дней.",
    ),
    "uk": Lang(
        code="uk",
        currency="UAH",
        money="uah",
        store="Крамниця Соняшник",
        domain="sonyashnyk.example",
        named="Вітаємо, Олено!",
        name_value="Олено",
        generic="Шановний клієнте,",
        products=[("Чашка керамічна", "189.00"), ("Вишиванка лляна", "1850.00"), ("Мед гречаний 500 г", "145.50")],
        labels={
            "product": "Товар",
            "qty": "Кількість",
            "price": "Ціна",
            "line_total": "Сума",
            "subtotal": "Вартість товарів",
            "shipping": "Доставка",
            "total": "Разом до сплати",
            "qty_inline": "Кількість",
        },
        kinds={
            "order_confirmation": (
                "Замовлення № {n} прийнято",
                "Дякуємо за замовлення! Ваше замовлення № {n} прийнято в обробку.",
            ),
            "payment": (
                "Оплату отримано: замовлення № {n}",
                "Ми отримали оплату на суму {amount} за замовлення № {n}. Дякуємо!",
            ),
            "shipping": (
                "Замовлення № {n} відправлено",
                "Ваше замовлення № {n} відправлено Новою поштою. Номер накладної (ТТН): 20450012345678.",
            ),
            "delivery": (
                "Замовлення № {n} доставлено",
                "Ваше замовлення № {n} доставлено. Сподіваємося, покупка вам сподобається!",
            ),
            "review_request": (
                "Оцініть покупку в Крамниці Соняшник",
                "Як вам товари із замовлення № {n}? Залиште відгук - це займе хвилину.",
            ),
            "support_reply": (
                "Re: питання щодо доставки",
                "Дякуємо за звернення. Щодо вашого питання: ми доставляємо у всі відділення Нової пошти.",
            ),
            "account": (
                "Ласкаво просимо! Підтвердіть email",
                "Ваш акаунт створено. Підтвердіть адресу електронної пошти, щоб увійти в особистий кабінет.",
            ),
            "marketing": (
                "Розпродаж: знижки до 30% тільки до неділі",
                "Встигніть купити зі знижкою! Промокод ЗИМА30 діє до неділі.",
            ),
            "abandoned_cart": (
                "Ви забули товари у кошику",
                "Товари у вашому кошику чекають на вас. Завершіть покупку, поки вони є в наявності.",
            ),
            "other": (
                "Зміни в правилах магазину",
                "Повідомляємо, що з 1 грудня змінюються правила повернення товарів.",
            ),
        },
        numbers=["UA-778812", "778813", "778814"],
        delivery=[
            ("Очікувана дата доставки: 27 листопада", {"kind": "date", "date": "2026-11-27"}),
            ("Термін доставки: 1–2 робочих днів", {"kind": "relative", "min": 1, "max": 2}),
            ("Термін доставки: протягом 3 робочих днів", {"kind": "relative", "min": 3, "max": 3}),
        ],
        links={
            "order_status": "Статус замовлення",
            "tracking": "Відстежити посилку",
            "unsubscribe": "Відписатися від розсилки",
            "support": "Служба підтримки",
            "review": "Залишити відгук",
            "returns": "Умови повернення",
        },
        recommendations="Вам може сподобатися",
        charsets=("windows-1251", "koi8-u"),
        footer="ТОВ Соняшник, Київ, вул. Хрещатик, 22",
        address_label="Адреса доставки",
        address=("Олена Коваленко", "вул. Шевченка, 15, кв. 7", "01001 Київ", "Україна"),
        returns="Ви можете оформити повернення товару протягом 14 днів.",
    ),
    "de": Lang(
        code="de",
        currency="EUR",
        money="eur",
        store="Kaufhaus Müller",
        domain="mueller-kaufhaus.example",
        named="Hallo Anna,",
        name_value="Anna",
        generic="Sehr geehrte Kundin, sehr geehrter Kunde,",
        products=[
            ("Kaffeemühle Edelstahl", "1249.00"),
            ("Espressotassen (2 Stück)", "19.90"),
            ("Milchaufschäumer", "34.95"),
        ],
        labels={
            "product": "Artikel",
            "qty": "Menge",
            "price": "Einzelpreis",
            "line_total": "Gesamtpreis",
            "subtotal": "Zwischensumme",
            "shipping": "Versandkosten",
            "total": "Gesamtsumme",
            "qty_inline": "Menge",
        },
        kinds={
            "order_confirmation": (
                "Ihre Bestellung Nr. {n} – Bestellbestätigung",
                "Vielen Dank für Ihre Bestellung! Wir haben Ihre Bestellung Nr. {n} erhalten.",
            ),
            "payment": (
                "Zahlungsbestätigung zu Bestellung Nr. {n}",
                "Wir haben Ihre Zahlung über {amount} für die Bestellung Nr. {n} erhalten.",
            ),
            "shipping": (
                "Versandbestätigung: Bestellung Nr. {n} ist unterwegs",
                "Ihre Bestellung Nr. {n} wurde versandt. Sendungsnummer DHL: 00340434161094042557.",
            ),
            "delivery": (
                "Ihre Bestellung Nr. {n} wurde zugestellt",
                "Ihre Bestellung Nr. {n} wurde zugestellt. Viel Freude damit!",
            ),
            "review_request": (
                "Wie zufrieden sind Sie? Jetzt bewerten",
                "Wie gefallen Ihnen die Artikel aus Bestellung Nr. {n}? Geben Sie eine Bewertung ab.",
            ),
            "support_reply": (
                "AW: Frage zur Lieferung",
                "Vielen Dank für Ihre Anfrage. Zu Ihrer Frage: Wir liefern auch nach Österreich.",
            ),
            "account": (
                "Willkommen bei Kaufhaus Müller – E-Mail-Adresse bestätigen",
                "Ihr Kundenkonto wurde eröffnet. Bitte bestätigen Sie Ihre E-Mail-Adresse.",
            ),
            "marketing": (
                "Nur heute: 20 % Rabatt auf Kaffeezubehör",
                "Jetzt shoppen und sparen! Mit dem Gutscheincode KAFFEE20 erhalten Sie 20 % Rabatt.",
            ),
            "abandoned_cart": (
                "Noch etwas im Warenkorb?",
                "In Ihrem Warenkorb warten noch Artikel auf Sie. Schließen Sie Ihren Kauf jetzt ab.",
            ),
            "other": (
                "Änderung unserer Öffnungszeiten",
                "Ab dem 1. Dezember ist unser Ladengeschäft samstags bis 18 Uhr geöffnet.",
            ),
        },
        numbers=["300123456", "300123457", "DE-55102"],
        delivery=[
            (
                "Voraussichtliche Lieferung: 26.–28. November",
                {"kind": "range", "from": "2026-11-26", "to": "2026-11-28"},
            ),
            ("Lieferzeit: innerhalb von 2-3 Werktagen", {"kind": "relative", "min": 2, "max": 3}),
            ("Voraussichtliches Lieferdatum: 27.11.2026", {"kind": "date", "date": "2026-11-27"}),
        ],
        links={
            "order_status": "Bestellstatus ansehen",
            "tracking": "Sendung verfolgen",
            "unsubscribe": "Newsletter abbestellen",
            "support": "Kundenservice kontaktieren",
            "review": "Jetzt bewerten",
            "returns": "Widerrufsbelehrung",
        },
        recommendations="Das könnte Ihnen auch gefallen",
        charsets=("iso-8859-1", "windows-1252"),
        footer="Kaufhaus Müller GmbH, Königstraße 1, 70173 Stuttgart",
        address_label="Lieferadresse",
        address=("Anna Schmidt", "Hauptstraße 12", "10115 Berlin", "Deutschland"),
        returns="Sie haben ein 14-tägiges Widerrufsrecht; die Rücksendung ist kostenlos.",
    ),
    "zh": Lang(
        code="zh",
        currency="CNY",
        money="cny",
        store="青竹商城",
        domain="qingzhu.example",
        named="亲爱的张伟：",
        name_value="张伟",
        generic="尊敬的客户，您好！",
        products=[("青花瓷茶杯", "128.00"), ("龙井绿茶 250克", "1299.00"), ("竹制茶盘", "89.50")],
        labels={
            "product": "商品",
            "qty": "数量",
            "price": "单价",
            "line_total": "小计",
            "subtotal": "商品总额",
            "shipping": "运费",
            "total": "实付金额",
            "qty_inline": "数量",
        },
        kinds={
            "order_confirmation": ("订单确认：订单号 {n}", "感谢您的订购！我们已收到您的订单，订单号：{n}。"),
            "payment": ("支付成功：订单号 {n}", "您已成功支付 {amount}，订单号：{n}。"),
            "shipping": (
                "您的订单已发货（订单号 {n}）",
                "您的订单已发货，订单号：{n}，快递公司：顺丰速运，运单号：SF1234567890123。",
            ),
            "delivery": ("您的包裹已签收（订单号 {n}）", "您的订单（订单号：{n}）已签收，感谢您的支持！"),
            "review_request": (
                "请评价您购买的商品",
                "您购买的商品（订单号：{n}）用得怎么样？欢迎发表评价，分享您的使用体验。",
            ),
            "support_reply": ("回复：关于发货时间的咨询", "感谢您的咨询。关于您的问题：我们的仓库每天下午四点前发货。"),
            "account": ("欢迎加入青竹商城，请验证邮箱", "您的账户已注册成功，请验证邮箱后登录。"),
            "marketing": ("双十二优惠：全场茶具八折", "限时优惠，立即购买！领取优惠券，全场茶具八折。"),
            "abandoned_cart": ("您的购物车还在等您", "您的购物车中还有商品，完成购买前库存可能售罄。"),
            "other": ("隐私政策更新通知", "我们更新了隐私政策，您无需进行任何操作。"),
        },
        numbers=["202611230001", "202611230002", "CN20261123"],
        delivery=[
            ("预计送达：11月27日", {"kind": "date", "date": "2026-11-27"}),
            ("预计3-5个工作日送达", {"kind": "relative", "min": 3, "max": 5}),
            ("预计送达：2026年11月27日", {"kind": "date", "date": "2026-11-27"}),
        ],
        links={
            "order_status": "查看订单",
            "tracking": "查看物流",
            "unsubscribe": "退订邮件",
            "support": "联系客服",
            "review": "去评价",
            "returns": "退换货政策",
        },
        recommendations="猜你喜欢",
        charsets=("gb2312", "gbk"),
        legacy_money="cny_full",
        footer="青竹商城 杭州市西湖区文三路 100 号",
        address_label="收货地址",
        address=("张伟", "浙江省杭州市西湖区文三路200号", "邮编 310012"),
        returns="商品签收后7天内支持无理由退货。",
    ),
}

# Which kinds show what. Items: the ordered lines (or the cart's).
HAS_ITEMS = {"order_confirmation", "abandoned_cart"}
HAS_TOTALS = {"order_confirmation"}
HAS_NUMBER = {"order_confirmation", "payment", "shipping", "delivery", "review_request"}
LINKS_BY_KIND = {
    "order_confirmation": ["order_status", "support"],
    "payment": ["order_status", "support"],
    "shipping": ["tracking", "support"],
    "delivery": ["review", "support"],
    "review_request": ["review", "unsubscribe"],
    "support_reply": ["support"],
    "account": ["support"],
    "marketing": ["unsubscribe"],
    "abandoned_cart": ["unsubscribe"],
    "other": ["support"],
}


def _e(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass
class Built:
    subject: str
    text: str
    html: str | None
    expected: dict[str, Any]
    headers: dict[str, str]


def build(lang: Lang, kind: str, shape: str, variant: int) -> Built:
    """One message's text, HTML and its expected facts, from the same data."""
    L = lang.labels
    number = lang.numbers[variant % len(lang.numbers)]
    url = f"https://{lang.domain}"
    qtys = [2, 1, 3]
    count = 2 if variant % 2 == 0 else 3
    lines = []
    for (name, price), qty in zip(lang.products[:count], qtys, strict=False):
        unit = Decimal(price)
        lines.append({"name": name, "qty": qty, "unit": unit, "total": unit * qty, "slug": f"p{len(lines) + 1}"})
    subtotal = sum((ln["total"] for ln in lines), Decimal("0"))
    shipping = Decimal("0.00") if subtotal > 1000 else Decimal("15.00")
    total = subtotal + shipping
    money_style = lang.money if shape == "table" else (lang.legacy_money or lang.money)
    m = lambda a: fmt(a, money_style)  # noqa: E731
    subject_t, intro_t = lang.kinds[kind]
    subject = subject_t.format(n=number, amount=m(total))
    intro = intro_t.format(n=number, amount=m(total))
    greeting_named = (variant + KINDS.index(kind)) % 3 != 2
    greet = lang.named if greeting_named else lang.generic
    if kind in ("marketing", "other"):
        greet = None
    expected: dict[str, Any] = {"kind": kind, "language": lang.code}
    expected["greeting"] = (
        None if greet is None else ({"name": lang.name_value} if greeting_named else {"generic": True})
    )
    expected["order_number"] = number if kind in HAS_NUMBER else None
    show_items = kind in HAS_ITEMS
    expected["items"] = (
        [
            {"name": ln["name"], "quantity": ln["qty"], "unit_price": str(ln["unit"]), "line_total": str(ln["total"])}
            for ln in lines
        ]
        if show_items
        else []
    )
    shows_prices = show_items or kind == "payment" or (kind == "marketing" and shape != "text")
    expected["currency"] = lang.currency if shows_prices else None
    expected["total"] = str(total) if kind in HAS_TOTALS or kind == "payment" else None
    expected["subtotal"] = str(subtotal) if kind in HAS_TOTALS else None
    expected["shipping"] = str(shipping) if kind in HAS_TOTALS else None
    delivery = None
    if kind in ("order_confirmation", "shipping") and variant % 3 != 1:
        delivery = lang.delivery[(variant + (kind == "shipping")) % len(lang.delivery)]
    expected["delivery_estimate"] = delivery[1] if delivery else None
    # Some confirmations and shipping notices repeat the address; some confirmations and delivery notices
    # explain returns (with a returns link); each language gets messages with and without.
    show_address = (kind == "order_confirmation" and variant % 4 in (0, 1)) or (kind == "shipping" and variant % 2)
    show_returns = (kind == "order_confirmation" and variant % 4 in (0, 3)) or (kind == "delivery" and not variant % 2)
    one_line_address = variant % 4 == 1  # "Adres dostawy: Anna Kowalska, ul. Polna 12/3, ..." in the text part
    link_roles = LINKS_BY_KIND[kind] + (["returns"] if show_returns else [])
    expected["shipping_address"] = ", ".join(lang.address) if show_address else None
    # the Ukrainian "other" notice is about the returns rules changing: a sentence on returns, too
    expected["returns"] = bool(show_returns or (lang.code == "uk" and kind == "other"))
    expected["links"] = sorted(link_roles)
    recs = kind == "order_confirmation" and shape == "table" and variant % 2 == 0
    expected["recommendations"] = recs
    expected["has_text_part"] = shape != "html_only"
    headers: dict[str, str] = {}
    if kind in ("marketing", "review_request", "abandoned_cart"):
        headers["List-Unsubscribe"] = f"<{url}/unsubscribe?u=42>, <mailto:unsubscribe@{lang.domain}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if kind == "marketing":
        headers["Precedence"] = "bulk"
    if kind == "support_reply":
        headers["In-Reply-To"] = f"<question-{variant}@{lang.domain}>"
        headers["References"] = headers["In-Reply-To"]
    expected["list_unsubscribe"] = "List-Unsubscribe" in headers
    auth = None
    if variant % 2 == 0:
        result = "fail" if kind == "marketing" else "pass"
        headers["Authentication-Results"] = (
            f"mx.mailbox.example; spf=pass smtp.mailfrom={lang.domain}; "
            f"dkim=pass header.d={lang.domain}; dmarc={result} (p=quarantine) header.from={lang.domain}"
        )
        auth = {"spf": "pass", "dkim": "pass", "dmarc": result}
    expected["authentication"] = auth or {}
    schema = None
    if shape == "inline" and kind == "order_confirmation":
        schema = {
            "@context": "https://schema.org",
            "@type": "Order",
            "merchant": {"@type": "Organization", "name": lang.store},
            "orderNumber": number,
            "orderStatus": "https://schema.org/OrderProcessing",
            "priceCurrency": lang.currency,
            "price": str(total),
            "acceptedOffer": [
                {
                    "@type": "Offer",
                    "itemOffered": {"@type": "Product", "name": ln["name"]},
                    "price": str(ln["unit"]),
                    "priceCurrency": lang.currency,
                    "eligibleQuantity": {"@type": "QuantitativeValue", "value": ln["qty"]},
                }
                for ln in lines
            ],
            "url": f"{url}/account/orders/{number}",
        }
    if shape == "inline" and kind == "shipping":
        schema = {
            "@context": "http://schema.org",
            "@type": "ParcelDelivery",
            "carrier": {"@type": "Organization", "name": "UPS"},
            "trackingNumber": "1Z999AA10123456784",
            "trackingUrl": f"{url}/track/1Z999AA10123456784",
            "deliveryAddress": {"@type": "PostalAddress", "streetAddress": "1 Main St"},
            "partOfOrder": {
                "@type": "Order",
                "orderNumber": number,
                "merchant": {"@type": "Organization", "name": lang.store},
            },
        }
    microdata = shape == "table" and kind == "order_confirmation" and lang.code == "de"
    expected["schema_org"] = [schema["@type"]] if schema else (["Order"] if microdata else [])
    product_images = show_items and shape != "text"
    expected["product_images"] = len(lines) if product_images else 0

    # ---- text part -------------------------------------------------------------------------
    t: list[str] = []
    if greet:
        t += [greet, ""]
    t += [intro, ""]
    if show_items:
        for ln in lines:
            if lang.code == "zh":
                t.append(f"{ln['name']} × {ln['qty']}  {m(ln['total'])}")
            elif variant % 2:
                t.append(f"{ln['qty']} x {ln['name']} — {m(ln['total'])}")
            else:
                t.append(f"* {ln['name']} - {L['qty_inline']}: {ln['qty']} - {m(ln['total'])}")
        t.append("")
    if kind in HAS_TOTALS:
        t += [f"{L['subtotal']}: {m(subtotal)}", f"{L['shipping']}: {m(shipping)}", f"{L['total']}: {m(total)}", ""]
    if show_address:
        if one_line_address:
            t += [f"{lang.address_label}: {', '.join(lang.address)}", ""]
        else:
            t += [f"{lang.address_label}:", *lang.address, ""]
    if delivery:
        t += [delivery[0], ""]
    if show_returns:
        t += [lang.returns, ""]
    link_urls = {
        "order_status": f"{url}/account/orders/{number}",
        "tracking": f"{url}/track/1Z999AA10123456784",
        "unsubscribe": f"{url}/newsletter/unsubscribe?u=42",
        "support": f"{url}/help/contact",
        "review": f"{url}/reviews/new?order={number}",
        "returns": f"{url}/pages/returns",
    }
    for role in link_roles:
        t.append(f"{lang.links[role]}: {link_urls[role]}")
    t += ["", "--", lang.footer]
    text = "\n".join(t) + "\n"

    if shape == "text":
        return Built(subject, text, None, expected, headers)

    # ---- HTML part ---------------------------------------------------------------------------
    css_td = "padding:8px;border-bottom:1px solid #eeeeee;font-family:Arial,sans-serif;font-size:14px;"
    h: list[str] = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{_e(subject)}</title><style>body{{margin:0}} .btn{{background:#1f5fa8;color:#fff}}</style>",
    ]
    if schema:
        h.append(f'<script type="application/ld+json">{json.dumps(schema, ensure_ascii=False)}</script>')
    body_attrs = ' itemscope itemtype="http://schema.org/Order"' if microdata else ""
    h.append(f'</head><body style="margin:0;background:#f4f4f4;"{body_attrs}>')
    if microdata:
        h.append(
            f'<meta itemprop="orderNumber" content="{number}"><meta itemprop="priceCurrency" content="{lang.currency}">'
        )
        h.append('<link itemprop="orderStatus" href="http://schema.org/OrderProcessing">')
    h.append('<div style="display:none;max-height:0;overflow:hidden;">&nbsp;</div>')
    h.append(
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">'
    )
    h.append('<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff;">')
    h.append(
        f'<tr><td style="padding:24px;"><img src="{url}/static/logo.png" alt="{_e(lang.store)}" width="160" height="40"></td></tr>'
    )
    h.append('<tr><td style="padding:0 24px;font-family:Arial,sans-serif;">')
    if greet:
        h.append(f'<p style="margin:0 0 16px 0;">{_e(greet)}</p>')
    h.append(f'<p style="margin:0 0 16px 0;">{_e(intro)}</p></td></tr>')
    if show_items:
        h.append(
            '<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
        )
        if shape == "table":
            h.append(
                f'<tr><th colspan="2" align="left" style="{css_td}">{L["product"]}</th>'
                f'<th style="{css_td}">{L["qty"]}</th><th style="{css_td}">{L["price"]}</th>'
                f'<th align="right" style="{css_td}">{L["line_total"]}</th></tr>'
            )
            for ln in lines:
                h.append(
                    f'<tr><td width="72" style="{css_td}"><img src="{url}/media/{ln["slug"]}_64.jpg" alt="{_e(ln["name"])}" width="64" height="64"></td>'
                    f'<td style="{css_td}"><a href="{url}/p/{ln["slug"]}" style="color:#222;">{_e(ln["name"])}</a></td>'
                    f'<td align="center" style="{css_td}">{ln["qty"]}</td>'
                    f'<td align="right" style="{css_td}">{_e(m(ln["unit"]))}</td>'
                    f'<td align="right" style="{css_td}">{_e(m(ln["total"]))}</td></tr>'
                )
        else:
            for ln in lines:
                h.append(
                    f'<tr><td width="72" style="{css_td}"><img src="{url}/cdn/{ln["slug"]}.png?w=120" alt="" width="60" height="60"></td>'
                    f'<td style="{css_td}"><strong>{_e(ln["name"])}</strong> × {ln["qty"]}</td>'
                    f'<td align="right" style="{css_td}">{_e(m(ln["total"]))}</td></tr>'
                )
        h.append("</table></td></tr>")
    if kind in HAS_TOTALS:
        h.append(
            '<tr><td style="padding:8px 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
        )
        for label, amount in ((L["subtotal"], subtotal), (L["shipping"], shipping), (L["total"], total)):
            h.append(
                f'<tr><td align="right" style="padding:4px 8px;">{_e(label)}</td>'
                f'<td align="right" width="120" style="padding:4px 8px;">{_e(m(amount))}</td></tr>'
            )
        h.append("</table></td></tr>")
    if kind == "marketing":
        h.append('<tr><td style="padding:0 24px;"><table role="presentation" width="100%"><tr>')
        for name, price in lang.products:
            h.append(
                f'<td align="center" width="33%"><a href="{url}/p/{_e(name)}"><img src="{url}/media/sale_{len(h)}.jpg" alt="{_e(name)}" width="160" height="160"></a>'
                f"<p>{_e(name)}</p><p><s>{_e(m(Decimal(price)))}</s> {_e(m(Decimal(price) * 7 / 10))}</p></td>"
            )
        h.append("</tr></table></td></tr>")
    if show_address and shape == "table":
        h.append(
            '<tr><td style="padding:8px 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
            f'<tr><td valign="top" width="160" style="{css_td}"><strong>{_e(lang.address_label)}</strong></td>'
            f'<td style="{css_td}">{"<br>".join(_e(a) for a in lang.address)}</td></tr></table></td></tr>'
        )
    elif show_address:
        h.append(
            f'<tr><td style="padding:8px 24px;"><p style="margin:0;"><strong>{_e(lang.address_label)}</strong><br>'
            f"{'<br>'.join(_e(a) for a in lang.address)}</p></td></tr>"
        )
    if delivery:
        h.append(
            f'<tr><td style="padding:8px 24px;"><p style="margin:0;"><strong>{_e(delivery[0])}</strong></p></td></tr>'
        )
    if show_returns:
        h.append(f'<tr><td style="padding:8px 24px;"><p style="margin:0;">{_e(lang.returns)}</p></td></tr>')
    h.append('<tr><td style="padding:16px 24px;">')
    for role in link_roles:
        style = "btn" if role != "unsubscribe" else "small"
        h.append(
            f'<p style="margin:0 0 8px 0;"><a class="{style}" href="{link_urls[role]}">{_e(lang.links[role])}</a></p>'
        )
    h.append("</td></tr>")
    if recs:
        h.append(f'<tr><td style="padding:16px 24px;"><h3 style="margin:0 0 8px 0;">{_e(lang.recommendations)}</h3>')
        h.append('<table role="presentation" width="100%"><tr>')
        for name, price in reversed(lang.products):
            h.append(
                f'<td align="center"><img src="{url}/media/rec_{len(h)}.jpg" alt="{_e(name)}" width="120" height="120">'
                f"<br>{_e(name)}<br>{_e(m(Decimal(price)))}</td>"
            )
        h.append("</tr></table></td></tr>")
    h.append(f'<tr><td style="padding:24px;color:#999;font-size:12px;">{_e(lang.footer)}</td></tr>')
    h.append(f'<tr><td><img src="{url}/o/open.gif?id=42" width="1" height="1" alt=""></td></tr>')
    h.append("</table></td></tr></table></body></html>")
    html = "\n".join(h)
    return Built(subject, text, html, expected, headers)


def compose(lang: Lang, built: Built, shape: str, variant: int, sender: str | None = None) -> bytes:
    """A MIME message with the transfer encodings and charsets this shape uses."""
    msg = EmailMessage()
    msg["From"] = f'"{lang.store}" <{sender or "shop@" + lang.domain}>'
    msg["To"] = "anna.kowalska+run7@mailbox.example"
    msg["Subject"] = built.subject
    msg["Date"] = format_datetime(DATE)
    digest = hashlib.sha1(built.subject.encode()).hexdigest()[:10]
    msg["Message-ID"] = f"<{lang.code}-{shape}-{variant}-{digest}@{lang.domain}>"
    for name, value in built.headers.items():
        msg[name] = value
    html_charset, text_charset = lang.charsets
    if shape == "text":
        built.text = _legacy_text(built.text, text_charset)
        msg.set_content(
            built.text, charset=_fit(built.text, text_charset), cte="8bit" if variant % 2 else "quoted-printable"
        )
        return stable(msg, digest)
    if shape == "table":
        msg.set_content(built.text, charset="utf-8", cte="quoted-printable")
        msg.add_alternative(built.html or "", subtype="html", charset="utf-8", cte="quoted-printable")
    else:
        text = _legacy_text(built.text, html_charset)
        charset = _fit(text, html_charset)
        html = (built.html or "").replace('<meta charset="utf-8">', f'<meta charset="{charset}">')
        html = html.encode(charset, "xmlcharrefreplace").decode(charset)  # what legacy systems do
        built.text = text
        msg.set_content(built.text, charset=charset, cte="base64")
        msg.add_alternative(html, subtype="html", charset=charset, cte="base64")
    return stable(msg, digest)


def _legacy_text(text: str, charset: str) -> str:
    """Plain text in a legacy charset: typographic dashes and signs become their ASCII stand-ins."""
    if charset.startswith(("utf", "gb", "big5")):
        return text
    for fancy, plain in (("–", "-"), ("—", "-"), ("×", "x"), ("…", "..."), ("№", "N")):
        try:
            fancy.encode(charset)
        except UnicodeEncodeError:
            text = text.replace(fancy, plain)
    return text


def _fit(text: str, charset: str) -> str:
    """The legacy charset if the text fits it, else UTF-8 (a shop would have done the same)."""
    try:
        text.encode(charset)
        return charset
    except UnicodeEncodeError:
        return "utf-8"


def stable(msg: EmailMessage, seed: str) -> bytes:
    """Serialize with boundaries derived from ``seed``, so rebuilding the corpus changes no file."""
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=={hashlib.sha1(f'{seed}/{i}'.encode()).hexdigest()[:16]}==")
    return bytes(msg)


def write(name: str, raw: bytes, expected: dict[str, Any]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.eml").write_bytes(raw)
    (OUT / f"{name}.expected.yaml").write_text(
        yaml.safe_dump(expected, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def build_language_corpus() -> int:
    count = 0
    for li, (code, lang) in enumerate(LANGS.items()):
        for ki, kind in enumerate(KINDS):
            for variant_offset in (0, 1):
                shape = SHAPES[(li + ki + variant_offset) % 3]
                variant = li + ki + 2 * variant_offset
                built = build(lang, kind, shape, variant)
                raw = compose(lang, built, shape, variant)
                write(f"{code}_{kind}_{shape}_{variant}", raw, built.expected)
                count += 1
    return count


# ---- the real django-oscar 4.2.1 confirmation, as its templates render it -------------------------
OSCAR_TEXT = """Hello,

We are pleased to confirm your order {number} has been received and
will be processed shortly.

Your order contains:

{lines}
Basket total: {basket}
Shipping: {shipping}
Order Total: {total}

Shipping address:

  Anna Kowalska
  ul. Długa 5
  Kraków
  30-001
  Poland



You can view the status of this order at the below URL:
http://{site}/accounts/orders/{number}/


The team
"""


def oscar(
    number: str, lines: list[tuple[str, int, Decimal]], site: str = "127.0.0.1:8123"
) -> tuple[bytes, dict[str, Any]]:
    """Oscar's commtype_order_placed body.txt/body.html with line prices (line totals) in EUR."""
    eur = lambda a: f"€{a:.2f}"  # noqa: E731 - Oscar's currency filter for EUR in the en locale
    basket = sum((q * p for _, q, p in lines), Decimal("0"))
    text = OSCAR_TEXT.format(
        number=number,
        lines="".join(f" * {t} - quantity: {q} - price: {eur(q * p)}\n" for t, q, p in lines),
        basket=eur(basket),
        shipping=eur(Decimal("0.00")),
        total=eur(basket),
        site=site,
    )
    rows = "".join(
        f"""
                                <tr>
                                    <td>{_e(t)} &times; {q}</td>
                                    <td class="alignright">{eur(q * p)}</td>
                                </tr>"""
        for t, q, p in lines
    )
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
    <head>
        <meta name="viewport" content="width=device-width" />
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
        <style>
            * {{ margin: 0; font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; box-sizing: border-box; font-size: 14px; }}
            .order .order-items .total td {{ border-top: 2px solid #333; font-weight: 700; }}
        </style>
    </head>
    <body itemscope itemtype="http://schema.org/EmailMessage">
    <table class="body-wrap">
        <tr>
            <td></td>
            <td class="container" width="600">
                <div class="content">
                    <table class="main" width="100%" cellpadding="0" cellspacing="0" itemprop="action" itemscope itemtype="http://schema.org/ConfirmAction">
                        <tr>
                            <td class="content-wrap">
                                <table width="100%" cellpadding="0" cellspacing="0">
<tr>
    <td class="content-block">
        <p xmlns="http://www.w3.org/1999/html">Hello,</p>
        <p>We are pleased to confirm your order {number} has been received and
        will be processed shortly.</p>
    </td>
</tr>
<tr>
    <td class="content-block">
        <table class="order">
            <tbody><tr>
                <td>Your order contains:</td>
            </tr>
            <tr>
                <td>
                    <table class="order-items" cellpadding="0" cellspacing="0">
                        <tbody>{rows}
                            <tr>
                                <td class="alignright">Basket total:</td>
                                <td class="alignright">{eur(basket)}</td>
                            </tr>
                            <tr>
                                <td class="alignright">Shipping:</td>
                                <td class="alignright">{eur(Decimal("0.00"))}</td>
                            </tr>
                            <tr class="total">
                                <td class="alignright" width="80%">Order Total:</td>
                                <td class="alignright">{eur(basket)}</td>
                            </tr>
                        </tbody>
                    </table>
                </td>
            </tr>
        </tbody></table>
    </td>
</tr>
<tr>
    <td class="content-block">
        <p>Shipping address:</p>
        <p>  Anna Kowalska<br/>
          ul. Długa 5<br/>
          Kraków<br/>
          30-001<br/>
          Poland<br/>
        </p>
    </td>
</tr>
    <tr>
        <td class="content-block">
            You can view the status of this order by clicking <a href="http://{site}/accounts/orders/{number}/" title="order status">here</a>
        </td>
    </tr>
                                        <tr>
                                            <td class="content-block">
                                                <p>Thanks for using our site!</p>
                                                <p>The Oscar Sandbox team</p>
                                            </td>
                                        </tr>
                                </table>
                            </td>
                        </tr>
                    </table>
                </div>
            </td>
            <td></td>
        </tr>
    </table>
    </body>
</html>
"""
    msg = EmailMessage()
    msg["Subject"] = f"Confirmation of order {number}"
    msg["From"] = "oscar@example.com"
    msg["To"] = "anna.kowalska+run9@mailbox.example"
    msg["Date"] = format_datetime(DATE)
    msg["Message-ID"] = f"<oscar-{number}@example.com>"
    msg.set_content(text)  # Django: text/plain first, then the HTML alternative
    msg.add_alternative(html, subtype="html")
    raw = stable(msg, number)
    expected = {
        "kind": "order_confirmation",
        "language": "en",
        "greeting": {"generic": True},
        "order_number": number,
        "items": [{"name": t, "quantity": q, "unit_price": str(p), "line_total": str(q * p)} for t, q, p in lines],
        "currency": "EUR",
        "total": str(basket),
        "subtotal": str(basket),
        "shipping": "0.00",
        "delivery_estimate": None,
        "links": ["order_status"],
        "recommendations": False,
        "has_text_part": True,
        "list_unsubscribe": False,
        "authentication": {},
        "schema_org": [],
        "product_images": 0,
        "shipping_address": "Anna Kowalska, ul. Długa 5, Kraków, 30-001, Poland",
        "returns": False,
    }
    return raw, expected


def build_oscar() -> int:
    cases = [
        ("100001", [("The shellcoder's handbook", 1, Decimal("19.99"))]),
        ("100002", [("Hacking Exposed", 2, Decimal("10.00")), ("The shellcoder's handbook", 1, Decimal("19.99"))]),
    ]
    for number, lines in cases:
        raw, expected = oscar(number, lines)
        write(f"oscar_confirmation_{number}", raw, expected)
    return len(cases)


# ---- extra shapes: Traditional Chinese in big5, a half-translated German mail, gb18030 ----------------
def build_extras() -> int:
    # Traditional Chinese confirmation, big5, text only.
    text = (
        "親愛的王小明：\n\n感謝您的訂購！我們已收到您的訂單，訂單編號：TW20261123。\n\n"
        "烏龍茶 300克 × 2  NT$1,200.00\n\n合計：NT$1,200.00\n\n查看訂單: https://cha.example/orders/TW20261123\n"
    )
    msg = EmailMessage()
    msg["Subject"] = "訂單確認：訂單編號 TW20261123"
    msg["From"] = "shop@cha.example"
    msg["Date"] = format_datetime(DATE)
    msg.set_content(text.replace("NT$", "TWD "), charset="big5", cte="base64")
    write(
        "zh_order_confirmation_big5",
        stable(msg, "big5"),
        {
            "kind": "order_confirmation",
            "language": "zh",
            "greeting": {"name": "王小明"},
            "order_number": "TW20261123",
            "items": [{"name": "烏龍茶 300克", "quantity": 2, "unit_price": "600.00", "line_total": "1200.00"}],
            "currency": "TWD",
            "total": "1200.00",
            "links": ["order_status"],
            "has_text_part": True,
            "shipping_address": None,
            "returns": False,
        },
    )
    # German mail from a half-translated platform: headings and labels in English.
    de = LANGS["de"]
    built = build(de, "order_confirmation", "table", 4)
    assert built.html is not None
    for german, english in (
        ("Artikel", "Product"),
        ("Menge", "Quantity"),
        ("Einzelpreis", "Price"),
        ("Gesamtpreis", "Total"),
        ("Zwischensumme", "Subtotal"),
        ("Versandkosten", "Shipping"),
        ("Gesamtsumme", "Order total"),
    ):
        built.html = built.html.replace(f">{german}<", f">{english}<")
        built.text = built.text.replace(f"{german}:", f"{english}:").replace(f"{german} ", f"{english} ")
    built.expected["mixed_languages"] = ["de", "en"]
    write("de_order_confirmation_mixed_en_4", compose(de, built, "table", 4), built.expected)
    # Simplified Chinese with a gb18030 declaration, html only.
    zh = LANGS["zh"]
    built = build(zh, "shipping", "inline", 5)
    msg = EmailMessage()
    msg["Subject"] = built.subject
    msg["From"] = "shop@qingzhu.example"
    msg["Date"] = format_datetime(DATE)
    msg.set_content(built.html or "", subtype="html", charset="gb18030", cte="base64")
    built.expected["has_text_part"] = False
    write("zh_shipping_gb18030_html_only", stable(msg, "gb18030"), built.expected)
    return 3


def demo_messages() -> list[tuple[str, bytes, dict[str, Any]]]:
    """The demo stores' current mail for one order and one question (rendered by auditor.demo), labelled
    from the order it was rendered for: (name, raw, expected)."""
    from auditor.demo.shop_state import CartLine, Customer, Order, Question
    from auditor.demo.shop_stores import emails_after_order, emails_after_question

    customer = Customer(
        first_name="Anna",
        last_name="Kowalska",
        email="anna+r1@example.test",
        line1="ul. Długa 5",
        city="Kraków",
        postcode="30-001",
    )
    lines = [
        CartLine(slug="usb-c-cable", name="USB-C Cable", quantity=2, unit_price=Decimal("29.00")),
        CartLine(slug="wireless-headphones", name="Wireless Headphones", quantity=1, unit_price=Decimal("1299.00")),
    ]
    out_messages: list[tuple[str, bytes, dict[str, Any]]] = []
    for store, number in (("exemplary", "EX-10001"), ("chatty", "5001"), ("bare", "1042")):
        order = Order(
            store_id=store,
            number=number,
            customer=customer,
            lines=lines,
            marketing_consent=True,
            shipping=Decimal("15.00"),
        )
        question = Question(
            store_id=store,
            ticket_id="T-1",
            name="Anna Kowalska",
            email="anna@example.test",
            message="Do you ship to Berlin?",
        )
        outgoing = emails_after_order(order, "http://127.0.0.1:8000") + emails_after_question(
            question, "http://127.0.0.1:8000"
        )
        seen: set[str] = set()
        for out in outgoing:
            subject = str(out.message["Subject"])
            if subject in seen:
                continue  # the chatty store's duplicate confirmation is the same message
            seen.add(subject)
            expected = _demo_expected(store, subject, order)
            if expected is None:
                continue
            slug = "also_like" if "also like" in subject.lower() else expected["kind"]
            msg = out.message
            del msg["Date"], msg["Message-ID"]
            msg["Date"] = format_datetime(DATE)  # the demo stamps "now": pin it so rebuilds are stable
            msg["Message-ID"] = f"<demo-{store}-{slug}@{store}.demo.test>"
            out_messages.append((f"demo_{store}_{slug}", stable(msg, f"{store}/{slug}"), expected))
    return out_messages


def build_demo() -> int:
    messages = demo_messages()
    for name, raw, expected in messages:
        write(name, raw, expected)
    return len(messages)


def _demo_expected(store: str, subject: str, order: Any) -> dict[str, Any] | None:
    items = [
        {"name": ln.name, "quantity": ln.quantity, "unit_price": str(ln.unit_price), "line_total": str(ln.line_total)}
        for ln in order.lines
    ]
    s = subject.lower()
    exp = _demo_kind_expected(store, s, order, items)
    if exp is not None:
        # only the exemplary confirmation repeats the address ("Shipping to: ...") and explains returns
        shows = store == "exemplary" and exp["kind"] == "order_confirmation"
        c = order.customer
        exp["shipping_address"] = f"{c.first_name} {c.last_name}, {c.line1}, {c.postcode} {c.city}" if shows else None
        exp["returns"] = shows
    return exp


def _demo_kind_expected(store: str, s: str, order: Any, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    if s.startswith("re:"):
        greeting = {"name": "Anna"} if store == "exemplary" else {"generic": True}
        return {"kind": "support_reply", "language": "en", "greeting": greeting, "order_number": None, "items": []}
    if "payment" in s:
        return {
            "kind": "payment",
            "language": "en",
            "greeting": {"name": "Anna"},
            "order_number": order.number,
            "total": str(order.total),
            "currency": "PLN",
        }
    if "account" in s:
        return {"kind": "account", "language": "en", "greeting": {"name": "Anna"}, "order_number": None}
    if "black week" in s or "also like" in s:
        return {
            "kind": "marketing",
            "language": "en",
            "order_number": None,
            "items": [],
            "list_unsubscribe": True,
            "recommendations": "also like" in s,
        }
    if store == "bare":
        return {
            "kind": "order_confirmation",
            "language": "en",
            "greeting": None,
            "order_number": order.number,
            "items": [],
            "total": None,
        }
    exp: dict[str, Any] = {
        "kind": "order_confirmation",
        "language": "en",
        "greeting": {"name": "Anna"},
        "order_number": order.number,
        "items": items,
        "currency": "PLN",
        "total": str(order.total),
    }
    if store == "exemplary":
        exp["subtotal"] = str(order.subtotal)
        exp["shipping"] = str(order.shipping)
        exp["delivery_estimate"] = {"kind": "relative", "min": 2, "max": 3}
        exp["schema_org"] = ["Order"]
        exp["product_images"] = 2
        exp["links"] = ["order_status", "returns", "support"]
    return exp


def main() -> None:
    if OUT.exists():
        for old in OUT.iterdir():
            if not old.name.startswith(KEEP):
                old.unlink()
    n = build_language_corpus() + build_oscar() + build_extras() + build_demo()
    print(f"wrote {n} messages to {OUT}")


if __name__ == "__main__":
    main()
