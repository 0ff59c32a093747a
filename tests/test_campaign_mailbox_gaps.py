"""A run's report says when the campaign's SMTP sink was down during its window (issue 11, point 2).

The sink's uptime rows are written with fixed times here (a fabricated timeline: a real crash
cannot be placed at a chosen minute); the gap itself is computed and shown by the real scoring and
report code, from the same table the real sink writes (tests/test_mail_sink_faults.py).
"""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.scoring import score_folder
from auditor.config import load_persona, load_scenario, load_store
from auditor.mail.sink_state import SinkUptime
from auditor.models import Run, RunStatus
from auditor.report import write_reports
from auditor.rubric import load_rubric

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _uptime(db: Path, rows: list[tuple[datetime, datetime, str]]) -> None:
    SinkUptime(db)  # creates the table the sink keeps
    with sqlite3.connect(db) as conn:
        for started, stopped, ended in rows:
            conn.execute(
                "INSERT INTO sink_uptime (sink, address, started_at, alive_at, stopped_at, ended)"
                " VALUES ('smtp-sink', '127.0.0.1:2525', ?, ?, ?, ?)",
                (started.isoformat(), stopped.isoformat(), stopped.isoformat(), ended),
            )


def test_a_sink_crash_inside_a_runs_window_is_named_in_results_and_on_the_store_page(tmp_path: Path) -> None:
    with CampaignFolder(tmp_path) as folder:
        store, persona = load_store(DEMO / "stores" / "exemplary.yaml"), load_persona(DEMO / "persona.yaml")
        scenario = load_scenario(DEMO / "scenario.yaml")
        run = Run(id="r1", store_id=store.id, scenario_id=scenario.id, persona_id=persona.id, address="a@b.test")
        folder.add_run(run, store, persona, scenario.expectations)
        run = run.model_copy(
            update={"status": RunStatus.done, "started_at": T0, "finished_at": T0 + timedelta(minutes=30)}
        )
        folder.save_run(run)
        folder.close_observation("r1", (T0 + timedelta(minutes=30)).isoformat())
        _uptime(
            folder.path / "campaign.db",
            [(T0 - timedelta(minutes=1), T0 + timedelta(minutes=5), "crashed"),
             (T0 + timedelta(minutes=12), T0 + timedelta(minutes=40), "stopped")],
        )  # fmt: skip
        results = score_folder(folder, load_rubric("default"))
        write_reports(folder.path, results)

    anchors = results.stores[0].runs[0].anchors
    assert anchors is not None
    assert [(g.since, g.until, g.cause) for g in anchors.mailbox_down] == [
        (T0 + timedelta(minutes=5), T0 + timedelta(minutes=12), "the sink crashed")
    ]
    page = (tmp_path / f"store-{store.id}.html").read_text()
    assert "The SMTP sink was down during this run's window from 2026-11-20 10:05:00 to 2026-11-20 10:12:00" in page
    assert "(the sink crashed)" in page


def test_a_sink_that_listened_throughout_adds_nothing(tmp_path: Path) -> None:
    with CampaignFolder(tmp_path) as folder:
        store, persona = load_store(DEMO / "stores" / "exemplary.yaml"), load_persona(DEMO / "persona.yaml")
        scenario = load_scenario(DEMO / "scenario.yaml")
        run = Run(id="r1", store_id=store.id, scenario_id=scenario.id, persona_id=persona.id, address="a@b.test")
        folder.add_run(run, store, persona, scenario.expectations)
        folder.save_run(run.model_copy(update={"started_at": T0, "finished_at": T0 + timedelta(minutes=3)}))
        folder.close_observation("r1", (T0 + timedelta(minutes=3)).isoformat())
        _uptime(folder.path / "campaign.db", [(T0 - timedelta(minutes=1), T0 + timedelta(minutes=4), "stopped")])
        results = score_folder(folder, load_rubric("default"))
    assert results.stores[0].runs[0].anchors.mailbox_down == []
