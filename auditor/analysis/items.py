"""Line items: product name, quantity, unit price and line total, from table rows and text lines.

Rows under a header row ("Product | Qty | Price | Total") are read by column;
other rows and text lines need a quantity marker ("× 2", "Qty: 2", "2 szt.")
or a product image to count as an item, so banners and sentences with prices
do not. A single amount beside a quantity is the line total (Shopify, Oscar,
Magento print it so) and the unit price is derived from it.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.analysis.money import find_money
from auditor.analysis.totals import label_of, total_role
from auditor.models.evidence import ItemFact
from auditor.models.money import Money

_CENT = Decimal("0.01")


@per_lexicons
def _qty_patterns() -> list[re.Pattern[str]]:
    lex = lexicons()
    labels = phrase_pattern(lex.quantity_words)
    units = phrase_pattern(lex.quantity_units)
    return [
        re.compile(rf"(?:{labels})\s*[:.=]?\s*(?P<q>\d{{1,4}})(?!\d|[.,]\d)", re.I),
        re.compile(r"(?:^|(?<=[\s(]))[x×]\s?(?P<q>\d{1,4})(?!\d|[.,]\d)", re.I),
        re.compile(r"(?:^|(?<=\s))(?P<q>\d{1,4})\s?[x×](?=\s|$)", re.I),
        re.compile(rf"(?<![\d.,])(?P<q>\d{{1,4}})\s?(?:{units})", re.I),
    ]


@per_lexicons
def _label_words() -> re.Pattern[str]:
    lex = lexicons()
    words = lex.item_headers["unit_price"] | lex.item_headers["line_total"] | set(lex.quantity_words)
    return re.compile(rf"(?:{phrase_pattern(sorted(words))})\s*:", re.I)


def find_quantity(text: str) -> tuple[int, str] | None:
    """A quantity and the text that says it."""
    for pattern in _qty_patterns():
        match = pattern.search(text)
        if match:
            return int(match.group("q")), match.group(0)
    return None


def _clean_name(text: str, remove: list[str]) -> str:
    for part in remove:
        text = text.replace(part, " ", 1)
    text = _label_words().sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" \t|-–—:*•·,;")
    while text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip()
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip()
    return text


def _item(name: str, qty: int | None, unit: Money | None, total: Money | None, snippet: str) -> ItemFact:
    if unit is None and total is not None:
        unit = (
            total
            if qty in (None, 1)
            else Money(amount=(total.amount / qty).quantize(_CENT, ROUND_HALF_UP), currency=total.currency)
        )
    if total is None and unit is not None and qty is not None:
        total = Money(amount=unit.amount * qty, currency=unit.currency)
    return ItemFact(name=name, quantity=qty, unit_price=unit, line_total=total, snippet=snippet)


def _header_map(cells: list[str]) -> dict[str, int] | None:
    headers = lexicons().item_headers
    mapping: dict[str, int] = {}
    for i, cell in enumerate(cells):
        word = cell.lower().strip(" :.")
        for col in ("name", "quantity", "unit_price", "line_total"):
            if word in headers[col] and col not in mapping:
                mapping[col] = i
                break
    if "name" in mapping and len(mapping) >= 2:
        return mapping
    return None


def _from_row(line: Line, header: dict[str, int] | None, locale: str | None) -> ItemFact | None:
    cells = line.cells or []
    if header:

        def cell(col: str) -> str:
            i = header.get(col)
            return cells[i] if i is not None and i < len(cells) else ""

        name = _first_part(line, header.get("name"), cell("name"))
        qty_found = find_quantity(cell("quantity")) or (
            (int(cell("quantity")), cell("quantity")) if cell("quantity").strip().isdigit() else None
        )
        unit = find_money(cell("unit_price"), locale)
        total = find_money(cell("line_total"), locale)
        qty = qty_found[0] if qty_found else None
        name = _clean_name(name, [])
        if name and (unit or total):
            return _item(name, qty, unit[0][0] if unit else None, total[0][0] if total else None, line.text)
    monies = line.amounts(locale)
    qty_found = None
    for c in cells:
        if re.fullmatch(r"\d{1,4}", c.strip()):
            qty_found = (int(c), c)
            break
    if qty_found is None:
        for c in cells:
            if not find_money(c, locale):
                qty_found = find_quantity(c)
                if qty_found:
                    break
    named = [(i, c) for i, c in enumerate(cells) if not find_money(c, locale) and re.search(r"[^\W\d_]", c)]
    if not named or (qty_found is None and not line.images):
        return None
    first = _first_part(line, named[0][0], named[0][1])
    in_name = find_quantity(first)
    name = _clean_name(first, [in_name[1]] if in_name and qty_found and in_name[0] == qty_found[0] else [])
    if not name:
        return None
    qty = qty_found[0] if qty_found else None
    unit = monies[0][0] if len(monies) >= 2 else None
    total = monies[-1][0]
    return _item(name, qty, unit, total, line.text)


def _first_part(line: Line, index: int | None, fallback: str) -> str:
    """A cell's first line: the product name, without the variant or SKU lines under it."""
    if index is not None and line.cell_parts and index < len(line.cell_parts) and line.cell_parts[index]:
        return line.cell_parts[index][0]
    return fallback


def _from_text(line: Line, locale: str | None, previous: Line | None = None) -> ItemFact | None:
    monies = line.amounts(locale)
    qty_found = find_quantity(_strip(line.text, [s for _, s in monies]))
    if qty_found is None:
        return None
    name = _clean_name(line.text, [s for _, s in monies] + [qty_found[1]])
    card_name = (
        previous is not None
        and not previous.amounts(locale)
        and re.search(r"[^\W\d_]", previous.text)
        and len(previous.text) <= 120
    )
    if not re.search(r"[^\W\d_]{2}", name) and previous is not None and card_name:
        name = _clean_name(previous.text, [])  # card layouts: the name on its own line above "1 шт. × 18 990 ₽"
    if not name or not re.search(r"[^\W\d_]", name):
        return None
    unit = monies[0][0] if len(monies) >= 2 else None
    total: Money | None = monies[-1][0]
    before = line.text[: line.text.find(monies[0][1])]
    if len(monies) == 1 and re.search(r"\d\s*\S{0,6}\s*[x×]\s*$", before):
        unit, total = total, None  # "2 шт. × 490 ₽": quantity times the unit price
    return _item(name, qty_found[0], unit, total, line.text)


def _from_card(line: Line, above: list[Line], locale: str | None) -> ItemFact | None:
    """A price alone on its line, under a quantity line and a name line (email builders' product cards)."""
    monies = line.amounts(locale)
    if len(monies) != 1 or re.search(r"[^\W\d_]{2}", _strip(line.text, [monies[0][1]])):
        return None
    qty_line = next((ln for ln in reversed(above) if find_quantity(ln.text) and not ln.amounts(locale)), None)
    if qty_line is None:
        return None
    names = [
        ln
        for ln in above
        if ln is not qty_line
        and not ln.amounts(locale)
        and re.search(r"[^\W\d_]{2}", ln.text)
        and len(ln.text) <= 120
        and ln.index < qty_line.index
    ]
    if not names:
        return None
    qty = find_quantity(qty_line.text)
    assert qty is not None
    return _item(
        _clean_name(names[-1].text, []), qty[0], None, monies[0][0], f"{names[-1].text} {qty_line.text} {line.text}"
    )


def _strip(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text


def reconcile(items: list[ItemFact], sums: list[Money]) -> list[ItemFact]:
    """Magento and others head the row total "Price": if the prices read as unit prices do not add
    up to the subtotal but read as line totals they do, they were line totals."""
    if not items or not any((i.quantity or 1) > 1 for i in items) or any(i.unit_price is None for i in items):
        return items
    as_lines = sum((i.unit_price.amount for i in items if i.unit_price), Decimal(0))
    as_units = sum((i.line_total.amount for i in items if i.line_total), Decimal(0))
    targets = {s.amount for s in sums}
    if as_units in targets or as_lines not in targets:
        return items
    return [_item(i.name, i.quantity, None, i.unit_price, i.snippet) if i.unit_price is not None else i for i in items]


def find_items(lines: list[Line], source: str, locale: str | None, stop_at: int | None = None) -> list[ItemFact]:
    """Items in reading order; ``stop_at`` is the line where a recommendations block begins."""
    items: list[ItemFact] = []
    header: dict[str, int] | None = None
    previous: Line | None = None
    window: list[Line] = []  # the lines just above, for product cards split over several lines
    for line in lines[:stop_at]:
        before, previous = previous, line
        above, window = window, (window + [line])[-3:]
        if line.cells and (mapping := _header_map(line.cells)):
            header = mapping
            continue
        monies = line.amounts(locale)
        if not monies:
            continue
        label = label_of(line, [s for _, s in monies])
        if total_role(label) and find_quantity(label) is None:
            continue
        item = _from_row(line, header, locale) if line.cells else _from_text(line, locale, before)
        if item is None and not line.cells:
            item = _from_card(line, above, locale)
        if item is not None:
            items.append(item)
    return items
