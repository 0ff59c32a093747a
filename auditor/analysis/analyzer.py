"""Raw message in, Evidence out: parse once, flatten once, run every extractor over the same view.

``analyze`` never raises: whatever goes wrong in one extractor is written into
``malformed``/``extra['errors']`` and the other facts are still returned,
because losing a whole message's evidence over one odd table would hide more
than it shows.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from auditor.analysis.address import find_shipping_address
from auditor.analysis.delivery import find_delivery_estimate
from auditor.analysis.document import Document, from_html, from_text
from auditor.analysis.greeting import find_greeting
from auditor.analysis.headers import authentication_results, list_unsubscribe
from auditor.analysis.images import find_images
from auditor.analysis.items import find_items, reconcile
from auditor.analysis.kind import classify
from auditor.analysis.language import message_language
from auditor.analysis.links import classify_links
from auditor.analysis.money import find_money
from auditor.analysis.order_number import find_order_number
from auditor.analysis.recommendations import find_recommendations
from auditor.analysis.returns import find_returns
from auditor.analysis.schema_org import from_jsonld, from_microdata, schema_types
from auditor.analysis.totals import find_totals
from auditor.mail.mime import ParsedMail, parse_mime
from auditor.models.evidence import Evidence, Fact
from auditor.models.money import Money

GMAIL_CLIP_BYTES = 102 * 1024
MAX_PRICES = 500  # Evidence stays small even for absurd messages; a real receipt has a few dozen
MAX_ITEMS = 300
T = TypeVar("T")


class _Run:
    """Collects extractor failures instead of letting one of them sink the message."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def __call__(self, name: str, fn: Callable[..., T], *args: Any, default: T) -> T:
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - recorded, see module docstring
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return default


def _headers(mail: ParsedMail) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in mail.headers:
        out.setdefault(name.lower(), value)
    return out


def _year(mail: ParsedMail) -> int | None:
    """The year of the Date header, for delivery dates written without one."""
    value = mail.header("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).year
    except (TypeError, ValueError, IndexError):
        return None


def analyze_parsed(mail: ParsedMail, sha256: str) -> Evidence:
    """Evidence from an already parsed message (the campaign parses once and keeps the result)."""
    run = _Run()
    headers = _headers(mail)
    subject = mail.subject
    html_doc = run("html", from_html, mail.html, default=Document()) if mail.html else None
    text_doc = run("text", from_text, mail.text, default=Document()) if mail.text else None
    main: Document = html_doc or text_doc or Document()
    main_source = "html" if html_doc else "text"
    docs = [(d.lines, s) for d, s in ((html_doc, "html"), (text_doc, "text")) if d is not None]

    address = None
    for doc, source in ((html_doc, "html"), (text_doc, "text")):
        if doc is not None and address is None:
            link_texts = {link.text for link in doc.links if link.text}
            address = run("shipping_address", find_shipping_address, doc.lines, source, link_texts, default=None)
    # the customer's own name and address are not the store's writing: they do not count for its language
    quoted = address.value.split(", ") if address and isinstance(address.value, str) else []
    blocks = [subject] + [line.text for line in main.lines if not any(part in line.text for part in quoted)]
    language, languages = run("language", message_language, blocks, default=(None, {}))
    locale = language
    body = "\n".join(line.text for line in main.lines)
    schema: list[Fact] = []
    schema_problems: list[str] = []
    if html_doc is not None:
        schema, schema_problems = run("schema_org", from_jsonld, html_doc.jsonld, default=([], []))
        schema += run("microdata", from_microdata, html_doc.microdata, default=[])
    kind, confidence, reasons = run(
        "kind",
        classify,
        subject,
        body,
        headers,
        schema_types(schema),
        default=(Evidence.model_fields["kind"].default, 0.0, []),
    )

    greeting = None
    for lines, source in docs:
        greeting = run("greeting", find_greeting, lines, source, default=None)
        if greeting:
            break
    order_number = run("order_number", find_order_number, subject, docs, default=None)
    recommendations, recs_start = run("recommendations", find_recommendations, main, main_source, default=(None, None))
    items = run("items", find_items, main.lines, main_source, locale, recs_start, default=[])
    if not items and html_doc is not None and text_doc is not None:
        items = run("items", find_items, text_doc.lines, "text", locale, None, default=[])
    delivery = None
    for lines, source in docs:
        delivery = run("delivery", find_delivery_estimate, lines, source, _year(mail), default=None)
        if delivery:
            break
    unsubscribe = run("list_unsubscribe", list_unsubscribe, mail.headers, default=None)
    links = run(
        "links",
        classify_links,
        main.links,
        main_source,
        unsubscribe.value["uris"] if unsubscribe else None,
        [line.text for line in main.lines],
        default=[],
    )
    returns = None
    for lines, source in docs:
        returns = run("returns", find_returns, lines, source, links if source == main_source else None, default=None)
        if returns:
            break
    images = run("images", find_images, main, items, mail.parts, main_source, recs_start, default=[])
    attachments = [
        Fact(
            value={"filename": p.filename, "content_type": p.content_type, "size": p.size},
            snippet=p.filename or p.content_type,
            source="mime",
        )
        for p in mail.attachments
    ]
    totals = run("totals", find_totals, main.lines, main_source, locale, default={})
    sums = [f.value for f in (totals.get("subtotal"), totals.get("total")) if f is not None]
    if totals.get("total") is not None and totals.get("shipping") is not None:
        sums.append(Money(amount=totals["total"].value.amount - totals["shipping"].value.amount))
    items = run("items", reconcile, items, sums, default=items)
    prices = [
        Fact(value=money, snippet=snippet, source=main_source)
        for line in main.lines
        for money, snippet in find_money(line.text, locale)
    ][:MAX_PRICES]
    items = items[:MAX_ITEMS]
    total = totals.get("total")
    currency = None
    if total is not None and total.value.currency:
        currency = total.value.currency
    elif prices:
        counted = Counter(p.value.currency for p in prices if p.value.currency)
        currency = counted.most_common(1)[0][0] if counted else None

    html_size = len(mail.html.encode("utf-8", "replace")) if mail.html else 0
    problems = list(mail.problems)
    problems.extend(schema_problems)
    if html_doc is not None and (html_doc.scripts or html_doc.iframes):
        problems.append(
            f"HTML has {html_doc.scripts} <script> and {html_doc.iframes} <iframe> elements, which mail clients "
            "strip; their content was ignored"
        )
    if html_doc is not None and html_doc.truncated:
        problems.append("HTML too large or unreadable past a point; the rest was ignored")
    if text_doc is not None and text_doc.truncated:
        problems.append("text part too large (or a line too long); the rest was ignored")
    extra: dict[str, Any] = {}
    if run.errors:
        extra["errors"] = run.errors
        problems.append(f"{len(run.errors)} extractor(s) failed: see extra.errors")
    return Evidence(
        message_sha256=sha256,
        kind=kind,
        kind_confidence=confidence,
        kind_reasons=reasons,
        language=language,
        languages=languages,
        subject=subject,
        greeting=greeting,
        order_number=order_number,
        items=items,
        prices=prices,
        total=total,
        subtotal=totals.get("subtotal"),
        shipping_cost=totals.get("shipping"),
        tax=totals.get("tax"),
        discount=totals.get("discount"),
        currency=currency,
        has_text_part=mail.text is not None,
        html_size=html_size,
        html_clipped=html_size > GMAIL_CLIP_BYTES,
        delivery_estimate=delivery,
        shipping_address=address,
        returns=returns,
        images=images,
        links=links,
        recommendations=recommendations,
        schema_org=schema,
        authentication=run("authentication", authentication_results, mail.headers, default={}),
        list_unsubscribe=unsubscribe,
        attachments=attachments,
        malformed="; ".join(problems) if problems else None,
        extra=extra,
    )


def analyze(raw: bytes) -> Evidence:
    """Evidence for one raw message; never raises (see ``Evidence.malformed``)."""
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        return analyze_parsed(parse_mime(raw), sha256)
    except Exception as exc:  # noqa: BLE001 - the contract: a message always yields Evidence
        return Evidence(message_sha256=sha256, malformed=f"analysis failed: {type(exc).__name__}: {exc}")
