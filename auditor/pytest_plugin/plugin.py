"""The pytest entry point (``pytest11``): options, fixtures and the session's report.

Every pytest session where the package is installed loads this module, so it imports nothing of the
auditor until a test asks for a fixture or an ``--auditor-*`` option is given. The mail service
starts once per process (per xdist worker) at the first test that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from auditor.pytest_plugin.options import add_options

if TYPE_CHECKING:
    from auditor.pytest_plugin.mailbox import AuditMailbox
    from auditor.pytest_plugin.order import AuditOrder
    from auditor.pytest_plugin.score import AuditScore
    from auditor.pytest_plugin.service import MailService
    from auditor.pytest_plugin.settings import Settings
    from auditor.pytest_plugin.testrun import TestRun

OPTIONS = ("auditor_mailbox", "auditor_smtp_port", "auditor_smtp_host", "auditor_rubric", "auditor_report")


class PluginState:
    """The settings and the (lazily started) mail service of one pytest process."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.worker: str = getattr(config, "workerinput", {}).get("workerid", "main")
        self.is_worker = hasattr(config, "workerinput")
        self._settings: Settings | None = None
        self._service: MailService | None = None
        self._error: str | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from auditor.pytest_plugin.settings import read_settings

            self._settings = read_settings(self.config)
        return self._settings

    def service(self) -> MailService:
        """The running service; a start failure fails this and every later test with the same sentence."""
        __tracebackhide__ = True
        if self._error is not None:
            pytest.fail(self._error, pytrace=False)
        if self._service is None:
            from auditor.pytest_plugin.service import MailService, MailServiceError

            service = MailService(self.settings.mailbox)
            try:
                service.start()
            except MailServiceError as exc:
                self._error = f"auditor: the mailbox could not be started: {exc}"
                pytest.fail(self._error, pytrace=False)
            self._service = service
        return self._service

    def stop(self) -> None:
        if self._service is not None:
            self._service.stop()
            self._service = None


STATE = pytest.StashKey[PluginState]()
REPORT_LINE = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def _given(config: pytest.Config) -> bool:
    """Whether any ``--auditor-*`` option differs from its default (then it is checked at once)."""
    from auditor.pytest_plugin.options import DEFAULT_RUBRIC

    defaults = {"auditor_smtp_port": 0, "auditor_smtp_host": "127.0.0.1", "auditor_rubric": DEFAULT_RUBRIC}
    return any(config.getoption(name) != defaults.get(name) for name in OPTIONS)


def pytest_configure(config: pytest.Config) -> None:
    state = PluginState(config)
    config.stash[STATE] = state
    if not _given(config):
        return
    settings = state.settings  # a bad file or rubric is a usage error now, before any test runs
    if settings.report is not None and not state.is_worker:
        from auditor.pytest_plugin.report import prepare

        try:
            prepare(settings.report)
        except OSError as error:  # FileExistsError: not a campaign folder
            raise pytest.UsageError(f"--auditor-report {settings.report}: {error}") from None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    state = session.config.stash.get(STATE, None)
    if state is None:
        return
    state.stop()
    if state.is_worker or not _given(session.config) or state.settings.report is None:
        return
    from auditor.pytest_plugin.report import write_session_report
    from auditor.pytest_plugin.score import rubric_named

    report, rubric = state.settings.report, state.settings.rubric
    try:
        index, runs = write_session_report(report, rubric_named(rubric))
    except Exception as exc:  # noqa: BLE001 - the tests' own outcome stands; say what is missing and how to redo it
        session.config.stash[REPORT_LINE] = (
            f"auditor: the report could not be written ({exc.__class__.__name__}: {exc}); the runs are kept in "
            f"{report}: `auditor rescore {report} --rubric {rubric}` scores and renders them again"
        )
        return
    session.config.stash[REPORT_LINE] = f"auditor: {runs} test run(s) scored with {rubric}: {index}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    line = terminalreporter.config.stash.get(REPORT_LINE, None)
    if line:
        terminalreporter.write_line(line)


def _store_id(request: pytest.FixtureRequest) -> str:
    """The report groups runs by store; until the test names one (``audit_order.store``), its module is it."""
    path = getattr(request.node, "path", None)
    stem = Path(str(path)).stem if path else "store"
    return re.sub(r"[^\w.-]+", "-", stem) or "store"


@pytest.fixture(scope="session")
def audit_smtp(request: pytest.FixtureRequest) -> tuple[str, int] | None:
    """``(host, port)`` of this process's embedded SMTP sink, for a session fixture that starts a staging
    store before any test (None when reading an IMAP inbox). Under xdist each worker has its own."""
    return request.config.stash[STATE].service().smtp


@pytest.fixture
def audit_run(request: pytest.FixtureRequest) -> Iterator[TestRun]:
    """This test as one run: its address (watched from now), journal and mail; beneath the fixtures below."""
    from auditor.pytest_plugin.addresses import address_for_test, run_token
    from auditor.pytest_plugin.order import AuditOrder
    from auditor.pytest_plugin.testrun import TestRun

    state = request.config.stash[STATE]
    service = state.service()
    token = run_token(state.worker, request.node.nodeid)
    scheme = state.settings.mailbox.address
    address = address_for_test(scheme, token)
    now = datetime.now(UTC)
    test = TestRun(
        nodeid=request.node.nodeid,
        run_id=token,
        address=address,
        strategy=scheme.kind,
        started_at=now,
        service=service,
        order=AuditOrder(token, address, _store_id(request), now),
    )
    service.watch(test.run_address)
    yield test
    test.finished_at = datetime.now(UTC)
    request.node.user_properties.append(("auditor_address", address))
    report = state.settings.report
    try:
        if report is not None:
            from auditor.pytest_plugin.report import export_run
            from auditor.pytest_plugin.score import rubric_named

            evidence = export_run(report, test, rubric_named(state.settings.rubric))
            request.node.user_properties.append(("auditor_evidence", str(evidence)))
    finally:
        service.forget(test.run_id)


@pytest.fixture
def audit_mailbox(audit_run: TestRun) -> AuditMailbox:
    """This test's own address and assertions on its mail: ``expect``, ``expect_none``, ``assert_exactly_one``."""
    from auditor.pytest_plugin.mailbox import AuditMailbox

    return AuditMailbox(audit_run)


@pytest.fixture
def audit_order(audit_run: TestRun) -> AuditOrder:
    """Write down the order click and what the page showed, so the rubric can judge the email against it."""
    return audit_run.order


@pytest.fixture
def audit_score(audit_run: TestRun, request: pytest.FixtureRequest) -> Callable[..., AuditScore]:
    """``audit_score("ci-strict")``: this test's mail and order scored now; ``.assert_passes(min_score=)``."""
    from auditor.pytest_plugin.score import AuditScore, rubric_named

    default = request.config.stash[STATE].settings.rubric

    def score(rubric: str | None = None) -> AuditScore:
        return AuditScore(rubric_named(rubric or default), audit_run.record())

    return score
