"""The bundled demo stores: three small shops on one real HTTP server, for ``auditor demo``.

``DemoShop`` is the whole public surface; see ``auditor.demo.shop``.
"""

from auditor.demo.shop import DemoShop

__all__ = ["DemoShop"]
