"""Summary amounts: subtotal, shipping, tax, discount and total, each with its line as the snippet.

A summary line is a short label plus an amount ("Order Total: €19.99",
"Razem do zapłaty | 258,00 zł"). When one label holds several role words,
the first one wins ("Basket total" is a subtotal, "Total incl. VAT" a total).
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import TOTAL_ROLES, lexicons, per_lexicons
from auditor.models.evidence import Fact
from auditor.models.money import Money

MAX_LABEL = 48  # longer text around an amount is a sentence, not a summary label
MAX_SEEN = 20_000  # labels remembered per lexicon set (a label is at most MAX_LABEL characters)


def label_of(line: Line, snippets: list[str]) -> str:
    """The line without its amounts: what labels them."""
    if line.cells:
        parts = [c for c in line.cells if not any(s in c for s in snippets)]
        label = " ".join(parts) if parts else line.text
    else:
        label = line.text
    for snippet in snippets:
        label = label.replace(snippet, " ")
    return re.sub(r"[\s|:]+", " ", label).strip(" -–—*•")


@per_lexicons
def _roles_seen() -> dict[str, str | None]:
    """Labels already classified with this lexicon set: templates repeat them, and items and totals both ask."""
    return {}


def total_role(label: str) -> str | None:
    """Which summary role a label names, if any (earliest role word wins)."""
    if not label or len(label) > MAX_LABEL:
        return None
    seen = _roles_seen()
    if label in seen:
        return seen[label]
    if len(seen) > MAX_SEEN:
        seen.clear()
    seen[label] = role = _role(label)
    return role


def _role(label: str) -> str | None:
    best: tuple[int, int, str] | None = None
    for role in TOTAL_ROLES:
        match = lexicons().totals[role].search(label)
        if match and (best is None or (match.start(), -len(match.group(0))) < best[:2]):
            best = (match.start(), -len(match.group(0)), role)
    return best[2] if best else None


def _amount_in_sentence(text: str, monies: list[tuple[Money, str]]) -> Money | None:
    """'We have received your payment of 1 372,00 zł': an amount right after an amount phrase."""
    pattern = lexicons().amount_phrases
    pos = 0
    for money, snippet in monies:
        at = text.find(snippet, pos)
        if at >= 0 and pattern.search(text[max(0, at - 40) : at]):
            return money
        pos = max(pos, at + 1)
    return None


def find_totals(lines: list[Line], source: str, locale: str | None) -> dict[str, Fact]:
    """Role -> Fact(value=Money). The last line of a role wins: grand totals come last."""
    found: dict[str, Fact] = {}
    for line in lines:
        monies = line.amounts(locale)
        if not monies:
            continue
        role = total_role(label_of(line, [s for _, s in monies]))
        money = monies[-1][0]
        if role is None:
            money = _amount_in_sentence(line.text, monies)
            if money is None or "total" in found:
                continue
            role = "total"
        found[role] = Fact(value=money, snippet=line.text, source=source)
    return found


def only_amount(lines: list[Line], source: str, locale: str | None) -> Fact | None:
    """The one amount a message states, however it words it ("A payment ... amounting $ 155.98",
    "金额 ¥ 499.00"): with nothing else priced, that amount is what was paid, in any language."""
    found: list[tuple[Money, Line]] = [(money, line) for line in lines for money, _ in line.amounts(locale)]
    values = {(money.amount, money.currency) for money, _ in found}
    if len(values) != 1:
        return None
    money, line = found[0]
    return Fact(value=money, snippet=line.text, source=source)
