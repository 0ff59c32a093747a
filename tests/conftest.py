"""Fixtures shared across test modules. Stage-specific fixtures live beside their tests."""

import asyncio
from pathlib import Path

import pytest

from auditor.campaign.orchestrate import CampaignOptions
from auditor.demo.run import run_demo


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: absent without it, and then never called
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``-n N --dist loadgroup`` (`make test`): modules and xdist groups stay whole on one worker."""
    if config.getvalue("dist") != "loadgroup":
        return None  # any other --dist: xdist's own scheduler
    from xdist_scheduling import GroupOrModuleScheduling

    return GroupOrModuleScheduling(config, log)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The bundled demo campaign, run once per session with every real part; tests must not modify it.

    Under xdist each worker has its own session: modules that use this carry
    ``pytest.mark.xdist_group("demo_run")`` so one worker runs them all and the campaign runs once."""
    out = tmp_path_factory.mktemp("demo") / "reports"
    lines: list[str] = []
    asyncio.run(run_demo(out, CampaignOptions(), lines.append))
    return out, lines
