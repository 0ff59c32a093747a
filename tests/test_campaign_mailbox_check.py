"""The mailbox is checked before anything is bought: a real Dovecot, a real demo store, the real CLI.

A wrong password, a refused port and an untrusted certificate each stop ``auditor campaign``
with one line naming the mailbox and the cause, exit 2, and no order in the store.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dovecot
import pytest
import yaml
from dovecot import PASSWORD, Dovecot, free_port

from auditor.demo.shop import DemoShop

dovecot_server = dovecot.dovecot_server

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "auditor" / "demo" / "campaign"


def write_campaign(tmp: Path, shop: DemoShop, mailbox: dict) -> Path:
    data = yaml.safe_load((DEMO / "stores" / "exemplary.yaml").read_text())
    data["base_url"] = shop.url_for("exemplary")
    (tmp / "exemplary.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    campaign = {
        "id": "check-first",
        "stores": [str(tmp / "exemplary.yaml")],
        "scenarios": [str(DEMO / "scenario.yaml")],
        "personas": [str(DEMO / "persona.yaml")],
        "mailbox": mailbox,
    }
    path = tmp / "campaign.yaml"
    path.write_text(yaml.safe_dump(campaign))
    return path


CASES = {
    "wrong password": ({"security": "plain"}, "wrong-" + PASSWORD, "login failed"),
    "refused port": ({"security": "plain", "port": free_port()}, PASSWORD, "cannot connect"),
    "untrusted certificate": ({"security": "imaps"}, PASSWORD, "certificate is not trusted"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_unusable_mailbox_stops_the_campaign_before_any_order(
    case: str, dovecot_server: Dovecot, tmp_path: Path
) -> None:
    overrides, password, cause = CASES[case]
    user = dovecot_server.new_user()
    port = dovecot_server.imaps_port if overrides["security"] == "imaps" else dovecot_server.imap_port
    mailbox = {"kind": "imap", "host": "127.0.0.1", "port": port, "username": user, "password_env": "SHOP_PW"}
    with DemoShop("127.0.0.1", free_port()) as shop:
        campaign = write_campaign(tmp_path, shop, mailbox | overrides)
        done = subprocess.run(
            [sys.executable, "-m", "auditor", "campaign", str(campaign), "--out", str(tmp_path / "out")],
            capture_output=True, text=True, cwd=ROOT, timeout=120, env=os.environ | {"SHOP_PW": password},
        )  # fmt: skip
        assert shop.state.orders("exemplary") == []  # nothing bought
    assert done.returncode == 2, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"mailbox {user}@127.0.0.1" in errors[0] and cause in errors[0], errors[0]
    assert password not in done.stdout + done.stderr
    assert "shopping as" not in done.stdout


@pytest.mark.parametrize("command", ["run", "check"])
def test_run_and_check_also_stop_before_buying(command: str, dovecot_server: Dovecot, tmp_path: Path) -> None:
    user = dovecot_server.new_user()
    mailbox = tmp_path / "imap.yaml"
    mailbox.write_text(
        yaml.safe_dump(
            {"kind": "imap", "host": "127.0.0.1", "port": dovecot_server.imap_port, "security": "plain",
             "username": user, "password_env": "SHOP_PW"}
        )
    )  # fmt: skip
    with DemoShop("127.0.0.1", free_port()) as shop:
        write_campaign(tmp_path, shop, {})
        done = subprocess.run(
            [sys.executable, "-m", "auditor", command, str(DEMO / "scenario.yaml"), "--store",
             str(tmp_path / "exemplary.yaml"), "--persona", str(DEMO / "persona.yaml"), "--mailbox", str(mailbox),
             "--out", str(tmp_path / "out")],
            capture_output=True, text=True, cwd=ROOT, timeout=120, env=os.environ | {"SHOP_PW": "wrong"},
        )  # fmt: skip
        assert shop.state.orders("exemplary") == []
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "login failed" in done.stderr, done.stderr
    assert f"mailbox {user}@127.0.0.1" in done.stderr
