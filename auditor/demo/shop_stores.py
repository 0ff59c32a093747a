"""The three demo stores' characters: who they are and what they send, when.

Each store is a known point on the rubric's scale so a newcomer's first report
shows real differences: *exemplary* does everything the field recommends,
*chatty* floods the inbox (duplicates, marketing without consent), *bare* says
almost nothing. Delays are in seconds before ``time_scale``.
"""

import copy
import json
from email.message import EmailMessage
from email.utils import make_msgid
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from auditor.demo.catalogue import PRODUCTS, format_pln
from auditor.demo.shop_mail import compose
from auditor.demo.shop_state import Order, Question


class StoreIdentity(BaseModel):
    """Name and addresses of one demo store; ``accent`` colours its pages and emails."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    accent: str
    tagline: str
    shows_delivery_estimate: bool = False

    @property
    def domain(self) -> str:
        return f"{self.id}.demo.test"

    @property
    def sender(self) -> str:
        return f"shop@{self.domain}"

    @property
    def support(self) -> str:
        return f"support@{self.domain}"


STORES: dict[str, StoreIdentity] = {
    s.id: s
    for s in (
        StoreIdentity(
            id="exemplary",
            name="Exemplary Electronics",
            accent="#1f5fa8",
            tagline="Electronics with service you notice.",
            shows_delivery_estimate=True,
        ),
        StoreIdentity(id="chatty", name="Chatty Gadgets", accent="#c2410c", tagline="Gadgets! Deals! Every day!"),
        StoreIdentity(id="bare", name="Bare Shop", accent="#555555", tagline="Shop."),
    )
}

DELIVERY_ESTIMATE = "2–3 business days"
SUPPORT_PHONE = "+48 22 555 01 23"


class Outgoing(NamedTuple):
    """One email a store will send ``delay`` seconds (unscaled) after the trigger."""

    delay: float
    message: EmailMessage
    recipient: str


def first_name(full_name: str) -> str:
    """The first word of a contact-form name: what a helpdesk greets by."""
    return full_name.strip().split()[0] if full_name.strip() else ""


def emails_after_order(order: Order, base_url: str) -> list[Outgoing]:
    """What the store sends after ``order``; ``base_url`` is the store's own (``…/exemplary``)."""
    store = STORES[order.store_id]
    plan = {"exemplary": _exemplary_order, "chatty": _chatty_order, "bare": _bare_order}[store.id]
    return plan(store, order, base_url)


def emails_after_question(question: Question, base_url: str, orders: list[Order] | None = None) -> list[Outgoing]:
    """The reply to a contact-form question, if the store answers at all.

    ``orders`` are this customer's orders at the store (matched by email): a
    good helpdesk looks them up before answering, a generic one does not.
    """
    store = STORES[question.store_id]
    if store.id == "bare":
        return []
    ticket_msgid = f"<ticket-{question.ticket_id}@{store.domain}>"
    headers = {
        "In-Reply-To": ticket_msgid,
        "References": ticket_msgid,
        "Reply-To": store.support,
        "X-Ticket-ID": question.ticket_id,
    }
    if store.id == "exemplary":
        message = compose(
            store_name=store.name,
            sender=store.support,
            recipient=question.email,
            subject="Re: your question",
            template="exemplary_reply",
            headers=headers,
            store=store,
            first_name=first_name(question.name),
            question=question,
            answer=_exemplary_answer(question.message, (orders or [None])[-1]),
            base_url=base_url,
            phone=SUPPORT_PHONE,
        )
        return [Outgoing(1.5, message, question.email)]
    message = compose(
        store_name=store.name,
        sender=store.support,
        recipient=question.email,
        subject="Re: your question",
        template="chatty_reply",
        headers=headers,
        store=store,
        base_url=base_url,
    )
    return [Outgoing(3.0, message, question.email)]


def _exemplary_answer(text: str, order: Order | None) -> list[str]:
    """A specific answer, chosen by what the customer asked about, as a trained agent would."""
    asked = text.lower()
    about = f"your order {order.number}" if order else "your order"
    if "address" in asked or "adres" in asked:
        return [
            f"Yes, we can change the delivery address: {about} has not left our warehouse yet. "
            "Please reply to this email with the new address (street, postcode, city) and we will "
            "update the shipment and confirm the change within the hour.",
            "Once the parcel is with the courier, the address can only be changed in the courier's app, "
            "using the tracking link we will send you.",
        ]
    if any(word in asked for word in ("deliver", "shipping", "ship", "courier", "when", "dostaw")):
        return [
            "Orders placed on a business day before 14:00 leave our warehouse the same day. "
            f"Delivery by courier takes {DELIVERY_ESTIMATE} and is free of charge.",
            "As soon as your parcel is handed to the courier you will get an email with the tracking link.",
        ]
    if any(word in asked for word in ("return", "refund", "zwrot", "exchange")):
        return [
            "You can return any product within 30 days without giving a reason. "
            "Use the return form on your order page and we will send you a prepaid label.",
            "The refund reaches your account within 5 business days after we receive the parcel.",
        ]
    if any(word in asked for word in ("invoice", "faktur", "vat")):
        return [
            "Yes, we issue VAT invoices. Reply to this email with your company name and NIP "
            "and we will send the invoice for your order within one business day.",
        ]
    return [
        "Thank you for asking. A member of our team has read your message and checked it for you: "
        "every product we sell ships from our own warehouse in Poland with a 24-month warranty.",
        "If this does not fully answer your question, just reply to this email and the same person "
        "will get back to you.",
    ]


def _exemplary_order(store: StoreIdentity, order: Order, base_url: str) -> list[Outgoing]:
    status_url = f"{base_url}/order/{order.number}"
    items = [
        {
            "name": line.name,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "line_total": line.line_total,
            "image_url": f"{base_url}/static/{line.slug}.png",
            "url": f"{base_url}/product/{line.slug}",
        }
        for line in order.lines
    ]
    message = compose(
        store_name=store.name,
        sender=store.sender,
        recipient=order.customer.email,
        subject=f"Order {order.number} confirmed – thank you, {order.customer.first_name}!",
        template="exemplary_confirmation",
        headers={"Reply-To": store.support},
        store=store,
        order=order,
        items=items,
        status_url=status_url,
        delivery_estimate=DELIVERY_ESTIMATE,
        phone=SUPPORT_PHONE,
        base_url=base_url,
        suggestions=_suggestions(order, base_url) if order.marketing_consent else [],
        jsonld=_order_jsonld(store, order, items, status_url),
    )
    return [Outgoing(0.5, message, order.customer.email)]


def _suggestions(order: Order, base_url: str) -> list[dict[str, str]]:
    """Products to recommend, only to customers who agreed to marketing: names and links, no
    prices or pictures, so nobody (reader or parser) mistakes them for ordered items."""
    ordered = {line.slug for line in order.lines}
    return [{"name": p.name, "url": f"{base_url}/product/{p.slug}"} for p in PRODUCTS if p.slug not in ordered]


def _order_jsonld(store: StoreIdentity, order: Order, items: list[dict], status_url: str) -> str:
    """schema.org Order markup, as one major platform adds by default; safe inside <script>."""
    data = {
        "@context": "http://schema.org",
        "@type": "Order",
        "merchant": {"@type": "Organization", "name": store.name},
        "orderNumber": order.number,
        "orderStatus": "http://schema.org/OrderProcessing",
        "priceCurrency": "PLN",
        "price": str(order.total),
        "url": status_url,
        "acceptedOffer": [
            {
                "@type": "Offer",
                "itemOffered": {"@type": "Product", "name": item["name"], "image": item["image_url"]},
                "price": str(item["unit_price"]),
                "priceCurrency": "PLN",
                "eligibleQuantity": {"@type": "QuantitativeValue", "value": item["quantity"]},
            }
            for item in items
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")


def _chatty_order(store: StoreIdentity, order: Order, base_url: str) -> list[Outgoing]:
    """Five different emails in ~8 s, the confirmation twice, marketing regardless of consent."""
    to = order.customer.email
    common = {"store_name": store.name, "sender": store.sender, "recipient": to}
    ctx = {"store": store, "order": order, "base_url": base_url}
    confirmation = compose(subject=f"Your order #{order.number}", template="chatty_confirmation", **common, **ctx)
    duplicate = copy.deepcopy(confirmation)
    del duplicate["Message-ID"]
    duplicate["Message-ID"] = make_msgid(domain=store.domain)
    payment = compose(subject=f"Payment received for order #{order.number}", template="chatty_payment", **common, **ctx)
    account = compose(subject="Welcome! Your account was created", template="chatty_account", **common, **ctx)
    bulk = {
        "List-Unsubscribe": (
            f"<mailto:unsubscribe@{store.domain}?subject=unsubscribe>, <{base_url}/unsubscribe?email={to}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "bulk",
    }
    ordered = {line.slug for line in order.lines}
    headphones = next(p for p in PRODUCTS if p.slug == "wireless-headphones")
    black_week = compose(
        subject="Black Week: -30% on headphones",
        template="chatty_black_week",
        headers=bulk,
        product=headphones,
        sale_price=format_pln(headphones.price * 7 / 10),
        **common,
        **ctx,
    )
    suggestions = [p for p in PRODUCTS if p.slug not in ordered] or list(PRODUCTS)
    also_like = compose(
        subject="You might also like…",
        template="chatty_also_like",
        headers=bulk,
        products=suggestions,
        **common,
        **ctx,
    )
    return [
        Outgoing(0.5, confirmation, to),
        Outgoing(1.0, duplicate, to),
        Outgoing(2.0, payment, to),
        Outgoing(3.5, account, to),
        Outgoing(5.5, black_week, to),
        Outgoing(7.0, also_like, to),
    ]


def _bare_order(store: StoreIdentity, order: Order, base_url: str) -> list[Outgoing]:
    message = compose(
        store_name=store.name,
        sender=store.sender,
        recipient=order.customer.email,
        subject=f"Order {order.number} received",
        template="bare_confirmation",
        html=False,
        store=store,
        order=order,
    )
    return [Outgoing(3.0, message, order.customer.email)]
