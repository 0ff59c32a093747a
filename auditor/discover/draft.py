"""Write what a walk found as a store profile YAML a human can check line by line, and a report.

Each step carries a comment: the signal that found it and a confidence (0-1). What was not found is
a ``# TODO`` comment where the step would go, with the page and a screenshot. The file is loaded
back through ``load_store`` before it is kept, so a draft is always a valid profile.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from auditor.discover.platforms import PlatformGuess
from auditor.discover.record import Entry, Walk, relative_url

ENTRY_ORDER = ("add_to_cart", "checkout", "place_order", "ask_question")


@dataclass
class DraftInfo:
    store_id: str
    name: str
    base_url: str
    locale: str
    currency: str | None
    platform: PlatformGuess
    bundled: dict[str, list[dict[str, Any]]] | None = None  # a bundled platform profile's entries
    minutes: dict[str, float] = field(default_factory=dict)


def flow(value: Any) -> str:
    """One YAML value on one line (``{role: button, name: Add to cart}``)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text.removesuffix("...").strip()


def step_lines(step: dict[str, Any], indent: str) -> list[str]:
    kind = next(k for k in step if k != "when")
    lines = [f"{indent}- {kind}: {flow(step[kind])}"]
    if "when" in step:
        lines.append(f"{indent}  when: {flow(step['when'])}")
    return lines


def profile_text(walk: Walk, info: DraftInfo, persona_id: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"# Draft store profile written by `auditor discover` on {stamp} as persona {persona_id}.",
        "# Check every line: each step says how it was found and how sure discovery was (0-1).",
        "# Run it with: auditor run scenarios/guest-checkout.yaml --store THIS --persona PERSONA --dry-run",
        f"# Platform: {info.platform.describe()}",
    ]
    if walk.todos:
        out.append(f"# {len(walk.todos)} TODO(s): search this file for TODO; screenshots are beside it.")
    out += [
        f"id: {flow(info.store_id)}",
        f"name: {flow(info.name)}",
        f"base_url: {flow(info.base_url)}",
        f"locale: {flow(info.locale)}",
    ]
    if info.currency:
        out.append(f"currency: {flow(info.currency)}")
    out += ["real_money: false  # set true for a store where an order costs money (see the purchase guard)", ""]
    out.append(
        "# The generic scenario buys a and b: the two cheapest products found in stock without required options."
    )
    out.append("products:" if walk.products else "products: {}")
    for key, product in zip(("a", "b"), walk.products, strict=False):
        price = f"{product.price} {product.currency or ''}".strip() if product.price is not None else "price unknown"
        out.append(f"  {key}: {flow({'url': relative_url(product.url, info.base_url), 'name': product.name})}")
        out[-1] += f"  # {product.signal}; {price}"
    if len(walk.products) < 2:
        out.append(f"  # TODO: only {len(walk.products)} product(s) found; give product pages with --product URL")
    entries = dict(walk.profile)
    out += ["", "profile:" if entries or info.bundled else "profile: {}"]
    if info.bundled:
        out.append(f"  # entries from the bundled {info.platform.platform} platform profile, products discovered")
        for name, steps in info.bundled.items():
            entries[name] = [Entry(step=step, how="bundled platform profile", confidence=1.0) for step in steps]
    for name in [*ENTRY_ORDER, *[n for n in entries if n not in ENTRY_ORDER]]:
        if name not in entries:
            continue
        steps = entries[name]
        todos = [t for t in walk.todos if t.entry == name]
        if not steps:
            out.append(f"  {name}: []  # not offered: the scenario's step is skipped")
        else:
            out.append(f"  {name}:")
        for entry in steps:
            lines = step_lines(entry.step, "    ")
            lines[0] += f"  # {entry.how} (confidence {entry.confidence:.2f})"
            out += lines
        for todo in todos:
            shot = f", screenshot {Path(todo.screenshot).name}" if todo.screenshot else ""
            out.append(f"    # TODO: {todo.what} (page {todo.url}{shot})")
    return "\n".join(out) + "\n"


def report_text(walk: Walk, info: DraftInfo, profile: Path) -> str:
    """Which steps were found by which signal, which remain TODO; printed and kept beside the profile."""
    lines = [f"Discovery report for {info.base_url} -> {profile}", f"platform: {info.platform.describe()}", ""]
    lines.append("products:")
    for key, product in zip(("a", "b"), walk.products, strict=False):
        lines.append(f"  {key}: {product.name} ({product.price} {product.currency or ''}) by {product.signal}")
    for name, entries in walk.profile.items():
        lines.append(f"{name}:" + ("  (empty: skipped)" if not entries else ""))
        for entry in entries:
            kind = next(k for k in entry.step if k != "when")
            lines.append(f"  {kind:<13} {entry.confidence:.2f}  {entry.how}")
    if info.bundled:
        lines.append(f"entries {', '.join(info.bundled)} from the bundled {info.platform.platform} profile")
    lines.append("")
    lines.append(f"TODO ({len(walk.todos)}):" if walk.todos else "TODO: none")
    for todo in walk.todos:
        lines.append(
            f"  {todo.entry}: {todo.what} at {todo.url}" + (f" [{todo.screenshot}]" if todo.screenshot else "")
        )
    for note in walk.notes:
        lines.append(f"note: {note}")
    if walk.reached_place_order:
        lines.append(
            "reached the place-order button" + (", and placed one order" if walk.ordered else " (not clicked)")
        )
    if walk.order_number:
        lines.append(f"order number shown: {walk.order_number}")
    for what, value in info.minutes.items():
        lines.append(f"{what}: {value:.2f} min")
    return "\n".join(lines) + "\n"
