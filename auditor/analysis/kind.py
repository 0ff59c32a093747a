"""What kind of email this is, how sure we are, and why.

Evidence is additive: phrases in the subject weigh most, phrases in the body
less, headers (``List-Unsubscribe``, ``Precedence: bulk``, ``In-Reply-To``)
and schema.org types add their own weight. Every contribution is written down
as a reason, so a rubric author can see why a message was filed where it was.
"""

from collections import defaultdict

from auditor.analysis.lexicon import KINDS, lexicons
from auditor.models.evidence import MessageKind

SUBJECT_WEIGHT = 3.0
BODY_WEIGHT = 1.0
EVENT_WEIGHT = 2.0  # a sentence saying what happened to what ("your order ... has been shipped") beats a lone word
WEAK_WEIGHT = 1.0
MIN_SCORE = 1.5  # one stray body phrase ("support team" in a footer) is not enough to name a kind
BODY_CAP = 4.0  # many body hits add up, but never outweigh a clear subject
BODY_CHARS = 6000  # the kind is decided by the top of the message; footers are boilerplate
HEADING_WEIGHT = 2.0  # a subject phrase in the body's first short lines: the email's own title ("Refund for order 12")
HEADING_LINES = 3
HEADING_CHARS = 100
# A subject no phrase or event names may still name its kind by a word's stem, in any grammatical form
# ("Zwrot", "zwrócone"; "Rechnungskorrektur"). Several kinds' stems: the most specific wins, so
# "Возврат платежа" (refund of a payment) is a refund and "Stornorechnung" a credit memo.
STEM_WEIGHT = 3.0
STEM_PRECEDENCE = (
    "credit_memo",
    "cancellation",
    "abandoned_cart",
    "refund",
    "shipping",
    "delivery",
    "invoice",
    "payment",
    "account",
)
# Priced items and an order number, and nothing else saying what happened: the order was confirmed.
STRUCTURE_WEIGHT = 1.5

# schema.org orderStatus -> kind (Gmail's order statuses); ParcelDelivery alone means shipping.
ORDER_STATUS_KINDS = {
    "orderprocessing": "order_confirmation",
    "orderpaymentdue": "payment",
    "orderintransit": "shipping",
    "orderpickupavailable": "shipping",
    "orderdelivered": "delivery",
    "orderproblem": "support_reply",
    "orderreturned": "other",
    "ordercancelled": "cancellation",
}


def classify(
    subject: str,
    body: str,
    headers: dict[str, str],
    schema_types: list[tuple[str, str | None]],
    *,
    order_in_subject: bool = False,
    has_order_number: bool = False,
    priced_items: bool = False,
) -> tuple[MessageKind, float, list[str]]:
    """(kind, confidence 0-1, reasons). ``schema_types``: (type, orderStatus) pairs from markup.

    ``order_in_subject``: the subject carries an order number (an account email never does);
    ``priced_items`` and ``has_order_number``: items with prices and an order number were read (the shape
    of an order's confirmation, when nothing else says what happened).
    """
    lex = lexicons()
    scores: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[str]] = defaultdict(list)
    subject_l = subject.lower()
    body_l = body[:BODY_CHARS].lower()
    body_hits_by_kind: dict[str, set[str]] = defaultdict(set)
    for match in lex.kind_body_all.finditer(body_l):
        phrase = " ".join(match.group(0).split())
        for owner in lex.kind_body_owners.get(phrase, ()):
            body_hits_by_kind[owner].add(phrase)
    for kind, pattern in lex.kind_body.items():
        body_hits_by_kind[kind].update(m.group(0).strip() for m in pattern.finditer(body_l))
    subject_events = False
    for where, text, weight in (("subject", subject_l, SUBJECT_WEIGHT), ("body", body_l, EVENT_WEIGHT)):
        events: dict[str, set[str]] = defaultdict(set)
        for kind, said in lex.kind_events.scan(text):
            events[kind].add(said[:60])
        subject_events = subject_events or (where == "subject" and bool(events))
        for kind, said in events.items():
            scores[kind] += weight
            reasons[kind].append(f"{where} (event): {', '.join(sorted(said)[:3])}")
    heading = "\n".join([line for line in body_l.split("\n") if line.strip()][:HEADING_LINES])
    heading = "\n".join(line for line in heading.split("\n") if len(line) <= HEADING_CHARS)
    strong = {kind: {m.group(0).strip() for m in lex.kind_subject[kind].finditer(subject_l)} for kind in KINDS}
    title_hits: dict[str, set[str]] = defaultdict(set)
    for match in lex.kind_subject_all.finditer(heading) if heading else ():
        phrase = " ".join(match.group(0).split())
        for owner in lex.kind_subject_owners.get(phrase, ()):
            title_hits[owner].add(phrase)
    named = any(strong.values()) or subject_events
    stems = {kind: m.group(0) for kind, pattern in lex.kind_stems.items() if (m := pattern.search(subject_l))}
    if not named:
        named = _subject_stems(stems, scores, reasons)
    for kind in KINDS:
        hits = strong[kind]
        if hits:
            scores[kind] += SUBJECT_WEIGHT + 0.5 * (len(hits) - 1)
            reasons[kind].append(f"subject: {', '.join(sorted(hits))}")
        titled = title_hits.get(kind, set())
        if titled:
            scores[kind] += HEADING_WEIGHT
            reasons[kind].append(f"heading: {', '.join(sorted(titled))}")
        weak_hits = {m.group(0).strip() for m in lex.kind_weak[kind].finditer(subject_l)}
        # "Invoice for order #1057": the subject names its kind, "order #" is only the reference
        if weak_hits and not named:
            scores[kind] += WEAK_WEIGHT
            reasons[kind].append(f"subject (weak): {', '.join(sorted(weak_hits))}")
        body_hits = body_hits_by_kind.get(kind, set()) - titled  # one phrase counts once: as title or as body
        if body_hits:
            scores[kind] += min(BODY_CAP, BODY_WEIGHT * len(body_hits))
            reasons[kind].append(f"body: {', '.join(sorted(body_hits)[:6])}")

    if headers.get("in-reply-to") or headers.get("references") or subject_l.startswith(("re:", "aw:", "odp:")):
        scores["support_reply"] += 3.0
        reasons["support_reply"].append("header: In-Reply-To/References or a reply subject")
    if headers.get("precedence", "").lower() in ("bulk", "list"):
        scores["marketing"] += 2.0
        reasons["marketing"].append(f"header: Precedence: {headers['precedence']}")
    if headers.get("list-unsubscribe"):
        scores["marketing"] += 1.0
        reasons["marketing"].append("header: List-Unsubscribe")
    if headers.get("list-id"):
        scores["marketing"] += 1.0
        reasons["marketing"].append("header: List-Id")
    for stype, status in schema_types:
        t = stype.lower()
        if t == "order":
            kind = ORDER_STATUS_KINDS.get((status or "").lower().rsplit("/", 1)[-1], "order_confirmation")
            scores[kind] += 4.0
            reasons[kind].append(f"schema.org: Order{f' ({status})' if status else ''}")
        elif t == "parceldelivery":
            scores["shipping"] += 3.0
            reasons["shipping"].append("schema.org: ParcelDelivery")

    if "refund" in stems and "invoice" in stems:  # "退款账单", "refund invoice": a refunded invoice is a credit memo
        moved = scores.pop("refund", 0.0) + scores.pop("invoice", 0.0)
        scores["credit_memo"] += moved
        reasons["credit_memo"].append(f"subject: {stems['refund']} + {stems['invoice']} (a refunded invoice)")
        reasons.pop("refund", None)
        reasons.pop("invoice", None)
    if order_in_subject and scores.pop("account", 0.0):
        reasons.pop("account", None)  # "Order # 100000127 update … log into your account" is about the order
    if priced_items and order_in_subject and max(scores.values(), default=0.0) < MIN_SCORE:
        scores["order_confirmation"] += STRUCTURE_WEIGHT
        reasons["order_confirmation"].append("structure: priced items and an order number, no other kind said")
    if not scores:
        return MessageKind.other, 0.3, ["no kind words, headers or markup matched"]
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))
    best, top = ranked[0]
    if top < MIN_SCORE:
        weak = [f"too little evidence (score {top:g} < {MIN_SCORE:g})"] + reasons[best]
        return MessageKind.other, 0.3, weak
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (top - second + 1.0) / (top + 1.0) * min(1.0, top / SUBJECT_WEIGHT)), 2)
    why = reasons[best] + [f"runner-up: {k} ({v:g})" for k, v in ranked[1:2]]
    return MessageKind(best), max(confidence, 0.05), why


def _subject_stems(found: dict[str, str], scores: dict[str, float], reasons: dict[str, list[str]]) -> bool:
    """Score the most specific kind whose stem the subject shows."""
    if not found:
        return False
    order = {kind: i for i, kind in enumerate(STEM_PRECEDENCE)}
    kind = min(found, key=lambda k: (order.get(k, len(order)), KINDS.index(k)))
    scores[kind] += STEM_WEIGHT
    reasons[kind].append(f"subject (stem): {found[kind]}")
    return True
