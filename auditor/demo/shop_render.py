"""One jinja2 environment for the demo stores' pages and emails.

HTML templates are autoescaped (customer names end up in them); ``.txt``
templates, the plain-text email parts, are not.
"""

from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from auditor.demo.catalogue import format_pln


@cache
def environment() -> Environment:
    """Strict undefined: a typo in a template fails the test that renders it, not silently."""
    env = Environment(
        loader=PackageLoader("auditor.demo", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pln"] = lambda amount: format_pln(Decimal(amount))
    return env


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return environment().get_template(template).render(**context)
