"""Products a scenario can buy: pages with schema.org Product data or an add-to-cart button.

The draft needs two cheap products in stock without required options (a size to choose would
need a step the generic scenario does not have), named ``a`` and ``b``.
"""

import re
from decimal import Decimal
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.async_api import Page
from pydantic import BaseModel

from auditor.discover.lexicon import DiscoveryLexicon
from auditor.models.money_text import parse_money

PRODUCT_JS = r"""(addNames) => {
  const out = {name: '', price: '', currency: '', availability: '', signal: '', h1: '', options: 0, links: []};
  const visit = node => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const type = [].concat(node['@type'] || []).join(' ');
    if (/\bProduct\b/.test(type) && !out.name) {
      out.name = node.name || '';
      const offer = [].concat(node.offers || [])[0] || {};
      const inner = [].concat(offer.offers || [])[0] || offer;
      out.price = String(inner.price ?? inner.lowPrice ?? offer.lowPrice ?? '');
      out.currency = inner.priceCurrency || offer.priceCurrency || '';
      out.availability = inner.availability || offer.availability || '';
      out.signal = 'schema.org Product (JSON-LD)';
    }
    Object.values(node).forEach(v => typeof v === 'object' && visit(v));
  };
  for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
    try { visit(JSON.parse(s.textContent)); } catch (e) {}
  }
  const micro = document.querySelector('[itemtype*="schema.org/Product"]');
  if (micro && !out.name) {
    const prop = p => {
      const e = micro.querySelector(`[itemprop="${p}"]`);
      return e ? (e.getAttribute('content') || e.textContent || '').trim() : '';
    };
    out.name = prop('name'); out.price = prop('price'); out.currency = prop('priceCurrency');
    out.availability = prop('availability'); out.signal = 'schema.org Product (microdata)';
  }
  const h1 = document.querySelector('h1');
  out.h1 = h1 ? h1.textContent.replace(/\s+/g, ' ').trim() : '';
  if (!out.price) {
    const el = document.querySelector(
      '[itemprop=price], meta[property="product:price:amount"], [class*=price i], [id*=price i]');
    if (el) {
      out.price = (el.getAttribute('content') || el.textContent || '').trim();
      out.price_signal = 'an element named price';
    }
  }
  // choices that must be made before adding (sizes, colours): visible selects still on an empty value, in the
  // add-to-cart button's form, required, or anywhere but a search form (whose "everything" is no option)
  const label = b => (b.getAttribute('aria-label') || b.innerText || b.value || '').replace(/\s+/g, ' ').trim();
  const buttonForms = [...document.querySelectorAll('form')].filter(f =>
    [...f.querySelectorAll('button, input[type=submit]')].some(b => addNames.includes(label(b))));
  const searchForm = f => !!f && (f.getAttribute('role') === 'search' || /search|szuk|such|поиск|пошук/i.test(
    f.getAttribute('action') || '') || !!f.querySelector('input[type=search], input[name=q], input[name=s]'));
  out.options = [...document.querySelectorAll('select')].filter(s => s.offsetParent && !s.value)
    .filter(s => buttonForms.includes(s.form) || s.required || !searchForm(s.form)).length;
  out.links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  return out;
}"""
SKIP = re.compile(
    r"(cart|basket|checkout|account|login|logout|register|contact|kontakt|search|wishlist|compare|static|media|"
    r"\.(png|jpe?g|svg|gif|css|js|pdf)$|mailto:|tel:|javascript:|koszyk|warenkorb|korzina|kasse|i18n|lang)",
    re.I,
)
HINT = re.compile(r"(product|produkt|catalogue|catalog|/p/|item|artikel|tovar|товар|goods|shop/)", re.I)


class FoundProduct(BaseModel):
    url: str
    name: str
    price: Decimal | None = None
    currency: str | None = None
    signal: str
    in_stock: bool = True
    options: int = 0


def candidate_links(links: list[str], base: str) -> list[str]:
    """Same-site links that may be product pages, likely ones first, each once."""
    host = urlsplit(base).netloc
    seen: dict[str, None] = {}
    for link in links:
        url = urldefrag(urljoin(base, link))[0]
        if urlsplit(url).netloc != host or SKIP.search(urlsplit(url).path + urlsplit(url).query):
            continue
        if url.rstrip("/") == base.rstrip("/"):
            continue
        seen.setdefault(url)
    return sorted(seen, key=lambda u: 0 if HINT.search(u) else 1)


async def product_on_page(
    page: Page, lex: DiscoveryLexicon, add_names: list[str]
) -> tuple[FoundProduct | None, list[str]]:
    """The product this page sells (None if it is not a product page) and the links it shows."""
    adding = [name for name in add_names if lex.is_action("add_to_cart", name)]
    data: dict[str, Any] = await page.evaluate(PRODUCT_JS, adding)
    has_button = bool(adding)
    if not data["signal"] and not has_button:
        return None, data["links"]
    name = data["name"] or data["h1"]
    money = parse_money(data["price"]) if data["price"] else None
    signal = data["signal"] or "an add-to-cart button and the page's h1"
    if data.get("price_signal"):
        signal += f"; price from {data['price_signal']}"
    availability = str(data["availability"]).lower()
    product = FoundProduct(
        url=page.url,
        name=name,
        price=money.amount if money else None,
        currency=(data["currency"] or (money.currency if money else None)) or None,
        signal=signal,
        in_stock=not any(w in availability for w in ("outofstock", "soldout", "discontinued")) and has_button,
        options=int(data["options"]),
    )
    return product, data["links"]
