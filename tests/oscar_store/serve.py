#!/usr/bin/env python
"""Serve the test shop on 127.0.0.1 and say so only once the socket is listening.

``runserver`` prints its banner before it binds and cannot pick a free port;
this binds first (port 0 lets the kernel choose, so parallel stores never
race for a port), then prints ``READY http://127.0.0.1:PORT/`` on stdout, which
the test helper awaits instead of polling. Before that it sets the Site
domain to its own host:port, because Oscar writes it into the order-status
link of its emails. Static files are served the way ``runserver`` does it,
through Django's StaticFilesHandler.
"""

import argparse
import os
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument(
        "--keep-site-domain", action="store_true", help="do not set the Site domain to the bound host:port"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oscar_shop.settings")
    import django
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    django.setup()
    app = StaticFilesHandler(get_wsgi_application())
    server = ThreadedWSGIServer((args.host, args.port), WSGIRequestHandler)
    server.daemon_threads = True
    server.set_app(app)
    host, port = server.server_address[:2]
    if not args.keep_site_domain:
        # Oscar puts the Site domain in the order-status link of its emails; only the
        # server knows its port, and no request has filled Django's Site cache yet.
        from django.contrib.sites.models import Site

        Site.objects.filter(pk=1).update(domain=f"{host}:{port}")
    print(f"READY http://{host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
