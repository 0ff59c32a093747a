"""The delivery estimate a message promises: a date, a range of dates, or a relative phrase.

Only text next to a delivery label counts ("Estimated delivery: 2–3 business
days", "Przewidywany czas dostawy: w ciągu 2 dni roboczych"), so a return
policy's "within 30 days" is not read as a promise. The value keeps the words
as written (``text``) beside what they mean (``min``/``max``/``unit`` or ISO dates).
"""

import re
from datetime import date
from typing import Any

from auditor.analysis.document import Line
from auditor.analysis.lexicon import PhraseIndex, lexicons, per_lexicons, phrase_pattern
from auditor.models.evidence import Fact

_DASH = r"\s*(?:[-–—~]|to|do|bis|до|по|至|到)\s*"


@per_lexicons
def _patterns() -> dict[str, Any]:
    lex = lexicons()
    numbers: dict[str, int] = {}
    units: dict[str, str] = {}
    months: dict[str, int] = {}
    relative: list[str] = []
    labels: list[str] = []
    for lx in lex.by_language.values():
        numbers.update({k.lower(): v for k, v in lx.delivery.numbers.items()})
        units.update({k.lower(): v for k, v in lx.delivery.units.items()})
        months.update({k.lower(): v for k, v in lx.delivery.months.items()})
        relative.extend(lx.delivery.relative)
        labels.extend(lx.delivery.labels)
    n = r"(?:\d{1,3}|" + phrase_pattern(list(numbers)) + ")"
    unit = "(?:" + phrase_pattern(list(units)) + ")"
    rel = [re.compile(p.replace("{n}", n).replace("{unit}", unit), re.I) for p in relative]
    month = "(?:" + phrase_pattern(list(months)) + r")\.?"
    day = r"(?P<d{i}>\d{{1,2}})(?:st|nd|rd|th|\.)?"
    dates = [
        r"(?P<y{i}>\d{{4}})-(?P<m{i}>\d{{1,2}})-(?P<d{i}>\d{{1,2}})",
        r"(?P<y{i}>\d{{4}})\s*年\s*(?P<m{i}>\d{{1,2}})\s*月\s*(?P<d{i}>\d{{1,2}})\s*[日号]",
        r"(?P<m{i}>\d{{1,2}})\s*月\s*(?P<d{i}>\d{{1,2}})\s*[日号]",
        r"(?P<d{i}>\d{{1,2}})[./](?P<m{i}>\d{{1,2}})(?:[./](?P<y{i}>\d{{2,4}}))?(?![\d])",
        day + r"\s+(?P<mn{i}>" + month + r")(?:,?\s+(?P<y{i}>\d{{4}}))?",
        r"(?P<mn{i}>" + month + r")\s+" + day + r"(?:,?\s+(?P<y{i}>\d{{4}}))?",
    ]
    one = [re.compile(d.format(i=0), re.I) for d in dates]
    # A range is any date, a dash, any date; each side is then read with the single-date patterns.
    plain = "|".join(re.sub(r"\(\?P<[a-z]+\d>", "(?:", d.format(i=0)) for d in dates)
    ranges = [re.compile(rf"(?P<a>{plain}){_DASH}(?P<b>{plain})", re.I)]
    # "25–27 November" / "25.–27. November": the month is written once
    short = re.compile(r"(?P<d0>\d{1,2})\.?" + _DASH + day.format(i=1) + r"\s+(?P<mn1>" + month + r")", re.I)
    return {
        "label": PhraseIndex(labels, re.I),  # one word lookup per word: long lines stay cheap
        "relative": rel,
        "numbers": numbers,
        "units": units,
        "months": months,
        "one": one,
        "ranges": ranges,
        "short_range": short,
        "n": re.compile(n, re.I),
    }


def _num(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return _patterns()["numbers"].get(token)


def _date(m: re.Match[str], i: int, ref_year: int | None, fallback_month: int | None = None) -> str | None:
    groups = m.groupdict()
    try:
        d = int(groups[f"d{i}"])
        if groups.get(f"mn{i}"):
            month = _patterns()["months"].get(groups[f"mn{i}"].lower().rstrip("."))
        elif groups.get(f"m{i}"):
            month = int(groups[f"m{i}"])
        else:
            month = fallback_month
        if month is None:
            return None
        y = groups.get(f"y{i}")
        year = int(y) if y else ref_year
        if year is not None and year < 100:
            year += 2000
        if year is None:
            date(2000, month, d)  # validates day/month
            return f"--{month:02d}-{d:02d}"
        return date(year, month, d).isoformat()
    except (KeyError, ValueError, TypeError):
        return None


def _one(text: str, ref_year: int | None, fallback_month: int | None = None) -> str | None:
    for pattern in _patterns()["one"]:
        m = pattern.fullmatch(text.strip())
        if m:
            return _date(m, 0, ref_year, fallback_month)
    return None


def _parse(text: str, ref_year: int | None) -> dict[str, Any] | None:
    p = _patterns()
    m = p["short_range"].search(text)
    if m:
        end = _date(m, 1, ref_year)
        start = _date(m, 0, ref_year, int(end[-5:-3])) if end else None
        if start and end:
            return {"kind": "range", "text": m.group(0), "from": start, "to": end}
    for m in p["ranges"][0].finditer(text):
        start, end = _one(m.group("a"), ref_year), _one(m.group("b"), ref_year)
        if start and end:
            return {"kind": "range", "text": m.group(0), "from": start, "to": end}
    for pattern in p["one"]:
        m = pattern.search(text)
        if m:
            when = _date(m, 0, ref_year)
            if when:
                return {"kind": "date", "text": m.group(0), "date": when}
    for pattern in p["relative"]:
        m = pattern.search(text)
        if m:
            found = [_num(t) for t in p["n"].findall(m.group(0))]
            nums = [x for x in found if x is not None]
            unit = next(
                (v for k, v in p["units"].items() if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", m.group(0), re.I)), None
            )
            value: dict[str, Any] = {"kind": "relative", "text": m.group(0)}
            if nums:
                value.update({"min": min(nums), "max": max(nums), "unit": unit or "day"})
            return value
    return None


def find_delivery_estimate(lines: list[Line], source: str, ref_year: int | None = None) -> Fact | None:
    """The first delivery promise next to a delivery label (same line, or the line after a bare label)."""
    label = _patterns()["label"]
    for i, line in enumerate(lines):
        match = label.search(line.text)
        if not match:
            continue
        after = line.text[match.start() :]
        value = _parse(after, ref_year)
        snippet = line.text
        if value is None and len(line.text) < 60 and i + 1 < len(lines):
            value = _parse(lines[i + 1].text, ref_year)
            snippet = f"{line.text} {lines[i + 1].text}"
        if value is not None:
            return Fact(value=value, snippet=snippet[:300], source=source)
    return None
