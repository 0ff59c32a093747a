"""Stable locators for what discovery found: an id, a name, or a role with its accessible name.

Never positional CSS (``div:nth-child(3) > button``): a theme update moves positions, not names.
Ids that look generated (``ember123``, ``:r5:``, long hex) are not trusted either.
"""

import re
from typing import Any

from playwright.async_api import Page

from auditor.discover.scan import Action, Control

GENERATED_ID = re.compile(r"\d{4,}|^[a-f0-9]{8,}$|^(ember|react|mui-|radix-|headlessui|:r)|[:]", re.I)
SIMPLE = re.compile(r"^[A-Za-z][\w-]*$")


def stable_id(element_id: str, unique: bool) -> bool:
    return bool(element_id) and unique and not GENERATED_ID.search(element_id)


def css_id(element_id: str) -> str:
    return f"#{element_id}" if SIMPLE.match(element_id) else f'[id="{element_id}"]'


def control_locator(control: Control) -> tuple[Any, str] | None:
    """A locator for a form control and what it rests on, or None when it has no stable handle."""
    if stable_id(control.id, control.id_unique):
        return css_id(control.id), "id"
    if control.name and control.type in ("radio", "checkbox") and control.value:
        return f'input[name="{control.name}"][value="{control.value}"]', "name+value"
    if control.name and control.name_count == 1:
        return f'{control.tag}[name="{control.name}"]', "name"
    if control.label:
        return {"label": control.label, "exact": True}, "label"
    return None


async def action_locator(page: Page, action: Action) -> tuple[Any, str]:
    """Role + accessible name when that names one element on the page, else a stable id, else role + name
    anyway (the shopper then uses the first visible match)."""
    name = action.name
    if name:
        count = await page.get_by_role(action.role, name=name, exact=True).count()  # type: ignore[arg-type]
        if count == 1:
            return {"role": action.role, "name": name, "exact": True}, "role+name"
    if stable_id(action.id, action.id_unique):
        return css_id(action.id), "id"
    return {"role": action.role, "name": name}, "role+name (first visible match)"
