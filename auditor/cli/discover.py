"""``auditor discover``: a draft store profile for a store never seen, from the page's own signals."""

import asyncio
from pathlib import Path

import typer

from auditor.cli.common import BrowserEndpoint, BrowserPath, Headed, PersonaFile, fail_config
from auditor.yamlfile import ConfigError


def register(app: typer.Typer) -> None:
    @app.command("discover")
    def discover_cmd(
        url: str = typer.Argument(..., help="The store's home page (or the base URL its paths hang from)."),
        persona: Path = PersonaFile,
        out: Path = typer.Option(..., "-o", "--out", help="The draft profile YAML to write."),
        platform: str = typer.Option(
            "auto", "--platform", help="auto (detect), generic (never a bundled profile), or a platform name."
        ),
        allow_order: bool = typer.Option(
            False, "--allow-order", help="Place one order to see the thank-you page (test stores only)."
        ),
        real_money: bool = typer.Option(
            False, "--real-money", help="The store charges real money: --allow-order is then refused."
        ),
        product: list[str] = typer.Option(
            [], "--product", help="A product page to start from (repeatable), when the home page lists none."
        ),
        mailbox: str = typer.Option(
            None, "--mailbox", help="smtp://HOST:PORT: with --allow-order, wait there for the confirmation."
        ),
        store_id: str = typer.Option(None, "--id", help="The profile's id (default: from the URL)."),
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
    ) -> None:
        """Open a store in the browser and write a draft store profile that scenarios/guest-checkout.yaml
        runs as is, with a report (PROFILE.report.txt) of what was found by which signal and what is TODO.
        Never clicks the order button without --allow-order. Exit 0 with no TODO, 1 with TODOs, 2 on error.

        Example: auditor discover http://127.0.0.1:8000/exemplary --persona scenarios/personas/guest-pl.yaml
        -o stores/exemplary.yaml --allow-order --mailbox smtp://127.0.0.1:2525
        """
        from auditor.cli.run import parse_mailbox
        from auditor.config import load_persona
        from auditor.discover.discovery import DiscoverOptions, RefusedOrder, discover
        from auditor.shopper.browser import BrowserNotFound, BrowserOptions

        try:
            who = load_persona(persona)
        except ConfigError as error:
            fail_config(error)
        smtp = None
        if mailbox:
            spec = parse_mailbox(mailbox)
            if spec.get("kind") != "smtp_sink":
                raise typer.BadParameter("discovery waits for mail only at smtp://HOST:PORT", param_hint="--mailbox")
            smtp = (spec["host"], spec["port"])
        options = DiscoverOptions(
            url=url,
            out=out,
            platform=platform,
            allow_order=allow_order,
            real_money=real_money,
            products=product,
            smtp=smtp,
            store_id=store_id,
            browser=BrowserOptions(executable=browser, endpoint=browser_endpoint, headless=not headed),
        )
        try:
            result = asyncio.run(discover(options, who, say=lambda line: typer.echo(line, err=True)))
        except (RefusedOrder, ValueError, BrowserNotFound) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        typer.echo(result.report_text, nl=False)
        typer.echo(f"profile: {result.profile}\nreport: {result.report}")
        raise typer.Exit(1 if result.todos else 0)
