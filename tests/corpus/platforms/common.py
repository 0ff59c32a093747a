"""What every platform renderer shares: pinned sources read from git, and one sample written as .eml + labels.

A renderer never copies a platform's files into this repository: it reads them
from a snapshot of the platform's public repository at the pinned commit,
renders them with the platform's own strings, and writes only the result.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "messages"
KINDS = (
    "order_confirmation",
    "payment",
    "invoice",
    "credit_memo",
    "refund",
    "shipping",
    "delivery",
    "review_request",
    "support_reply",
    "account",
    "marketing",
    "abandoned_cart",
    "cancellation",
    "other",
)
LANGUAGES = ("en", "pl", "ru", "uk", "de", "zh")


@dataclass(frozen=True)
class Source:
    """One public repository at one commit: where a platform's templates or translations come from."""

    repo: str  # owner/name, as GitHub spells it
    commit: str  # 40 hex digits: the renderer reads this commit and no other
    license: str  # SPDX id of the repository's license
    role: str = "templates"  # templates | translations | both


class SourceTree:
    """Files of pinned sources, read with ``git show COMMIT:PATH`` from a local copy (bare or not).

    ``root`` holds one folder per repository named ``owner+name`` (as the
    snapshot tool lays them out: ``owner+name/repo`` is the git directory) or
    a plain clone named ``owner+name``.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @cache  # noqa: B019 - one tree per run, its files never change
    def _gitdir(self, repo: str) -> Path:
        base = self.root / repo.replace("/", "+")
        for candidate in (base / "repo", base / "repo" / ".git", base / ".git", base):
            if (candidate / "HEAD").exists() or (candidate / "objects").exists():
                return candidate
        raise FileNotFoundError(
            f"no copy of {repo} under {self.root}: fetch a snapshot or `git clone https://github.com/{repo} {base}`"
        )

    def read(self, source: Source, path: str) -> str:
        return self.read_bytes(source, path).decode("utf-8")

    @cache  # noqa: B019
    def read_bytes(self, source: Source, path: str) -> bytes:
        done = subprocess.run(
            ["git", "--git-dir", str(self._gitdir(source.repo)), "show", f"{source.commit}:{path}"],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise FileNotFoundError(f"{source.repo}@{source.commit[:10]}:{path}: {done.stderr.decode().strip()}")
        return done.stdout

    def exists(self, source: Source, path: str) -> bool:
        try:
            self.read_bytes(source, path)
        except FileNotFoundError:
            return False
        return True

    def ls(self, source: Source, path: str) -> list[str]:
        """Paths under ``path`` (recursive) at the pinned commit."""
        done = subprocess.run(
            ["git", "--git-dir", str(self._gitdir(source.repo)), "ls-tree", "-r", "--name-only", source.commit, path],
            capture_output=True,
            check=True,
            text=True,
        )
        return done.stdout.splitlines()


@dataclass
class Sample:
    """One rendered email and what it shows, labelled from the template and the order, never from the analyser."""

    name: str  # unique within the platform: "<lang>_<kind>_<template>_<n>"
    subject: str
    html: str | None
    text: str | None
    labels: dict[str, Any]  # facts as in auditor.analysis.evaluate.FACTS
    sender: str = "Shop <shop@store.example>"
    to: str = "customer@mailbox.example"
    date: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


def compose(sample: Sample, platform: str) -> bytes:
    """The message as a store would send it: multipart/alternative when both parts exist."""
    msg = EmailMessage()
    msg["From"] = sample.sender
    msg["To"] = sample.to
    msg["Subject"] = sample.subject
    msg["Date"] = format_datetime(sample.date or datetime(2026, 11, 20, 10, 15, tzinfo=__import__("datetime").UTC))
    seed = hashlib.sha256(f"{platform}/{sample.name}".encode()).hexdigest()[:16]
    msg["Message-ID"] = f"<{seed}@store.example>"  # make_msgid adds the time and pid: not reproducible
    for k, v in sample.headers.items():
        msg[k] = v
    if sample.text is not None:
        msg.set_content(sample.text, subtype="plain", charset="utf-8")
        if sample.html is not None:
            msg.add_alternative(sample.html, subtype="html", charset="utf-8")
    elif sample.html is not None:
        msg.set_content(sample.html, subtype="html", charset="utf-8")
    else:
        raise ValueError(f"{platform}/{sample.name}: neither HTML nor text")
    return _stable(msg, seed)


def _stable(msg: EmailMessage, seed: str) -> bytes:
    """Same input, same bytes: boundaries derive from the sample's name, not from random."""
    counter = 0
    for part in msg.walk():
        if part.is_multipart():
            counter += 1
            part.set_boundary(f"=_{seed}_{counter}")
    return msg.as_bytes()


def write_sample(sample: Sample, platform: str, out: Path = MESSAGES) -> Path:
    """Write ``out/<platform>/<name>.eml`` and its ``.expected.yaml``; returns the .eml path."""
    _check_labels(sample, platform)
    folder = out / platform
    folder.mkdir(parents=True, exist_ok=True)
    eml = folder / f"{sample.name}.eml"
    eml.write_bytes(compose(sample, platform))
    eml.with_suffix(".expected.yaml").write_text(
        yaml.safe_dump(sample.labels, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return eml


def _check_labels(sample: Sample, platform: str) -> None:
    from auditor.analysis.evaluate import FACTS

    where = f"{platform}/{sample.name}"
    unknown = set(sample.labels) - set(FACTS)
    if unknown:
        raise ValueError(f"{where}: unknown label(s) {sorted(unknown)}")
    if sample.labels.get("kind") not in KINDS:
        raise ValueError(f"{where}: kind {sample.labels.get('kind')!r} not in {KINDS}")
    if sample.labels.get("language") not in LANGUAGES:
        raise ValueError(f"{where}: language {sample.labels.get('language')!r} not in {LANGUAGES}")
