"""The analysis pipeline: every extractor, in the order they run, as data.

Each entry is an extractor (``extractor.py``): its parameters are the
artifacts it needs, its declaration names what it produces. Products named
like an ``Evidence`` field become that field, so adding a fact is adding one
extractor here and, if it is a new field, one line in the model. The order is
checked at import: a need that no earlier extractor produces is an error, not
a ``KeyError`` on the first message.
"""

from collections import Counter
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from auditor.analysis.address import find_shipping_address
from auditor.analysis.delivery import find_delivery_estimate
from auditor.analysis.document import Document, from_html, from_text, is_html_pointer
from auditor.analysis.extractor import Extractor, check_order, extractor
from auditor.analysis.greeting import find_greeting
from auditor.analysis.headers import authentication_results
from auditor.analysis.headers import list_unsubscribe as read_list_unsubscribe
from auditor.analysis.images import find_images, shop_name
from auditor.analysis.items import find_items, reconcile
from auditor.analysis.kind import classify
from auditor.analysis.language import message_language
from auditor.analysis.links import classify_links
from auditor.analysis.order_number import find_order_number
from auditor.analysis.recommendations import find_recommendations
from auditor.analysis.returns import find_returns
from auditor.analysis.schema_org import from_jsonld, from_microdata, schema_types
from auditor.analysis.totals import find_totals, only_amount
from auditor.mail.mime import ParsedMail
from auditor.models.evidence import Evidence, Fact, ItemFact, MessageKind
from auditor.models.money import Money

GMAIL_CLIP_BYTES = 102 * 1024
MAX_PRICES = 500  # Evidence stays small even for absurd messages; a real receipt has a few dozen
MAX_ITEMS = 300
# a payment, an invoice or a refund that states one amount states what was paid
ONE_AMOUNT_KINDS = frozenset(
    MessageKind(k) for k in ("payment", "invoice", "credit_memo", "refund") if k in MessageKind.__members__
)
Docs = list[tuple[list[Any], str]]  # (lines, source) for each body, HTML first


@extractor("subject", "headers", default=("", {}))
def _headers(mail: ParsedMail) -> tuple[str, dict[str, str]]:
    out: dict[str, str] = {}
    for name, value in mail.headers:
        out.setdefault(name.lower(), value)
    return mail.subject, out


@extractor("html_doc", default=Document())
def _html_doc(mail: ParsedMail) -> Document | None:
    return from_html(mail.html) if mail.html else None


@extractor("text_doc", "has_text_part", default=(None, False))
def _text_doc(mail: ParsedMail, html_doc: Document | None) -> tuple[Document | None, bool]:
    """A text part that only says "view this email in your browser" is not an alternative to the HTML."""
    if mail.text is None:
        return None, False
    doc = from_text(mail.text)
    if html_doc is not None and is_html_pointer(doc, html_doc):
        return None, False
    return doc, True


@extractor("main", "main_source", "docs", default=(Document(), "text", []))
def _main(html_doc: Document | None, text_doc: Document | None) -> tuple[Document, str, Docs]:
    """The body read first (HTML when there is one) and every body in reading preference."""
    docs = [(d.lines, s) for d, s in ((html_doc, "html"), (text_doc, "text")) if d is not None]
    return html_doc or text_doc or Document(), "html" if html_doc else "text", docs


@extractor("shipping_address")
def _shipping_address(html_doc: Document | None, text_doc: Document | None) -> Fact | None:
    for doc, source in ((html_doc, "html"), (text_doc, "text")):
        if doc is not None:
            link_texts = {link.text for link in doc.links if link.text}
            found = find_shipping_address(doc.lines, source, link_texts)
            if found is not None:
                return found
    return None


@extractor("language", "languages", default=(None, {}))
def _language(subject: str, main: Document, shipping_address: Fact | None) -> tuple[str | None, dict[str, int]]:
    """The customer's own name and address are not the store's writing: they do not count."""
    value = shipping_address.value if shipping_address else None
    quoted = value.split(", ") if isinstance(value, str) else []
    blocks = [subject] + [line.text for line in main.lines if not any(part in line.text for part in quoted)]
    return message_language(blocks)


@extractor("schema_org", "schema_problems", default=([], []))
def _schema_org(html_doc: Document | None) -> tuple[list[Fact], list[str]]:
    if html_doc is None:
        return [], []
    facts, problems = from_jsonld(html_doc.jsonld)
    return facts + from_microdata(html_doc.microdata), problems


@extractor("kind", "kind_confidence", "kind_reasons", default=(MessageKind.other, 0.0, []))
def _kind(
    subject: str,
    main: Document,
    headers: dict[str, str],
    schema_org: list[Fact],
    order_number: Fact | None,
    items_read: list[ItemFact],
) -> Any:
    """The order number and priced items are structure: evidence of a kind whatever the words."""
    body = "\n".join(line.text for line in main.lines)
    return classify(
        subject,
        body,
        headers,
        schema_types(schema_org),
        order_in_subject=order_number is not None and order_number.source == "subject",
        has_order_number=order_number is not None,
        priced_items=any(item.unit_price is not None or item.line_total is not None for item in items_read),
    )


@extractor("greeting")
def _greeting(docs: Docs) -> Fact | None:
    for lines, source in docs:
        found = find_greeting(lines, source)
        if found:
            return found
    return None


@extractor("order_number")
def _order_number(subject: str, docs: Docs) -> Fact | None:
    return find_order_number(subject, docs)


@extractor("recommendations", "recommendations_start", default=(None, None))
def _recommendations(main: Document, main_source: str) -> tuple[Fact | None, int | None]:
    return find_recommendations(main, main_source)


@extractor("items_read", default=[])
def _items_read(
    main: Document, main_source: str, text_doc: Document | None, language: str | None, recommendations_start: int | None
) -> list[ItemFact]:
    """Items from the main body; from the text part when the HTML shows none."""
    items = find_items(main.lines, main_source, language, recommendations_start)
    if not items and main_source == "html" and text_doc is not None:
        items = find_items(text_doc.lines, "text", language, None)
    return items


@extractor("delivery_estimate")
def _delivery_estimate(docs: Docs, mail: ParsedMail) -> Fact | None:
    year = None
    if date := mail.header("Date"):
        try:
            year = parsedate_to_datetime(date).year  # for delivery dates written without a year
        except (TypeError, ValueError, IndexError):
            year = None
    for lines, source in docs:
        found = find_delivery_estimate(lines, source, year)
        if found:
            return found
    return None


@extractor("list_unsubscribe")
def _list_unsubscribe(mail: ParsedMail) -> Fact | None:
    return read_list_unsubscribe(mail.headers)


@extractor("links", default=[])
def _links(main: Document, main_source: str, list_unsubscribe: Fact | None) -> list[Fact]:
    uris = list_unsubscribe.value["uris"] if list_unsubscribe else None
    return classify_links(main.links, main_source, uris, [line.text for line in main.lines])


@extractor("returns")
def _returns(docs: Docs, main_source: str, links: list[Fact]) -> Fact | None:
    for lines, source in docs:
        found = find_returns(lines, source, links if source == main_source else None)
        if found:
            return found
    return None


@extractor("subtotal", "shipping_cost", "tax", "discount", "total", default=(None,) * 5)
def _totals(main: Document, main_source: str, language: str | None, kind: MessageKind) -> tuple[Fact | None, ...]:
    found = find_totals(main.lines, main_source, language)
    if "total" not in found and kind in ONE_AMOUNT_KINDS:
        found["total"] = only_amount(main.lines, main_source, language)
    return tuple(found.get(role) for role in ("subtotal", "shipping", "tax", "discount", "total"))


@extractor("items", default=[])
def _items(
    items_read: list[ItemFact], subtotal: Fact | None, total: Fact | None, shipping_cost: Fact | None, tax: Fact | None
) -> list[ItemFact]:
    """Amounts whose reading (unit price or line total) only the order's sums can tell (see ``reconcile``)."""
    sums = [f.value for f in (subtotal, total) if f is not None]
    if total is not None:
        less = [f.value.amount for f in (shipping_cost, tax) if f is not None]
        for k in range(1, len(less) + 1):
            sums.append(Money(amount=total.value.amount - sum(less[:k])))
        if tax is not None:
            sums.append(Money(amount=total.value.amount - tax.value.amount))
    return reconcile(items_read, sums)[:MAX_ITEMS]


@extractor("images", default=[])
def _images(
    main: Document, items: list[ItemFact], mail: ParsedMail, main_source: str, recommendations_start: int | None
) -> list[Fact]:
    sender = parseaddr(mail.header("From") or "")
    names = {shop_name(n) for n in (sender[0], sender[1].split("@")[-1].split(".")[0]) if n}
    return find_images(main, items, mail.parts, main_source, recommendations_start, names - {""})


@extractor("attachments", default=[])
def _attachments(mail: ParsedMail) -> list[Fact]:
    return [
        Fact(
            value={"filename": p.filename, "content_type": p.content_type, "size": p.size},
            snippet=p.filename or p.content_type,
            source="mime",
        )
        for p in mail.attachments
    ]


@extractor("prices", default=[])
def _prices(main: Document, main_source: str, language: str | None) -> list[Fact]:
    found = (Fact(value=m, snippet=s, source=main_source) for line in main.lines for m, s in line.amounts(language))
    return [fact for _, fact in zip(range(MAX_PRICES), found, strict=False)]


@extractor("currency")
def _currency(total: Fact | None, prices: list[Fact]) -> str | None:
    """The total's currency, else the one most amounts are in."""
    if total is not None and total.value.currency:
        return total.value.currency
    counted = Counter(p.value.currency for p in prices if p.value.currency)
    return counted.most_common(1)[0][0] if counted else None


@extractor("html_size", "html_clipped", default=(0, False))
def _html_size(mail: ParsedMail) -> tuple[int, bool]:
    size = len(mail.html.encode("utf-8", "replace")) if mail.html else 0
    return size, size > GMAIL_CLIP_BYTES


@extractor("authentication", default={})
def _authentication(mail: ParsedMail) -> dict[str, Fact]:
    return authentication_results(mail.headers)


@extractor("problems", default=[])
def _problems(
    mail: ParsedMail, schema_problems: list[str], html_doc: Document | None, text_doc: Document | None
) -> list[str]:
    """Why the message could not be fully read (the analyser adds failed extractors)."""
    problems = list(mail.problems) + list(schema_problems)
    if html_doc is not None and (html_doc.scripts or html_doc.iframes):
        problems.append(
            f"HTML has {html_doc.scripts} <script> and {html_doc.iframes} <iframe> elements, which mail clients "
            "strip; their content was ignored"
        )
    if html_doc is not None and html_doc.truncated:
        problems.append("HTML too large or unreadable past a point; the rest was ignored")
    if text_doc is not None and text_doc.truncated:
        problems.append("text part too large (or a line too long); the rest was ignored")
    return problems


# The order they run in. Move, add or remove an entry here; check_order below says if a need is left unmet.
PIPELINE: tuple[Extractor, ...] = (
    _headers,
    _html_doc,
    _text_doc,
    _main,
    _shipping_address,
    _language,
    _schema_org,
    _greeting,
    _order_number,
    _recommendations,
    _items_read,
    _kind,
    _delivery_estimate,
    _list_unsubscribe,
    _links,
    _returns,
    _totals,
    _items,
    _images,
    _attachments,
    _prices,
    _currency,
    _html_size,
    _authentication,
    _problems,
)
GIVEN = ("mail",)
EVIDENCE_FIELDS = tuple(name for ex in PIPELINE for name in ex.produces if name in Evidence.model_fields)
check_order(PIPELINE, GIVEN, used_at_end=(*EVIDENCE_FIELDS, "problems"))
