"""The ``auditor`` command: a thin layer over the library, one module per command group.

Each module here defines ``register(app)``; the work itself lives in the
library packages so it can be called from Python and tests alike.
"""

import typer

from auditor.cli import analyze, check, collect, demo, discover, mail, report, rescore, run, validate, worker

app = typer.Typer(
    name="auditor",
    help="Audit what e-shops send after a purchase: shop like a customer, collect the mail, score it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (demo, run, collect, worker, check, rescore, report, validate, analyze, mail, discover):
    _module.register(app)


def main() -> None:
    app()
