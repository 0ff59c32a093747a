"""Links by what they are for: order status, tracking, unsubscribe, support, review, returns.

The visible words decide first ("Track your parcel", "Zrezygnuj z subskrypcji"),
then the title attribute, then the URL itself (``/unsubscribe``, carrier
hosts), because shops often hang a bare "here" on the link that matters.
"""

import re
from urllib.parse import unquote

from auditor.analysis.document import Link
from auditor.analysis.lexicon import LINK_ROLES, lexicons
from auditor.models.evidence import Fact

MAX_LINKS = 200
# Checked in this order: the more specific purpose wins ("Track your order" is tracking).
ROLE_ORDER = ("unsubscribe", "tracking", "review", "returns", "order_status", "support")
assert set(ROLE_ORDER) == set(LINK_ROLES)

URL_HINTS: dict[str, re.Pattern[str]] = {
    "unsubscribe": re.compile(r"unsubscri|opt-?out|/preferences|abmelden|wypisz|rezygn|otpiska|отпис|відпис", re.I),
    "tracking": re.compile(
        r"track|sendungsverfolgung|śledz|sledz|/parcel|/shipment|dhl\.|ups\.com|fedex\.|inpost|dpd\.|gls-|"
        r"gls\.|novaposhta|cdek|pochta\.ru|sf-express|kuaidi|17track|aftership|parcelsapp|/shipping/status",
        re.I,
    ),
    "review": re.compile(r"review|/rate|rating|feedback|trustpilot|opinie|opinion|bewert|отзыв|відгук|评价|评论", re.I),
    # path segments only: "?return_to=" and "returnUrl" in redirects are not returns pages
    "returns": re.compile(
        r"/(?:(?:returns?|refund)(?:[-_]?(?:policy|form|portal))?|retoure\w*|r(?:ue|ü)ckgabe|widerruf\w*|zwroty?|odstapienie\w*|"
        r"vozvrat|povernennya|возврат|повернення|退货|tuihuo)(?:[/?#._-]|$)",
        re.I,
    ),
    "order_status": re.compile(
        r"/orders?/|order[-_]?status|/account/order|zamowieni|bestellung|/zakaz|/заказ|订单", re.I
    ),
    "support": re.compile(r"^mailto:|/help|/support|/contact|/faq|kontakt|pomoc|hilfe|помощ|допомог|帮助|客服", re.I),
}


def link_role(text: str, url: str, title: str = "") -> str | None:
    """The purpose of one link, or None when neither its words nor its URL say."""
    lex = lexicons()
    for words in (text, title):
        if not words:
            continue
        for role in ROLE_ORDER:
            if lex.links[role].search(words):
                return role
    decoded = unquote(url)
    for role in ROLE_ORDER:
        if URL_HINTS[role].search(decoded):
            return role
    return None


CONTEXT_CHARS = 80


def _context(line: str, text: str) -> str:
    """The words just before a link in its sentence, and the link's own words."""
    at = line.find(text) if text else -1
    if at < 0:
        return line[-CONTEXT_CHARS:] if len(line) <= 2 * CONTEXT_CHARS else ""
    return line[max(0, at - CONTEXT_CHARS) : at + len(text)]


def classify_links(
    links: list[Link], source: str, list_unsubscribe: list[str] | None = None, lines: list[str] | None = None
) -> list[Fact]:
    """Every distinct link as ``Fact(value={'url','role','text'})``; List-Unsubscribe URIs included.

    A link whose own words and URL say nothing ("here", "tutaj") is judged by its sentence
    ("You can view the status of this order by clicking here").
    """
    facts: list[Fact] = []
    seen: set[tuple[str, str | None]] = set()
    unsubscribe_uris = set(list_unsubscribe or [])
    for link in links:
        url = link.href.strip()
        if not url or url.startswith(("#", "javascript:", "cid:")):
            continue
        role = "unsubscribe" if url in unsubscribe_uris else link_role(link.text, url, link.title)
        if role is None and lines is not None and 0 <= link.line < len(lines) and len(link.text) <= 40:
            role = link_role(_context(lines[link.line], link.text), "", "")
        key = (url, role)
        if key in seen:
            continue
        seen.add(key)
        snippet = link.text or link.title or url
        facts.append(Fact(value={"url": url, "role": role, "text": link.text}, snippet=snippet[:200], source=source))
        if len(facts) >= MAX_LINKS:
            break
    for uri in list_unsubscribe or []:
        if (uri, "unsubscribe") not in seen:
            seen.add((uri, "unsubscribe"))
            facts.append(
                Fact(value={"url": uri, "role": "unsubscribe", "text": ""}, snippet=uri, source="List-Unsubscribe")
            )
    return facts
