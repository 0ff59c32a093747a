"""Facts that live in headers: SPF/DKIM/DMARC results and List-Unsubscribe.

Inboxes judge senders by these (bulk senders need DMARC; Gmail shows an
unsubscribe button only with List-Unsubscribe), so the rubric gets them as
facts with the header text as the snippet.
"""

import re

from auditor.models.evidence import Fact

_RESULT = re.compile(r"\b(spf|dkim|dmarc|arc|bimi)\s*=\s*([a-z]+)", re.I)
_ANGLE = re.compile(r"<([^>]+)>")


def authentication_results(headers: list[tuple[str, str]]) -> dict[str, Fact]:
    """``{'spf': Fact('pass'), ...}`` from the topmost Authentication-Results (the receiving server's)."""
    found: dict[str, Fact] = {}
    for name, value in headers:
        lname = name.lower()
        if lname == "authentication-results":
            for segment in re.split(r";", value):
                match = _RESULT.search(segment)
                if match:
                    method = match.group(1).lower()
                    if method not in found:
                        found[method] = Fact(value=match.group(2).lower(), snippet=segment.strip()[:200], source=name)
        elif lname == "received-spf" and "spf" not in found:
            word = value.split(None, 1)[0].lower() if value.strip() else ""
            if word:
                found.setdefault("spf", Fact(value=word, snippet=value[:200], source=name))
    return found


def list_unsubscribe(headers: list[tuple[str, str]]) -> Fact | None:
    """``value={'uris': [...], 'one_click': bool}`` (RFC 8058 one-click when List-Unsubscribe-Post says so)."""
    value = next((v for k, v in headers if k.lower() == "list-unsubscribe"), None)
    if value is None:
        return None
    post = next((v for k, v in headers if k.lower() == "list-unsubscribe-post"), "")
    uris = _ANGLE.findall(value) or [u.strip() for u in value.split(",") if u.strip()]
    return Fact(
        value={"uris": uris, "one_click": "one-click" in post.lower()},
        snippet=value[:300],
        source="List-Unsubscribe",
    )
