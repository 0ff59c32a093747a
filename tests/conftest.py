"""Fixtures shared across test modules. Stage-specific fixtures live beside their tests."""

import asyncio
from pathlib import Path

import pytest

from auditor.campaign.orchestrate import CampaignOptions
from auditor.demo.run import run_demo


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The bundled demo campaign, run once per session with every real part; tests must not modify it."""
    out = tmp_path_factory.mktemp("demo") / "reports"
    lines: list[str] = []
    asyncio.run(run_demo(out, CampaignOptions(), lines.append))
    return out, lines
