"""Evidence for people: a short readable summary (``auditor analyze``), and the stable JSON form.

The JSON is the Evidence model itself, so what a user debugs with is exactly
what the rubric reads; ``docs/analysis-json.md`` documents every field.
"""

from auditor.models.evidence import Evidence, Fact


def evidence_json(evidence: Evidence) -> str:
    """Evidence as indented JSON: field order is the model's, amounts are strings (exact decimals)."""
    return evidence.model_dump_json(indent=2)


def _fact(fact: Fact | None, shown: str | None = None) -> str:
    if fact is None:
        return "-"
    value = shown if shown is not None else str(fact.value)
    return f"{value}  [{fact.source}: {fact.snippet[:70]!r}]"


def summary(evidence: Evidence, title: str = "") -> str:
    """A few lines per fact, each with where it was read, for a terminal."""
    ev = evidence
    out = []
    if title:
        out.append(f"== {title}")
    out.append(f"subject      {ev.subject!r}")
    out.append(f"kind         {ev.kind.value} ({ev.kind_confidence:.2f}): {'; '.join(ev.kind_reasons)}")
    langs = ", ".join(f"{k} {v}" for k, v in sorted(ev.languages.items(), key=lambda kv: -kv[1]))
    out.append(f"language     {ev.language or '-'}{f' (characters: {langs})' if len(ev.languages) > 1 else ''}")
    greeting = None
    if ev.greeting is not None:
        greeting = ev.greeting.value or "generic (no name)"
    out.append(f"greeting     {_fact(ev.greeting, greeting)}")
    out.append(f"order number {_fact(ev.order_number)}")
    for item in ev.items:
        qty = f"{item.quantity} x " if item.quantity is not None else ""
        unit = f" @ {item.unit_price}" if item.unit_price else ""
        line = f" = {item.line_total}" if item.line_total else ""
        out.append(f"item         {qty}{item.name}{unit}{line}")
    for label, fact in (
        ("subtotal", ev.subtotal),
        ("shipping", ev.shipping_cost),
        ("tax", ev.tax),
        ("discount", ev.discount),
        ("total", ev.total),
    ):
        if fact is not None:
            out.append(f"{label:12} {_fact(fact)}")
    out.append(f"currency     {ev.currency or '-'}; {len(ev.prices)} amount(s) seen")
    delivery = None
    if ev.delivery_estimate is not None:
        delivery = ev.delivery_estimate.value.get("text", "")
    out.append(f"delivery     {_fact(ev.delivery_estimate, delivery)}")
    product_images = [i for i in ev.images if i.value.get("item")]
    logos = sum(1 for i in ev.images if i.value.get("logo"))
    out.append(f"images       {len(ev.images)} ({len(product_images)} beside items, {logos} logo)")
    roles: dict[str, int] = {}
    for link in ev.links:
        role = link.value.get("role") or "other"
        roles[role] = roles.get(role, 0) + 1
    out.append(f"links        {', '.join(f'{k} {v}' for k, v in sorted(roles.items())) or '-'}")
    out.append(f"recommended  {_fact(ev.recommendations)}")
    out.append(f"schema.org   {', '.join(f.value.get('type', '?') for f in ev.schema_org) or '-'}")
    auth = ", ".join(f"{k}={f.value}" for k, f in sorted(ev.authentication.items()))
    out.append(f"auth         {auth or '-'}")
    out.append(f"unsubscribe  {'List-Unsubscribe' if ev.list_unsubscribe else '-'}")
    clipped = " (over Gmail's ~102 KB: clipped)" if ev.html_clipped else ""
    out.append(f"html         {ev.html_size} bytes{clipped}; text part: {'yes' if ev.has_text_part else 'no'}")
    if ev.attachments:
        out.append(f"attachments  {', '.join(str(a.value.get('filename')) for a in ev.attachments)}")
    if ev.malformed:
        out.append(f"MALFORMED    {ev.malformed}")
    return "\n".join(out)
