"""A small Polish shop whose cart and checkout work by AJAX, served for real: our page for testing that
discovery handles what hand-written profiles stumble on. Not a measure of discovery on real platforms.

- ``/``: product links; ``/produkt/<slug>``: schema.org Product JSON-LD, a "Do koszyka" button that adds
  by ``fetch`` (no navigation). One product needs a size (required select), one is out of stock.
- ``/koszyk``: the cart, "Przejdź do kasy" to ``/zamowienie``.
- ``/zamowienie``: an accordion checkout. Panel 1 (e-mail, "Dalej"); panel 2 arrives by ``fetch`` and
  slides open (name, address, phone, payment radios, a statement checkbox whose label names no
  terms: the step refuses without it and marks it invalid, so only the validation message tells);
  panel 3 (the "Zamawiam i płacę" button, covered by a "processing" overlay for a moment).
- The order is an AJAX POST; the page then shows the order number in place (the URL stays), and the
  shop sends a Polish confirmation by SMTP inside the POST, as many platforms do.
"""

import json
import smtplib
import threading
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PRODUCTS = {
    "notes-a5": ("Notes A5 w kratkę", "12.90", "InStock", False),
    "dlugopis-zelowy": ("Długopis żelowy", "7.50", "InStock", False),
    "koszulka": ("Koszulka z nadrukiem", "5.00", "InStock", True),  # the cheapest, but needs a size
    "kubek": ("Kubek termiczny", "3.00", "OutOfStock", False),
}
HEAD = """<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{title} | Sklep Papierniczy</title>
<style>
  .panel {{ overflow: hidden; max-height: 0; opacity: 0; transition: max-height .5s ease, opacity .5s ease; }}
  .panel.open {{ max-height: 900px; opacity: 1; }}
  #cover {{ position: fixed; inset: 0; background: rgba(255,255,255,.8); display: none; }}
  .error {{ color: #b00; }}
</style></head><body><header><a href="/">Sklep Papierniczy</a> <a href="/koszyk">Koszyk ({count})</a></header><main>"""
FOOT = "</main></body></html>"

PRODUCT = """<h1>{name}</h1><p class="cena">{price} zł</p>
<script type="application/ld+json">{ld}</script>
{size}
<button id="add" type="button" {disabled}>Do koszyka</button> <span id="added" hidden>Dodano do koszyka</span>
<script>
document.getElementById('add').addEventListener('click', async () => {{
  await fetch('/api/cart', {{method: 'POST', body: JSON.stringify({{slug: '{slug}'}})}});
  document.getElementById('added').hidden = false;
}});
</script>"""
SIZE = """<form><label for="size">Rozmiar</label><select id="size" required>
<option value="">Wybierz rozmiar</option><option>M</option><option>L</option></select></form>"""

CHECKOUT = """<h1>Zamówienie</h1>
<section id="krok-1" class="panel open"><h2>1. Kontakt</h2>
  <label for="email">Adres e-mail</label><input id="email" name="email" type="email" autocomplete="email">
  <button id="dalej-1" type="button">Dalej</button>
</section>
<section id="krok-2" class="panel"></section>
<section id="krok-3" class="panel"></section>
<p id="dziekujemy" hidden>Dziękujemy! Numer zamówienia: <strong id="numer-zamowienia"></strong></p>
<div id="cover">Przetwarzanie…</div>
<script>
const post = (url, body) => fetch(url, {method: 'POST', body: JSON.stringify(body)}).then(r => r.json());
const open = async (id, url) => {
  const panel = document.getElementById(id);
  panel.innerHTML = await (await fetch(url)).text();
  panel.getBoundingClientRect();
  panel.classList.add('open');
  return panel;
};
const data = {};
document.getElementById('dalej-1').addEventListener('click', async (e) => {
  data.email = document.getElementById('email').value;
  if (!data.email) return;
  e.target.disabled = true;
  const panel = await open('krok-2', '/panel/adres');
  panel.querySelector('#dalej-2').addEventListener('click', async (e) => {
    const box = document.getElementById('oswiadczenie');
    if (!box.checked) {
      box.setAttribute('aria-invalid', 'true');
      document.getElementById('oswiadczenie-blad').hidden = false;
      return;
    }
    for (const f of panel.querySelectorAll('input[type=text], input[type=tel]')) data[f.name] = f.value;
    const pay = panel.querySelector('input[name=platnosc]:checked');
    data.platnosc = pay ? pay.value : '';
    e.target.disabled = true;
    await post('/api/adres', data);
    await open('krok-3', '/panel/podsumowanie');
    const cover = document.getElementById('cover');
    cover.style.display = 'block';
    setTimeout(() => cover.style.display = 'none', 600);
    document.getElementById('zamawiam').addEventListener('click', async () => {
      const answer = await post('/api/zamowienie', data);
      document.getElementById('numer-zamowienia').textContent = answer.number;
      document.getElementById('dziekujemy').hidden = false;
      document.getElementById('krok-3').hidden = true;
    });
  });
});
</script>"""
ADDRESS = """<h2>2. Dostawa i płatność</h2>
<label for="imie">Imię</label><input id="imie" name="imie" type="text">
<label for="nazwisko">Nazwisko</label><input id="nazwisko" name="nazwisko" type="text">
<label for="ulica">Ulica i numer</label><input id="ulica" name="ulica" type="text">
<label for="kod">Kod pocztowy</label><input id="kod" name="kod" type="text">
<label for="miasto">Miasto</label><input id="miasto" name="miasto" type="text">
<label for="telefon">Telefon</label><input id="telefon" name="telefon" type="tel">
<fieldset><legend>Płatność</legend>
<label><input type="radio" id="platnosc-karta" name="platnosc" value="karta" checked> Karta płatnicza</label>
<label><input type="radio" id="platnosc-pobranie" name="platnosc" value="pobranie"> Płatność przy odbiorze</label>
</fieldset>
<label><input type="checkbox" id="newsletter" name="newsletter"> Chcę otrzymywać newsletter</label>
<div class="field"><label><input type="checkbox" id="oswiadczenie" name="oswiadczenie">
Oświadczam, że zapoznałem się z informacjami o sprzedawcy</label>
<p id="oswiadczenie-blad" class="error" hidden>To pole jest wymagane.</p></div>
<button id="dalej-2" type="button">Dalej</button>"""
SUMMARY = """<h2>3. Podsumowanie</h2><p>Płatność przy odbiorze.</p>
<button id="zamawiam" type="button">Zamawiam i płacę</button>"""


class AjaxShop:
    """Serves the shop on 127.0.0.1; orders mail their confirmation to ``smtp_port`` (if given)."""

    def __init__(self, smtp_port: int | None = None, delay: float = 0.2) -> None:
        self.smtp_port = smtp_port
        self.delay = delay
        self.cart: list[str] = []
        self.orders: list[dict] = []
        self.lock = threading.Lock()
        shop = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, body: str, status: int = 200, kind: str = "text/html; charset=utf-8") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _page(self, title: str, body: str) -> None:
                self._answer(HEAD.format(title=title, count=len(shop.cart)) + body + FOOT)

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                if path == "/":
                    links = "".join(f'<li><a href="/produkt/{s}">{p[0]}</a></li>' for s, p in PRODUCTS.items())
                    self._page("Strona główna", f"<h1>Nasze produkty</h1><ul>{links}</ul>")
                elif path.startswith("/produkt/") and path.removeprefix("/produkt/") in PRODUCTS:
                    slug = path.removeprefix("/produkt/")
                    name, price, stock, size = PRODUCTS[slug]
                    ld = {"@context": "https://schema.org", "@type": "Product", "name": name,
                          "offers": {"@type": "Offer", "price": price, "priceCurrency": "PLN",
                                     "availability": f"https://schema.org/{stock}"}}  # fmt: skip
                    body = PRODUCT.format(
                        name=name, price=price.replace(".", ","), ld=json.dumps(ld), slug=slug,
                        size=SIZE if size else "", disabled="disabled" if stock != "InStock" else "",
                    )  # fmt: skip
                    self._page(name, body)
                elif path == "/koszyk":
                    rows = "".join(f"<li>{PRODUCTS[s][0]}</li>" for s in shop.cart) or "<li>Koszyk jest pusty</li>"
                    total = sum(float(PRODUCTS[s][1]) for s in shop.cart)
                    body = f'<h1>Koszyk</h1><ul>{rows}</ul><p>Razem: <strong id="suma">{total:.2f} zł</strong></p>'
                    self._page("Koszyk", body + '<a href="/zamowienie">Przejdź do kasy</a>')
                elif path == "/zamowienie":
                    self._page("Zamówienie", CHECKOUT)
                elif path == "/panel/adres":
                    time.sleep(shop.delay)
                    self._answer(ADDRESS)
                elif path == "/panel/podsumowanie":
                    time.sleep(shop.delay)
                    self._answer(SUMMARY)
                else:
                    self._answer("<h1>404</h1>", 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                time.sleep(shop.delay)
                with shop.lock:
                    if self.path == "/api/cart":
                        shop.cart.append(body["slug"])
                    elif self.path == "/api/zamowienie":
                        number = f"PL-{len(shop.orders) + 1:04d}"
                        shop.orders.append({"number": number, "items": list(shop.cart), **body})
                        shop.send_confirmation(number, body, list(shop.cart))
                        shop.cart.clear()
                        self._answer(json.dumps({"number": number}), kind="application/json")
                        return
                self._answer(json.dumps({"ok": True}), kind="application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def send_confirmation(self, number: str, data: dict, items: list[str]) -> None:
        if self.smtp_port is None:
            return
        lines = [f"* {PRODUCTS[s][0]} - ilość: 1 - cena: {PRODUCTS[s][1].replace('.', ',')} zł" for s in items]
        total = sum(float(PRODUCTS[s][1]) for s in items)
        message = EmailMessage()
        message["From"] = "Sklep Papierniczy <sklep@papierniczy.test>"
        message["To"] = data.get("email", "")
        message["Subject"] = f"Potwierdzenie zamówienia {number}"
        message.set_content(
            f"Dzień dobry {data.get('imie', '')},\n\ndziękujemy za zamówienie nr {number}.\n\n"
            + "\n".join(lines)
            + f"\n\nRazem: {total:.2f} zł\nPłatność: przy odbiorze\n".replace(".", ",")
        )
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)

    def __enter__(self) -> "AjaxShop":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
