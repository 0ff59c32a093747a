"""One look at a page: its visible form controls, buttons and links, with what names them.

A single ``evaluate`` gathers everything (labels as the browser resolves them, ``required``,
``autocomplete``, accessible names), so discovery reasons in Python over plain data and the
unit tests can classify a page without a store.
"""

from typing import Any

from playwright.async_api import Page
from pydantic import BaseModel, Field

from auditor.discover.fields import FieldInfo

SCAN_JS = r"""() => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const shown = el => {
    if (!el.isConnected) return false;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && +s.opacity !== 0;
  };
  const labelOf = el => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return norm(by.split(/\s+/).map(id => (document.getElementById(id) || {}).textContent).join(' '));
    if (el.getAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
    if (el.labels && el.labels.length) return norm([...el.labels].map(l => l.innerText || l.textContent).join(' '));
    const wrap = el.closest('label');
    return wrap ? norm(wrap.innerText || wrap.textContent) : '';
  };
  const nameOf = el => norm(el.getAttribute('aria-label')) || norm(el.innerText) || norm(el.value)
    || norm(el.getAttribute('title')) || norm([...el.querySelectorAll('img[alt]')].map(i => i.alt).join(' '));
  const idUnique = el => !!el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1;
  const controls = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || (el.tagName === 'INPUT' ? 'text' : el.tagName)).toLowerCase();
    if (['hidden', 'submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
    let visible = shown(el);
    // custom-styled radios and checkboxes hide the input and show the label
    if (!visible && (type === 'radio' || type === 'checkbox') && el.labels && el.labels.length)
      visible = [...el.labels].some(shown);
    if (!visible) continue;
    controls.push({
      tag: el.tagName.toLowerCase(), type, id: el.id || '', name: el.getAttribute('name') || '',
      autocomplete: el.getAttribute('autocomplete') || '', label: labelOf(el),
      placeholder: el.getAttribute('placeholder') || '',
      required: el.required || el.getAttribute('aria-required') === 'true',
      value: el.value || '', checked: !!el.checked, id_unique: idUnique(el), disabled: !!el.disabled,
      options: el.tagName === 'SELECT' ? [...el.options].map(o => [o.value, norm(o.textContent)]) : [],
      name_count: el.getAttribute('name') ? document.getElementsByName(el.getAttribute('name')).length : 0,
    });
  }
  const actions = [];
  const clickable = 'button, a[href], input[type=submit], input[type=button], [role=button]';
  for (const el of document.querySelectorAll(clickable)) {
    if (!shown(el)) continue;
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute('role') || (tag === 'a' ? 'link' : 'button');
    actions.push({
      tag, role, name: nameOf(el).slice(0, 120), id: el.id || '', id_unique: idUnique(el),
      href: tag === 'a' ? el.href : '', disabled: !!el.disabled, type: (el.getAttribute('type') || '').toLowerCase(),
      in_form: !!el.closest('form'),
      posts: !!(el.form && tag !== 'a' && (el.type || 'submit') === 'submit'
        && (el.form.getAttribute('method') || 'get').toLowerCase() === 'post'),
    });
  }
  return {url: location.href, title: document.title, lang: document.documentElement.lang || '', controls, actions};
}"""


class Control(FieldInfo):
    value: str = ""
    checked: bool = False
    id_unique: bool = False
    disabled: bool = False
    options: list[list[str]] = Field(default_factory=list)
    name_count: int = 0


class Action(BaseModel):
    tag: str
    role: str
    name: str
    id: str = ""
    id_unique: bool = False
    href: str = ""
    disabled: bool = False
    type: str = ""
    in_form: bool = False
    posts: bool = False  # submits a form by POST: on a page with nothing to fill, it may place the order


class PageScan(BaseModel):
    url: str
    title: str = ""
    lang: str = ""
    controls: list[Control] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)

    def fingerprint(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """What changes when a checkout moves on a step: the URL, the visible fields and the enabled buttons."""
        fields = tuple(sorted(f"{c.name}#{c.id}" for c in self.controls))
        buttons = tuple(sorted(f"{a.role}:{a.name}#{a.id}" for a in self.actions if not a.disabled))
        return self.url, fields, buttons


async def scan(page: Page) -> PageScan:
    data: dict[str, Any] = await page.evaluate(SCAN_JS)
    return PageScan.model_validate(data)
