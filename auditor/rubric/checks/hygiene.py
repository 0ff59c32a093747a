"""Hygiene: the technical craft of an email, which decides whether it is read at all.

Gmail clips HTML over about 102 KB; bulk senders need DMARC; a missing plain-text
part or alt text hurts deliverability and accessibility.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from auditor.models import Evidence, MessageKind
from auditor.rubric.context import CheckContext
from auditor.rubric.matching import order_numbers_match
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, fact_ref, message_ref, not_applicable

CATEGORY = "hygiene"
AUTH_MECHANISMS = ("spf", "dkim", "dmarc")


def _value_of(fact: Any) -> Any:
    return getattr(fact, "value", fact)


@check(
    "plain_text_part",
    title="Every email has a plain-text part",
    failure_title="Emails without a plain-text part",
    category=CATEGORY,
    needs=(Need.mail,),
    rationale="HTML-only mail scores worse with spam filters and cannot be read by text clients.",
)
def plain_text_part(ctx: CheckContext) -> CheckResult:
    without = [m for m in ctx.relevant if not m.evidence.has_text_part]
    return CheckResult(
        score=1 - len(without) / len(ctx.relevant),
        value=f"{len(ctx.relevant) - len(without)} of {len(ctx.relevant)} emails have a plain-text part",
        evidence=[message_ref(m, note="HTML only") for m in without],
    )


def _alt(image: Any) -> str | None:
    value = _value_of(image)
    if isinstance(value, dict):
        alt = value.get("alt")
        return None if alt is None else str(alt)
    return None


@check(
    "image_alt_text",
    title="Images carry alt text",
    failure_title="Images without alt text",
    category=CATEGORY,
    needs=(Need.mail,),
    rationale="Images are blocked by default in many clients; alt text keeps the email readable and accessible.",
)
def image_alt_text(ctx: CheckContext) -> CheckResult:
    images = [(m, img) for m in ctx.relevant for img in m.evidence.images]
    known = [(m, img) for m, img in images if isinstance(_value_of(img), dict) and "alt" in _value_of(img)]
    if not known:  # images stored by an older analysis were bare URLs: their alt text is unknown, not missing
        return not_applicable("no images" if not images else "analysis did not record alt text for these images")
    missing = [(m, img) for m, img in known if not (_alt(img) or "").strip()]
    return CheckResult(
        score=1 - len(missing) / len(known),
        value=f"{len(known) - len(missing)} of {len(known)} images have alt text",
        evidence=[fact_ref(m, img, "no alt") for m, img in missing[:5]],
    )


class SizeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_bytes: int = Field(default=102_000, gt=0, description="Gmail clips HTML beyond about 102 KB")


@check(
    "html_size",
    title="HTML small enough not to be clipped",
    failure_title="HTML over Gmail's clipping size",
    category=CATEGORY,
    params=SizeParams,
    needs=(Need.mail,),
    rationale="Gmail clips messages over about 102 KB of HTML, hiding the end (often the unsubscribe link).",
)
def html_size(ctx: CheckContext) -> CheckResult:
    limit = ctx.p(SizeParams).max_bytes
    with_html = [m for m in ctx.relevant if m.evidence.html_size > 0]
    if not with_html:
        return not_applicable("no HTML part")
    big = [m for m in with_html if m.evidence.html_size > limit]
    largest = max(m.evidence.html_size for m in with_html)
    return CheckResult(
        score=1 - len(big) / len(with_html),
        value=f"{len(big)} of {len(with_html)} HTML parts over {limit // 1000} KB (largest {largest // 1000} KB)",
        evidence=[message_ref(m, note=f"{m.evidence.html_size} bytes of HTML") for m in big],
    )


@check(
    "list_unsubscribe",
    title="Marketing carries List-Unsubscribe",
    failure_title="Marketing without a List-Unsubscribe header",
    category=CATEGORY,
    applies_to=(MessageKind.marketing,),
    needs=(Need.mail,),
    rationale="Gmail and Yahoo require one-click List-Unsubscribe from bulk senders since 2024.",
)
def list_unsubscribe(ctx: CheckContext) -> CheckResult:
    missing = [m for m in ctx.relevant if not _has_list_unsubscribe(m.evidence)]
    return CheckResult(
        score=1 - len(missing) / len(ctx.relevant),
        value=f"{len(ctx.relevant) - len(missing)} of {len(ctx.relevant)} marketing emails have List-Unsubscribe",
        evidence=[message_ref(m, note="no List-Unsubscribe") for m in missing],
    )


def _has_list_unsubscribe(evidence: Evidence) -> bool:
    """The header as analysis read it; evidence stored before that field existed kept it in the kind's
    reasons or as an unsubscribe link taken from the header."""
    return (
        evidence.list_unsubscribe is not None
        or any("list-unsubscribe" in r.lower() for r in evidence.kind_reasons)
        or any(
            isinstance(link.value, dict)
            and link.value.get("role") == "unsubscribe"
            and link.source == "List-Unsubscribe"
            for link in evidence.links
        )
    )


@check(
    "authentication",
    title="SPF, DKIM and DMARC pass",
    failure_title="Authentication (SPF/DKIM/DMARC) missing or failing",
    category=CATEGORY,
    needs=(Need.mail,),
    rationale="Gmail and Yahoo require SPF, DKIM and DMARC from bulk senders; failing mail lands in spam.",
)
def authentication(ctx: CheckContext) -> CheckResult:
    """Share of SPF/DKIM/DMARC verdicts that pass; no Authentication-Results header is unknown, not a fail."""
    verdicts: list[tuple[Any, str, str]] = []
    for record in ctx.relevant:
        results = {mech: str(fact.value).lower() for mech, fact in record.evidence.authentication.items()}
        verdicts += [(record, mech, res) for mech, res in sorted(results.items()) if mech in AUTH_MECHANISMS]
    if not verdicts:
        return not_applicable("no Authentication-Results header to read (a local mailbox adds none)")
    bad = [(r, mech, res) for r, mech, res in verdicts if res != "pass"]
    return CheckResult(
        score=1 - len(bad) / len(verdicts),
        value=f"{len(verdicts) - len(bad)} of {len(verdicts)} SPF/DKIM/DMARC verdicts pass",
        evidence=[message_ref(r, note=f"{mech}={res}") for r, mech, res in bad[:6]],
    )


def _is_order(markup: Any) -> bool:
    value = _value_of(markup)
    kind = value.get("type", value.get("@type", "")) if isinstance(value, dict) else ""
    return str(kind).endswith("Order")


@check(
    "schema_org_order",
    title="schema.org Order markup, consistent with the order",
    failure_title="No schema.org Order markup, or it disagrees with the order",
    category=CATEGORY,
    applies_to=(MessageKind.order_confirmation,),
    needs=(Need.order, Need.mail),  # a missing confirmation fails order details, not this markup check
    rationale="Gmail shows order cards from schema.org Order JSON-LD; a major platform adds it by default.",
)
def schema_org_order(ctx: CheckContext) -> CheckResult:
    record = ctx.confirmation
    assert record is not None  # needs=(Need.mail,): there is a confirmation
    orders = [o for o in record.evidence.schema_org if _is_order(o)]
    if not orders:
        return CheckResult(score=0.0, value="no schema.org Order markup", evidence=[message_ref(record)])
    markup = _value_of(orders[0])
    number = markup.get("orderNumber")
    shown = ctx.order.number if ctx.order else None
    in_text = record.evidence.order_number.value if record.evidence.order_number else None
    snippet = orders[0].snippet if hasattr(orders[0], "snippet") and orders[0].snippet else str(markup)
    refs = [message_ref(record, snippet, "schema.org Order")]
    disagreements = [
        f"the {where} says {other}"
        for where, other in (("store's page", shown), ("email's text", in_text))
        if other is not None and number is not None and not order_numbers_match(number, str(other))
    ]
    if disagreements:
        return CheckResult(
            score=0.5, value=f"schema.org Order says {number}, but {' and '.join(disagreements)}", evidence=refs
        )
    named = f" {number}" if number is not None else ""
    return CheckResult(score=1.0, value=f"schema.org Order{named} present, consistent with the order", evidence=refs)
