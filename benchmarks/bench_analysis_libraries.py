"""Libraries made for parts of analysis, measured against ours on the corpora: accuracy and speed side by side.

- money: ``price-parser`` (amount and currency out of a string) and ``babel``
  (``parse_decimal`` with the message's locale, after a regex finds the number)
  against ``auditor.models.money_text.find_money``. Ground truth: every labelled
  price (items' unit and line prices, totals) of the platforms corpus, in the
  table cell or line where the email prints it; each parser gets the same cell.
- dates: ``dateparser.search.search_dates`` against ``find_delivery_estimate``
  on the labelled delivery estimates (only the old generated corpus has them:
  the platforms' default templates print none).
- schema.org: ``extruct`` (JSON-LD, microdata, RDFa) against ours (JSON-LD and
  microdata read during the one HTML pass analysis makes anyway), on the
  labelled ``schema_org`` types.

A library that is not installed is reported as such (``pip install
price-parser dateparser extruct``); the figures are copied into
docs/analysis-quality.md.

Usage: ``python -m benchmarks.bench_analysis_libraries``.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from auditor.analysis import analyze
from auditor.analysis.delivery import find_delivery_estimate
from auditor.analysis.document import from_html, from_text
from auditor.analysis.evaluate import corpus_files, load_expected
from auditor.analysis.schema_org import from_jsonld, from_microdata
from auditor.mail.mime import parse_mime
from auditor.models.money_text import currency_code, find_money

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ROOT / "tests" / "corpus" / "platforms" / "messages"
OLD = ROOT / "tests" / "corpus" / "messages"
HOLDOUT = ("nopcommerce", "bagisto", "thelia", "zencart")  # a choice of library is a kind of tuning: not on these
LOCALES = {"en": "en_US", "pl": "pl_PL", "ru": "ru_RU", "uk": "uk_UA", "de": "de_DE", "zh": "zh_CN"}
_NUMBER = re.compile(r"\d[\d\s\u00a0\u202f.,']*\d|\d")


def _dev_platforms() -> list[Path]:
    if not PLATFORMS.is_dir():
        return []
    return sorted(p for p in PLATFORMS.iterdir() if p.is_dir() and p.name not in HOLDOUT)


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _digits(amount: Decimal) -> tuple[str, str]:
    """The digits an amount shows with and without cents: 1234.5 -> ('123450', '1234')."""
    cents = f"{amount:.2f}".replace(".", "")
    whole = str(int(amount)) if amount == int(amount) else ""
    return cents, whole


def _cells_showing(text: str, amount: Decimal) -> list[str]:
    """Cells (or lines) of ``text`` holding a number whose digits are the amount's."""
    cents, whole = _digits(amount)
    out = []
    for line in text.split("\n"):
        for cell in line.split(" | "):
            for match in _NUMBER.finditer(cell):
                digits = re.sub(r"\D", "", match.group(0))
                if digits in (cents, whole) and digits:
                    out.append(cell.strip())
                    break
    return out


def money_cases() -> list[tuple[str, str, Decimal, str | None]]:
    """(cell, language, amount, currency) for every labelled price of the development platforms."""
    cases = []
    for folder in _dev_platforms():
        for eml, labels in corpus_files(folder):
            exp = load_expected(labels)
            amounts = [exp.get("total")]
            for item in exp.get("items") or []:
                amounts += [item.get("unit_price"), item.get("line_total")]
            mail = parse_mime(eml.read_bytes())
            doc = from_html(mail.html) if mail.html else from_text(mail.text or "")
            text = "\n".join(line.text for line in doc.lines)
            for value in {Decimal(str(a)) for a in amounts if a is not None}:
                for cell in _cells_showing(text, value)[:2]:
                    cases.append((cell, exp.get("language", "en"), value, exp.get("currency")))
    return cases


def _ours(cell: str, language: str) -> list[tuple[Decimal, str | None]]:
    return [(m.amount, m.currency) for m, _ in find_money(cell, language)]


def _price_parser(cell: str, language: str) -> list[tuple[Decimal, str | None]]:
    from price_parser import Price

    price = Price.fromstring(cell)
    if price.amount is None:
        return []
    return [(price.amount, currency_code(price.currency) if price.currency else None)]


def _babel(cell: str, language: str) -> list[tuple[Decimal, str | None]]:
    from babel.numbers import NumberFormatError, parse_decimal

    out = []
    for match in _NUMBER.finditer(cell):
        try:
            out.append((parse_decimal(match.group(0).strip(), locale=LOCALES.get(language, "en_US")), None))
        except (NumberFormatError, ValueError):
            continue
    return out


def _score_money(name: str, fn: Callable[[str, str], list[tuple[Decimal, Any]]], cases: list[Any]) -> None:
    amount_ok = currency_ok = 0
    started = time.perf_counter()
    for cell, language, amount, currency in cases:
        found = fn(cell, language)
        if any(a == amount for a, _ in found):
            amount_ok += 1
            if currency and any(a == amount and c == currency for a, c in found):
                currency_ok += 1
    elapsed = time.perf_counter() - started
    with_currency = sum(1 for c in cases if c[3])
    cur = f"{currency_ok / with_currency:.3f}" if fn is not _babel else "  n/a"
    rate = len(cases) / elapsed if elapsed else 0.0
    print(f"  {name:34} amount {amount_ok / len(cases):.3f}   currency {cur}   {rate:10.0f} cells/s")


def delivery_cases() -> list[tuple[bytes, dict[str, Any], str]]:
    cases = []
    for eml, labels in corpus_files(OLD):
        exp = load_expected(labels)
        if isinstance(exp.get("delivery_estimate"), dict):
            cases.append((eml.read_bytes(), exp["delivery_estimate"], exp.get("language", "en")))
    return cases


def _score_dates(cases: list[tuple[bytes, dict[str, Any], str]]) -> None:
    ours_ok = lib_ok = 0
    ours_time = lib_time = 0.0
    have_lib = _have("dateparser")
    for raw, label, language in cases:
        mail = parse_mime(raw)
        doc = from_html(mail.html) if mail.html else from_text(mail.text or "")
        sent = parsedate_to_datetime(mail.header("Date")) if mail.header("Date") else datetime.now(UTC)
        started = time.perf_counter()
        fact = find_delivery_estimate(doc.lines, "html", sent.year)
        ours_time += time.perf_counter() - started
        if fact is not None and {k: fact.value.get(k) for k in label} == label:
            ours_ok += 1
        if not have_lib:
            continue
        from dateparser.search import search_dates

        text = "\n".join(line.text for line in doc.lines)
        started = time.perf_counter()
        found = search_dates(
            text,
            languages=[language],
            settings={"RELATIVE_BASE": sent.replace(tzinfo=None), "PREFER_DATES_FROM": "future"},
        )
        lib_time += time.perf_counter() - started
        days = {d.date().isoformat() for _, d in found or []}
        wanted = {label.get(k) for k in ("date", "from", "to") if label.get(k)}
        # dateparser has no notion of a range of days ("in 2-3 business days"): a relative label is a miss
        if wanted and wanted <= days:
            lib_ok += 1
    n = len(cases)
    print(f"  {'ours (find_delivery_estimate)':34} {ours_ok / n:.3f} read   {n / ours_time:10.0f} msg/s")
    if have_lib:
        print(f"  {'dateparser.search_dates':34} {lib_ok / n:.3f} read   {n / lib_time:10.0f} msg/s")
    else:
        print("  dateparser: not installed")


def _extruct_types(html: str) -> list[str]:
    import extruct

    data = extruct.extract(html, syntaxes=["json-ld", "microdata", "rdfa"], uniform=True, errors="ignore")
    out: list[str] = []
    # top-level items (and a JSON-LD @graph's members), as ours reads them: an Order nested in a
    # ParcelDelivery (partOfOrder) is part of the delivery, not a second object
    for items in data.values():
        for item in items:
            for node in item.get("@graph", [item]) if isinstance(item, dict) else []:
                kind = node.get("@type") if isinstance(node, dict) else None
                for k in kind if isinstance(kind, list) else [kind]:
                    name = str(k or "").rsplit("/", 1)[-1]
                    if name in ("Order", "ParcelDelivery"):
                        out.append(name)
    return out


def _score_schema() -> None:
    cases = []
    for folder in [OLD, *_dev_platforms()]:
        for eml, labels in corpus_files(folder):
            exp = load_expected(labels)
            if "schema_org" in exp:
                cases.append((eml.read_bytes(), sorted(exp["schema_org"] or [])))
    ours_ok = lib_ok = 0
    ours_time = lib_time = flat_time = 0.0
    have_lib = _have("extruct")
    for raw, label in cases:
        mail = parse_mime(raw)
        if not mail.html:
            ours_ok += label == []
            lib_ok += label == []
            continue
        started = time.perf_counter()
        doc = from_html(mail.html)
        flat_time += time.perf_counter() - started
        started = time.perf_counter()
        facts = from_jsonld(doc.jsonld)[0] + from_microdata(doc.microdata)
        ours_time += time.perf_counter() - started
        ours_ok += sorted(f.value.get("type") for f in facts) == label
        if have_lib:
            started = time.perf_counter()
            found = _extruct_types(mail.html)
            lib_time += time.perf_counter() - started
            lib_ok += sorted(set(found)) == sorted(set(label)) and len(found) >= len(label)
    n = len(cases)
    print(f"  {n} labelled messages, {sum(1 for _, lab in cases if lab)} with Order/ParcelDelivery markup")
    print(
        f"  {'ours (during the HTML pass)':34} {ours_ok / n:.3f} right   {n / ours_time:10.0f} msg/s "
        f"(the HTML pass itself, needed anyway: {n / flat_time:.0f} msg/s)"
    )
    if have_lib:
        print(f"  {'extruct (json-ld, microdata, rdfa)':34} {lib_ok / n:.3f} right   {n / lib_time:10.0f} msg/s")
    else:
        print("  extruct: not installed")


def main() -> None:
    analyze(b"Subject: warm-up\r\n\r\nHello")  # lexicons compile once, outside every timing
    cases = money_cases()
    print(f"money: {len(cases)} labelled prices of the development platforms, each in the cell that shows it")
    _score_money("ours (find_money)", _ours, cases)
    if _have("price_parser"):
        _score_money("price-parser (Price.fromstring)", _price_parser, cases)
    else:
        print("  price-parser: not installed")
    _score_money("babel (parse_decimal, the locale)", _babel, cases)
    dates = delivery_cases()
    print(f"\ndelivery dates: {len(dates)} labelled estimates (old generated corpus)")
    _score_dates(dates)
    print("\nschema.org:")
    _score_schema()


if __name__ == "__main__":
    main()
