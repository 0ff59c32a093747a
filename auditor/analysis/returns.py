"""Returns information: the sentence or link that tells a customer how to return or withdraw.

EU consumers have 14 days to withdraw from a distance purchase, and the
confirmation is where they look for how. A sentence with the lexicon's
``returns`` words ("return any item within 30 days", "odstąpienie od umowy",
"Widerrufsbelehrung", "退货") counts, and so does a link whose role is
``returns`` (its words or its URL say so, see ``links``). The value is that
sentence or the link's words, so a report can quote what the store said.
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons
from auditor.models.evidence import Fact

MAX_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)|[。！？]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around the match ``start:end``."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    stop = _SENTENCE_END.search(text, end)
    finish = stop.end() if stop else len(text)
    return text[begin:finish].strip()[:MAX_CHARS]


def find_returns(lines: list[Line], source: str, links: list[Fact] | None = None) -> Fact | None:
    """The first sentence about returns, else the first returns link; None when the message says nothing."""
    pattern = lexicons().returns
    for line in lines:
        match = pattern.search(line.text)
        if match:
            value = _sentence(line.text, match.start(), match.end())
            return Fact(value=value, snippet=line.text[:MAX_CHARS], source=source)
    for link in links or []:
        value = link.value if isinstance(link.value, dict) else {}
        if value.get("role") == "returns":
            words = str(value.get("text") or value.get("url") or "")
            return Fact(
                value=words[:MAX_CHARS],
                snippet=f"{words} {value.get('url', '')}".strip()[:MAX_CHARS],
                source=link.source,
            )
    return None
