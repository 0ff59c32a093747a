"""Personalization: does the store write to this customer, in their language, as they asked?

dentsu Polska's audit found confirmations without the customer's first name and
without product suggestions despite marketing consent.
"""

from pydantic import BaseModel, ConfigDict, Field

from auditor.models import FoundBy, MessageKind
from auditor.rubric.context import CheckContext
from auditor.rubric.matching import find_greeting, fold, names_match
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, fact_ref, matched_ref, message_ref, not_applicable

CATEGORY = "personalization"
MOSTLY = 0.9
TRANSACTIONAL = (MessageKind.order_confirmation, MessageKind.shipping, MessageKind.support_reply)


class GreetingParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generic_score: float = Field(default=0.25, ge=0, le=1, description="'Dear customer': some courtesy, no name")
    last_name_score: float = Field(
        default=0.75, ge=0, le=1, description="'Dear Ms Kowalska': personal and formal, not the first name"
    )
    wrong_name_score: float = Field(default=0.0, ge=0, le=1, description="greets somebody else")


@check(
    "greeting_name",
    title="Greets the customer by first name",
    failure_title="Does not greet the customer by name",
    category=CATEGORY,
    applies_to=TRANSACTIONAL,
    params=GreetingParams,
    needs=(Need.mail,),
    rationale="Confirmations lacked basic personalization, no first name (dentsu Polska).",
)
def greeting_name(ctx: CheckContext) -> CheckResult:
    """Mean over the messages it applies to: name 1, generic greeting low, no greeting 0."""
    params = ctx.p(GreetingParams)
    first = ctx.persona_first_name
    scores: list[float] = []
    parts: list[str] = []
    refs = []
    for record in ctx.relevant:
        greeting = record.evidence.greeting
        label = record.evidence.kind.value.replace("_", " ")
        if greeting is not None and greeting.value and names_match(str(greeting.value), first):
            scores.append(1.0)
            parts.append(f"{label}: greets {greeting.value}")
            refs.append(fact_ref(record, greeting, "greets by name"))
            continue
        line = find_greeting(record.text, first)
        if line is not None:  # analysis missed the greeting or misread it; the opening line names the persona
            scores.append(1.0)
            parts.append(f"{label}: greets {first} ({FoundBy.matched.value})")
            refs.append(matched_ref(record, line, "greets by name"))
        elif greeting is None:
            scores.append(0.0)
            parts.append(f"{label}: no greeting")
            refs.append(message_ref(record, note="no greeting found"))
        elif greeting.value is None or not str(greeting.value).strip():
            scores.append(params.generic_score)
            parts.append(f"{label}: generic greeting")
            refs.append(fact_ref(record, greeting, "generic greeting"))
        elif names_match(str(greeting.value), ctx.record.persona.last_name):
            scores.append(params.last_name_score)
            parts.append(f"{label}: greets by last name ({greeting.value})")
            refs.append(fact_ref(record, greeting, "greets by last name"))
        else:
            scores.append(params.wrong_name_score)
            parts.append(f"{label}: greets {greeting.value!r}, not {first}")
            refs.append(fact_ref(record, greeting, "greets another name"))
    return CheckResult(score=sum(scores) / len(scores), value="; ".join(parts), evidence=refs)


def _primary(tag: str) -> str:
    return fold(tag).replace(" ", "-").split("-")[0]


@check(
    "language_matches",
    title="Writes in the store's language",
    failure_title="Writes in another language than the store",
    category=CATEGORY,
    applies_to=TRANSACTIONAL,
    needs=(Need.mail,),
    rationale="A customer who bought in one language expects the emails in it (platform partial translations).",
)
def language_matches(ctx: CheckContext) -> CheckResult:
    """Mean share of each message's text in the store's language.

    Per block when analysis measured it (``languages``: characters per language),
    so a half-translated template scores about half (90% or more counts as whole);
    else by the message's language.
    """
    want = _primary(ctx.record.store.locale)
    known = [m for m in ctx.relevant if m.evidence.languages or m.evidence.language]
    if not known:
        return not_applicable("language of the emails not detected")
    shares, mixed, refs = [], [], []
    for record in known:
        chars = {_primary(k): 0 for k in record.evidence.languages}
        for lang, count in record.evidence.languages.items():
            chars[_primary(lang)] += count
        total = sum(chars.values())
        if total:
            share = chars.get(want, 0) / total
            share = 1.0 if share >= MOSTLY else share  # a foreign address or product name is not a translation gap
        else:
            share = 1.0 if _primary(record.evidence.language or "") == want else 0.0
        shares.append(share)
        if 0 < share < 1:
            parts = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(chars.items(), key=lambda kv: -kv[1]))
            mixed.append(parts)
        if share < 1:
            refs.append(message_ref(record, note=f"language {record.evidence.language or '?'}"))
    whole = sum(1 for x in shares if x == 1)
    value = f"{whole} of {len(known)} emails in {want}"
    others = sorted({_primary(m.evidence.language or "") for m, x in zip(known, shares, strict=True) if x == 0} - {""})
    if others:
        value += f" (others: {', '.join(others)})"
    if mixed:
        value += f"; mixed: {'; '.join(mixed)}"
    return CheckResult(score=sum(shares) / len(shares), value=value, evidence=refs)


@check(
    "recommendations_with_consent",
    title="Suggests products when the customer agreed to marketing",
    failure_title="No product suggestions despite marketing consent",
    category=CATEGORY,
    applies_to=(MessageKind.order_confirmation, MessageKind.shipping, MessageKind.marketing),
    rationale="Despite marketing consent, no product suggestions (dentsu Polska); 17.1% of retailers "
    "put recommendations in transactional emails (Listrak).",
)
def recommendations_with_consent(ctx: CheckContext) -> CheckResult:
    """Any recommendation block in the emails it applies to, when consent was given."""
    if not ctx.record.persona.marketing_consent:
        return not_applicable("marketing consent refused: suggestions not expected")
    if not ctx.relevant:
        return not_applicable(f"no email to read; {ctx.arrived_summary()}")
    for record in ctx.relevant:
        if record.evidence.recommendations is not None and record.evidence.recommendations.value:
            return CheckResult(score=1.0, value="product suggestions present", evidence=[message_ref(record)])
    return CheckResult(
        score=0.0,
        value=f"no product suggestions in {len(ctx.relevant)} emails despite consent",
        evidence=[message_ref(m) for m in ctx.relevant],
    )


@check(
    "no_marketing_in_transactional",
    title="No marketing content in transactional emails without consent",
    failure_title="Marketing content in transactional emails although consent was refused",
    category=CATEGORY,
    applies_to=(
        MessageKind.order_confirmation,
        MessageKind.payment,
        MessageKind.invoice,
        MessageKind.credit_memo,
        MessageKind.refund,
        MessageKind.cancellation,
        MessageKind.shipping,
    ),
    rationale="Without consent, promotional blocks in a receipt are marketing the customer refused (GDPR/ePrivacy).",
)
def no_marketing_in_transactional(ctx: CheckContext) -> CheckResult:
    if ctx.record.persona.marketing_consent:
        return not_applicable("marketing consent given")
    if not ctx.relevant:
        return not_applicable(f"no transactional email to read; {ctx.arrived_summary()}")
    flagged = [m for m in ctx.relevant if m.evidence.recommendations is not None and m.evidence.recommendations.value]
    if flagged:
        return CheckResult(
            score=0.0,
            value=f"{len(flagged)} of {len(ctx.relevant)} transactional emails carry product promotions",
            evidence=[message_ref(m, note="promotional block") for m in flagged],
        )
    return CheckResult(score=1.0, value=f"no promotions in {len(ctx.relevant)} transactional emails")
