"""``auditor mail``: run a mailbox into a campaign folder, import mail files, watch mail arrive.

Thin: the work is in ``auditor.mail`` (mailboxes) and the campaign's ``Intake``
(store, match, analyse); this module wires them and prints one line per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

import typer

from auditor.mail.sink import DEFAULT_MAX_SIZE

CampaignDir = typer.Argument(..., help="Campaign folder (created if missing): mail goes to its mail/ and campaign.db.")


def _intake(campaign_dir: Path, analyser=None):  # noqa: ANN001, ANN202 - (CampaignFolder, Intake)
    """The campaign's own door for mail, told about every run so it can match their addresses."""
    from auditor.campaign.folder import CampaignFolder
    from auditor.campaign.intake import Intake
    from auditor.campaign.mailwatch import MailWatch
    from auditor.campaign.tail import run_addresses

    folder = CampaignFolder(campaign_dir)
    intake = Intake(folder, MailWatch(), analyser)
    for address in run_addresses(folder):
        intake.expect(address)
    return folder, intake


def _load_imap(path: Path):  # noqa: ANN202 - ImapConfig
    """An IMAP account YAML; relative ``password_file``/``trust_cert`` are relative to the YAML."""
    from auditor.cli.common import fail_config
    from auditor.mail.imap_config import ImapConfig
    from auditor.yamlfile import ConfigError, load_model

    try:
        config = load_model(path, ImapConfig)
    except ConfigError as error:
        fail_config(error)
        raise  # unreachable: fail_config exits
    updates = {
        key: path.parent / value
        for key in ("password_file", "trust_cert")
        if (value := getattr(config, key)) is not None and not value.is_absolute()
    }
    return config.model_copy(update=updates)


def _stop_on_signals(stop: asyncio.Event) -> None:
    """Ctrl-C and SIGTERM set ``stop`` (a clean stop) from now on."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def _until_stopped(stop: asyncio.Event) -> None:
    _stop_on_signals(stop)
    await stop.wait()


def _printer(folder):  # noqa: ANN001, ANN202 - CampaignFolder -> on_message printing each new record
    from auditor.campaign.tail import format_line

    def show(record) -> None:  # noqa: ANN001 - MessageRecord or None
        if record is not None:
            typer.echo(format_line(record))

    return show


def register(app: typer.Typer) -> None:
    mail_app = typer.Typer(
        name="mail",
        help="Mailboxes: an SMTP sink for a staging store, IMAP accounts, mail files; watch mail arrive.",
        no_args_is_help=True,
    )
    app.add_typer(mail_app, name="mail")

    @mail_app.command("sink")
    def sink(
        campaign_dir: Path = CampaignDir,
        port: int = typer.Option(2525, "--port", help="TCP port; 0 picks a free one (printed)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for a LAN)."),
        max_size: int = typer.Option(DEFAULT_MAX_SIZE, "--max-size", help="Bytes; bigger messages get 552."),
    ) -> None:
        """Receive a store's mail over SMTP into a campaign folder until Ctrl-C.

        Every recipient is accepted; each message is on disk before the store
        gets its 250, then matched to a run and printed as one line.

        Example: auditor mail sink --port 2525 reports/staging
        """
        from auditor.campaign.intake import Analyser
        from auditor.mail.errors import MailboxUnavailable
        from auditor.mail.sink import SmtpSink

        async def main() -> None:
            # analysis in worker processes, off the path of the 250 and only once the mail path is quiet
            # (a burst is taken in first; a message waits at most a minute): one line per message once analysed
            analyser = Analyser(workers=min(2, os.cpu_count() or 1), processes=True, idle_gap=0.5, max_defer=60.0)
            folder, intake = _intake(campaign_dir, analyser)
            intake.on_record = _printer(folder)
            db = folder.path / "campaign.db"
            stop = asyncio.Event()
            _stop_on_signals(stop)  # before "listening": a stop right after it is a clean one
            try:
                async with SmtpSink(
                    folder.mail_dir, intake.on_message, host=host, port=port, max_size=max_size, state_db=db
                ) as server:
                    recovered = intake.resume()
                    typer.echo(f"listening on {host}:{server.port}, storing into {folder.mail_dir}", err=True)
                    if recovered or server.swept:
                        typer.echo(f"after a crash: {recovered} message(s) indexed, {server.swept} partial file(s) "
                                   "removed", err=True)  # fmt: skip
                    await stop.wait()
                await intake.drain()
            finally:
                intake.close()
                folder.close()

        try:
            asyncio.run(main())
        except MailboxUnavailable as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None

    @mail_app.command("import")
    def import_(
        path: Path = typer.Argument(..., help="An .eml file, a folder of .eml files, a Maildir or an mbox file."),
        campaign_dir: Path = CampaignDir,
    ) -> None:
        """Import archived mail into a campaign folder, to re-score it or add what a mailbox missed.

        Arrival time comes from the topmost Received header, else Date, else the
        file's mtime (stored per message as arrival_source). Unreadable files are
        listed and skipped; the exit code is 1 if there were any.

        Example: auditor mail import ~/Maildir reports/spring
        """
        from auditor.mail.files import NotAMailSource, import_files, open_mail_files

        try:
            source = open_mail_files(path)
        except NotAMailSource as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None

        async def main():  # noqa: ANN202
            folder, intake = _intake(campaign_dir)
            show = _printer(folder)
            counts = {"new": 0, "matched": 0}

            async def on_message(message, raw) -> None:  # noqa: ANN001
                record = await intake(message, raw)
                if record is not None:
                    counts["new"] += 1
                    counts["matched"] += record.message.run_id is not None
                    show(record)

            try:
                summary = await import_files(source, folder.mail_dir, on_message)
            except NotAMailSource as error:
                typer.echo(f"error: {error}", err=True)
                raise typer.Exit(2) from None
            finally:
                folder.close()
            return summary, counts

        summary, counts = asyncio.run(main())
        typer.echo(
            f"{summary.read} read from {summary.source}: {counts['new']} new in the campaign "
            f"({counts['matched']} matched to runs), {summary.read - counts['new']} already there",
            err=True,
        )
        for problem in summary.problems:
            typer.echo(f"skipped: {problem}", err=True)
        if summary.problems:
            raise typer.Exit(1)

    @mail_app.command("sync")
    def sync(
        campaign_dir: Path = CampaignDir,
        imap: Path = typer.Option(..., "--imap", help="IMAP account YAML (host, username, password_env...)."),
    ) -> None:
        """Read what is new in an IMAP account once (by UID, never marking anything read) and stop.

        Example: AUDITOR_IMAP_PASSWORD=... auditor mail sync --imap shopper.yaml reports/spring
        """
        from auditor.mail.imap import ImapError, ImapMailbox
        from auditor.mail.imap_config import ImapConfigError

        config = _load_imap(imap)

        async def main() -> int:
            folder, intake = _intake(campaign_dir)
            show = _printer(folder)

            async def on_message(message, raw) -> None:  # noqa: ANN001
                show(await intake(message, raw))

            try:
                return await ImapMailbox(config, folder.mail_dir, folder.path / "campaign.db", on_message).sync()
            finally:
                folder.close()

        try:
            count = asyncio.run(main())
        except (ImapError, ImapConfigError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"{count} new message(s) from {config.label}", err=True)

    @mail_app.command("watch")
    def watch(
        campaign_dir: Path = CampaignDir,
        imap: list[Path] = typer.Option([], "--imap", help="Also watch this IMAP account (YAML); repeatable."),
        smtp_port: int | None = typer.Option(None, "--smtp-port", help="Also receive SMTP on this port."),
        everything: bool = typer.Option(False, "--all", help="Show messages no run claimed too (run '-')."),
        from_start: bool = typer.Option(False, "--from-start", help="First show what is already there."),
        follow: bool = typer.Option(True, "--follow/--no-follow", help="Keep watching, or print and stop."),
        interval: float = typer.Option(0.5, "--interval", min=0.01, help="Seconds between looks at the campaign."),
    ) -> None:
        """Stream a campaign's messages as they arrive: time, run, from, subject, kind.

        Mail received by another process (auditor campaign, auditor mail sink)
        shows up within --interval; with --imap or --smtp-port this command
        receives mail itself and shows it at once.

        Example: auditor mail watch reports/spring --imap shopper.yaml
        """
        from auditor.campaign.tail import CampaignTail, format_line
        from auditor.mail.errors import MailboxUnavailable
        from auditor.mail.imap import ImapError, ImapMailbox
        from auditor.mail.imap_config import ImapConfigError
        from auditor.mail.sink import SmtpSink

        configs = [_load_imap(p) for p in imap]

        async def main() -> None:
            folder, intake = _intake(campaign_dir)
            try:
                await follow_campaign(folder, intake)
            finally:
                folder.close()

        async def follow_campaign(folder, intake) -> None:  # noqa: ANN001
            tail = CampaignTail(folder, from_start=from_start, matched_only=not everything)

            def show_new() -> None:
                for record in tail.new():
                    typer.echo(format_line(record))

            async def on_message(message, raw) -> None:  # noqa: ANN001
                await intake(message, raw)
                show_new()

            stop = asyncio.Event()
            async with contextlib.AsyncExitStack() as stack:
                boxes = [
                    ImapMailbox(config, folder.mail_dir, folder.path / "campaign.db", on_message) for config in configs
                ]
                if not follow:
                    for box in boxes:
                        await box.sync()
                    show_new()
                    return
                for box in boxes:
                    await stack.enter_async_context(box)
                failures = [asyncio.create_task(box.wait()) for box in boxes]
                if smtp_port is not None:
                    server = await stack.enter_async_context(SmtpSink(folder.mail_dir, on_message, port=smtp_port))
                    typer.echo(f"listening on 127.0.0.1:{server.port}", err=True)
                show_new()
                typer.echo(f"watching {campaign_dir} (Ctrl-C to stop)", err=True)
                watcher = asyncio.create_task(_until_stopped(stop))
                while not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(watcher), interval)
                    for failed in [t for t in failures if t.done() and t.exception() is not None]:
                        raise failed.exception()  # a fatal IMAP error (login, certificate): stop and say so
                    show_new()

        try:
            asyncio.run(main())
        except (ImapError, ImapConfigError, MailboxUnavailable) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
