"""A small accordion checkout, served for real: our page for testing the AJAX step kinds.

One page, three panels, like many one-page checkouts: each panel's Continue posts by
``fetch`` (the server answers after ``delay`` seconds), then the next panel's markup
is loaded by ``fetch`` and slides open with a CSS transition. After the payment panel
opens, a "processing" overlay covers the order button for ``cover`` seconds. The guest
choice is shown only when ``guest_choice`` is set, so ``when:`` has something to decide.
The order is an AJAX POST; the page then shows ``#thanks`` with the order number.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<style>
  .panel {{ overflow: hidden; max-height: 0; opacity: 0; transform: translateY(40px);
            transition: max-height .6s ease, opacity .6s ease, transform .6s ease; }}
  .panel.open {{ max-height: 600px; opacity: 1; transform: none; }}
  #cover {{ position: fixed; inset: 0; background: rgba(255,255,255,.8); display: none; }}
</style></head><body>
<h1>Checkout</h1>
<section id="step-email" class="panel open">
  <label for="email">Email address</label><input id="email" type="email" autocomplete="email">
  {guest}
  <button id="to-shipping" type="button">Continue</button>
</section>
<section id="step-shipping" class="panel" aria-label="Shipping"></section>
<section id="step-payment" class="panel" aria-label="Payment"></section>
<p id="thanks" hidden>Thank you! Your order number is <strong id="order-number"></strong>.</p>
<div id="cover">Processing…</div>
<script>
const post = (url, body) => fetch(url, {{method: 'POST', body: JSON.stringify(body)}}).then(r => r.json());
async function openPanel(id, url) {{
  const panel = document.getElementById(id);
  panel.innerHTML = await (await fetch(url)).text();
  panel.getBoundingClientRect();
  panel.classList.add('open');
  return panel;
}}
document.getElementById('to-shipping').addEventListener('click', async (e) => {{
  e.target.disabled = true;
  await post('/api/email', {{email: document.getElementById('email').value}});
  const panel = await openPanel('step-shipping', '/panel/shipping');
  panel.querySelector('#to-payment').addEventListener('click', async (e) => {{
    e.target.disabled = true;
    await post('/api/shipping', {{method: document.getElementById('shipping').value}});
    await openPanel('step-payment', '/panel/payment');
    const cover = document.getElementById('cover');
    cover.style.display = 'block';
    setTimeout(() => cover.style.display = 'none', {cover_ms});
    document.getElementById('place-order').addEventListener('click', async () => {{
      const answer = await post('/api/order', {{}});
      document.getElementById('order-number').textContent = answer.number;
      document.getElementById('thanks').hidden = false;
    }});
  }});
}});
</script></body></html>"""

GUEST = '<label><input type="checkbox" id="guest"> Continue as guest</label>'
SHIPPING = """<label for="shipping">Delivery</label>
<select id="shipping"><option value="">Choose…</option><option value="c1">Courier (DPD)</option>
<option value="cod">Cash on delivery</option></select>
<button id="to-payment" type="button">Continue</button>"""
PAYMENT = """<p>Pay on delivery.</p><button id="place-order" type="button">Place order</button>"""


class AccordionShop:
    """Serves the accordion checkout on 127.0.0.1; ``posts`` lists every POST path in order."""

    def __init__(self, *, delay: float = 0.4, cover: float = 0.0, guest_choice: bool = True) -> None:
        self.delay = delay
        self.cover = cover
        self.guest_choice = guest_choice
        self.posts: list[tuple[str, dict]] = []
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, body: str, kind: str = "text/html; charset=utf-8") -> None:
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/panel/"):
                    time.sleep(shop.delay)
                    self._answer(SHIPPING if self.path.endswith("shipping") else PAYMENT)
                else:
                    guest = GUEST if shop.guest_choice else ""
                    self._answer(PAGE.format(guest=guest, cover_ms=int(shop.cover * 1000)))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                shop.posts.append((self.path, body))
                time.sleep(shop.delay)
                number = f"A-{len(shop.posts):04d}"
                self._answer(json.dumps({"ok": True, "number": number}), "application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "AccordionShop":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
