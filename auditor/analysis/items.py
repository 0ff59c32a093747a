"""Line items: product name, quantity, unit price and line total, from table rows and text lines.

Rows under a header row ("Product | Qty | Price | Total") are read by column;
other rows and text lines need a quantity marker ("× 2", "Qty: 2", "2 szt.")
or a product image to count as an item, so banners and sentences with prices
do not. A single amount beside a quantity is the line total (Shopify, Oscar,
Magento print it so) and the unit price is derived from it.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.analysis.totals import label_of, total_role
from auditor.models.evidence import ItemFact
from auditor.models.money import Money
from auditor.models.money_text import find_money

_CENT = Decimal("0.01")
MAX_HEADER_CELL = 40  # a column heading is a word or two, not a sentence
MAX_LIST_LINE = 120  # an item line without an amount is a short list line, never a paragraph
MAX_SEEN = 20_000  # header rows remembered per lexicon set
MAX_ITEM_LINE = 1000  # a row with several cells of name, variant, SKU and prices is still far shorter than this


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


def find_quantity(text: str, *, with_units: bool = True) -> tuple[int, str] | None:
    """A quantity and the text that says it; ``with_units=False`` wants a label or a × ("Qty 2", "× 3"),
    as a line without an amount must have (a "3-5 days" or "5个工作日" is not a quantity)."""
    for pattern in _qty_patterns()[: None if with_units else 3]:
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


@per_lexicons
def _header_patterns() -> dict[str, re.Pattern[str]]:
    """Column words as word *starts* ("product" heads "Products", "Produkte", "produkty")."""
    headers = lexicons().item_headers
    return {role: re.compile(phrase_pattern(sorted(words), prefix=True), re.I) for role, words in headers.items()}


@dataclass(frozen=True)
class _Header:
    """A header row: which cell holds which column, and how many cells its rows have."""

    columns: dict[str, int]
    width: int


def _header_map(cells: list[str]) -> _Header | None:
    """A row whose short cells name columns (product, quantity, price...) in any language, with no amounts."""
    if any(len(c) > MAX_HEADER_CELL or _DIGIT.search(c) for c in cells):
        return None
    key = tuple(cells)
    seen = _headers_seen()
    if key not in seen:
        if len(seen) > MAX_SEEN:
            seen.clear()
        seen[key] = _read_header(cells)
    return seen[key]


@per_lexicons
def _headers_seen() -> dict[tuple[str, ...], _Header | None]:
    """Rows already read as header or not with this lexicon set: a template repeats its rows in every message."""
    return {}


def _read_header(cells: list[str]) -> _Header | None:
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        best: tuple[int, str] | None = None
        for role, pattern in _header_patterns().items():
            match = pattern.search(cell)
            if match and (best is None or len(match.group(0)) > best[0]):
                best = (len(match.group(0)), role)
        if best is not None and best[1] not in columns:
            columns[best[1]] = i
    values = {"quantity", "unit_price", "line_total"} & set(columns)
    if values and len(columns) >= 2:
        return _Header(columns, len(cells))
    return None


_BARE_QTY = re.compile(r"^[(\[]?\s*(\d{1,4})(?:[.,]0+)?\s*[)\]]?$")
_COUNTED = re.compile(r"^(\d{1,4})(?:[.,]0+)?\s*[^\W\d_][\w().]{0,15}$")  # "3 Einheit(en)", "2Jednostki", "1 单位"
_CODE = re.compile(r"^(?=[^\s]*\d)[A-Za-z0-9#./_-]+$")  # SKU-0205, AB12, 4006381333931: a reference, not a name


def _bare_quantity(text: str) -> int | None:
    """'2', '(1)', '3.0' alone in a cell; or the one integer left in a cell once its amounts are gone
    ("(1) @ $12.49 = $12.49", "1 | $19.95"), as long as no word is left beside it."""
    text = text.strip(" |@=*:·•-–—")
    match = _BARE_QTY.match(text)
    if match:
        return int(match.group(1))
    if _LETTER.search(text):
        return None
    numbers = re.findall(r"(?<![\d.,])\d{1,4}(?![\d.,]\d)", text)
    return int(numbers[0]) if len(numbers) == 1 else None


_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTERS2 = re.compile(r"[^\W\d_]{2}")


def _amounts(text: str, locale: str | None) -> list[tuple[Money, str]]:
    return find_money(text, locale) if _DIGIT.search(text) else []


def _from_row(line: Line, header: _Header | None, locale: str | None) -> ItemFact | None:
    """A table row is an item when it has a name and a quantity (or a product picture) beside its amounts,
    whatever the order of its cells; a header row, when there is one, says which cell is which."""
    cells = line.cells or []
    monies_by_cell = [_amounts(c, locale) for c in cells]
    residues = [_strip(c, [s for _, s in m]) if m else c for c, m in zip(cells, monies_by_cell, strict=True)]
    if sum(1 for m, r in zip(monies_by_cell, residues, strict=True) if m and _LETTERS2.search(r)) >= 2:
        return None  # product cards side by side, each with its own name and price: a grid of offers
    columns = header.columns if header is not None and header.width == len(cells) else {}
    taken = {i for role, i in columns.items() if role != "name"}
    qty: tuple[int, str] | None = None
    if "quantity" in columns:
        text = cells[columns["quantity"]]
        bare = _bare_quantity(text)
        qty = (bare, text) if bare is not None else find_quantity(text)
    explicit = qty is not None and "quantity" in columns
    if qty is None:
        for i, (cell, monies) in enumerate(zip(cells, monies_by_cell, strict=True)):
            if i in taken and "quantity" not in columns:
                continue
            found = find_quantity(residues[i])
            if found is not None:
                qty, explicit = found, True
                break
            bare = _bare_quantity(residues[i]) if (monies or not _LETTER.search(cell)) else None
            counted = _COUNTED.match(cell.strip()) if bare is None and i not in taken else None
            if counted and len(cells) > 1 and (monies_by_cell[i] == [] and (line.images or any(monies_by_cell))):
                qty, explicit = (int(counted.group(1)), cell), True  # a count and its unit, in a cell of its own
                break
            if bare is not None and qty is None:
                qty = (bare, cell)
    name = ""
    if "name" in columns and columns["name"] < len(cells):
        name = _first_part(line, columns["name"], cells[columns["name"]])
    if not _LETTER.search(name):
        for i, residue in enumerate(residues):
            text = _first_part(line, i, residue) if not monies_by_cell[i] else residue
            if i in taken or _CODE.match(text.strip()) or not _LETTERS2.search(text):
                continue
            if qty is not None and text.strip() == qty[1].strip():
                continue
            name = text
            break
    in_name = find_quantity(name)
    name = _clean_name(name, [in_name[1]] if in_name and qty and in_name[0] == qty[0] else [])
    monies = [m for cell_monies in monies_by_cell for m, _ in cell_monies]
    unit = total = None
    if "unit_price" in columns and monies_by_cell[columns["unit_price"]]:
        unit = monies_by_cell[columns["unit_price"]][0][0]
    if "line_total" in columns and monies_by_cell[columns["line_total"]]:
        total = monies_by_cell[columns["line_total"]][0][0]
    if unit is None and total is None and monies:
        unit, total = (monies[0], monies[-1]) if len(monies) >= 2 else (None, monies[-1])
    if not name or not _LETTER.search(name):
        return None
    if monies and (qty is not None or line.images):
        return _item(name, qty[0] if qty else None, unit, total, line.text)
    if not monies and qty is not None and (explicit or columns):
        return _item(name, qty[0], None, None, line.text)  # a shipment's or a cart's list: names and quantities
    if not monies and qty is None and _referenced(cells):
        return _item(name, None, None, None, line.text)  # "SKU-0205 | USB-C Charging Cable 2 m": a listed product
    return None


def _referenced(cells: list[str]) -> bool:
    """A product reference (letters and digits, one token) and then a name of several words: how shipment
    and cancellation lists name a product without a price. A carrier then a tracking number is the other way."""
    if len(cells) != 2:
        return False
    ref, name = cells[0].strip(), cells[1].strip()
    return bool(
        _CODE.match(ref)
        and _LETTER.search(ref)
        and (len(name.split()) >= 2 or len(_CJK.findall(name)) >= 2)
        and _LETTERS2.search(name)
        and ":" not in name
    )


def _first_part(line: Line, index: int | None, fallback: str) -> str:
    """A cell's first line: the product name, without the variant or SKU lines under it."""
    if index is not None and line.cell_parts and index < len(line.cell_parts) and line.cell_parts[index]:
        return line.cell_parts[index][0]
    return fallback


def _from_text(line: Line, locale: str | None, previous: Line | None = None) -> ItemFact | None:
    monies = line.amounts(locale)
    rest = _strip(line.text, [s for _, s in monies])
    qty_found = find_quantity(rest, with_units=bool(monies))
    if qty_found is None and monies:
        bare = _bare_quantity(rest)  # "1 | $19.95" under the name: a card's quantity and price
        qty_found = (bare, str(bare)) if bare is not None else None
    if qty_found is None:
        return None
    if not monies and (len(line.text) > MAX_LIST_LINE or line.text.rstrip().endswith((".", "!", "?"))):
        return None  # without an amount, only a short list line ("Laptop Sleeve × 3", "Qty 2") is an item
    name = _clean_name(line.text, [s for _, s in monies] + [qty_found[1]])
    card_name = (
        previous is not None
        and not previous.amounts(locale)
        and not previous.cells
        and _LETTER.search(previous.text)
        and len(previous.text) <= 120
        and find_quantity(previous.text) is None
    )
    if not _LETTERS2.search(name) and previous is not None and card_name:
        name = _clean_name(previous.text, [])  # card layouts: the name on its own line above "1 шт. × 18 990 ₽"
    if not name or not _LETTER.search(name):
        return None
    if not monies:
        return _item(name, qty_found[0], None, None, line.text)
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
    """Read a column's amounts the way the order's sums agree with.

    One amount beside a quantity > 1 can be the line total (Magento heads it "Price") or the unit
    price (Odoo); headers do not say which. If the amounts as read do not add up to the subtotal
    (or the total less shipping and tax) but read the other way they do, they were the other thing.
    """
    if not items or not any((i.quantity or 1) > 1 for i in items) or any(i.unit_price is None for i in items):
        return items
    targets = {s.amount for s in sums}
    as_read = sum((i.line_total.amount for i in items if i.line_total), Decimal(0))
    if as_read in targets:
        return items
    as_units = sum((i.unit_price.amount for i in items if i.unit_price), Decimal(0))  # "Price" was the row total
    if as_units in targets:
        return [_item(i.name, i.quantity, None, i.unit_price, i.snippet) if i.unit_price else i for i in items]
    lines = [i.line_total for i in items]
    as_lines = sum((i.line_total.amount * (i.quantity or 1) for i in items if i.line_total), Decimal(0))
    if as_lines in targets and all(line is not None for line in lines):  # the one amount was the unit price
        return [_item(i.name, i.quantity, i.line_total, None, i.snippet) for i in items]
    return items


def find_items(lines: list[Line], source: str, locale: str | None, stop_at: int | None = None) -> list[ItemFact]:
    """Items in reading order; ``stop_at`` is the line where a recommendations block begins.

    A header row's columns apply to the rows after it with as many cells, in its table or in the
    next ones (some platforms put each item in a table of its own under one header table).
    """
    items: list[ItemFact] = []
    header: _Header | None = None
    previous: Line | None = None
    window: list[Line] = []  # the lines just above, for product cards split over several lines
    for line in lines[:stop_at]:
        before, previous = previous, line
        above, window = window, (window + [line])[-3:]
        if len(line.text) > MAX_ITEM_LINE:
            continue
        if line.cells and (mapping := _header_map(line.cells)):
            header = mapping
            continue
        monies = line.amounts(locale)
        if not monies and not _DIGIT.search(line.text):
            continue  # no amount and no quantity: nothing to read
        label = label_of(line, [s for _, s in monies])
        if total_role(label) and find_quantity(label) is None:
            continue
        item = _from_row(line, header, locale) if line.cells else _from_text(line, locale, before)
        if item is None and not line.cells and monies:
            item = _from_card(line, above, locale)
        if item is not None:
            if items and items[-1].name == item.name and items[-1].line_total is None and item.line_total is not None:
                items.pop()  # "Quantity: 1" read on its own, then the card's price under it: one item
            items.append(item)
    return items
