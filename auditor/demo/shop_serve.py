"""Run the demo stores on their own, to click through them in a browser or point a profile at them.

    python -m auditor.demo.shop_serve --port 8000 --smtp-port 1025

Emails go to the given SMTP server (start any sink there first; ``auditor
demo`` brings its own). Stops on Ctrl-C or SIGTERM, cancelling pending emails.
"""

import argparse
import contextlib
import signal
import sys
import threading

from auditor.demo.shop import DemoShop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.demo.shop_serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="HTTP port, 0 = any free port (default 8000)")
    parser.add_argument("--smtp-host", default="127.0.0.1", help="SMTP server for the stores' emails")
    parser.add_argument("--smtp-port", type=int, default=1025, help="SMTP port (default 1025)")
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiply every email delay (default 1)")
    args = parser.parse_args(argv)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with DemoShop(args.smtp_host, args.smtp_port, host=args.host, port=args.port, time_scale=args.time_scale) as shop:
        for store_id in shop.store_ids:
            print(f"{store_id}: {shop.url_for(store_id)}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: leave the with-block, which stops the shop
            done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
