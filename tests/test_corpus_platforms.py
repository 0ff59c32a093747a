"""The platforms corpus: every rendered message has labels a scorer can read, in the allowed kinds and languages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from corpus.platforms.common import KINDS, LANGUAGES, MESSAGES

from auditor.analysis.evaluate import FACTS

PLATFORMS = sorted(p.name for p in MESSAGES.iterdir() if p.is_dir()) if MESSAGES.exists() else []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_message_has_valid_labels(platform: str) -> None:
    folder = MESSAGES / platform
    emls = sorted(folder.glob("*.eml"))
    assert emls, f"{platform}: no messages"
    for eml in emls:
        labels_path = eml.with_suffix(".expected.yaml")
        assert labels_path.exists(), f"{eml.name}: no labels"
        labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
        assert set(labels) <= set(FACTS), f"{eml.name}: unknown keys {set(labels) - set(FACTS)}"
        assert labels["kind"] in KINDS, eml.name
        assert labels["language"] in LANGUAGES, eml.name
        assert eml.read_bytes().startswith(b"From:") or b"\nSubject:" in eml.read_bytes(), eml.name


def _samples(folder: Path) -> set[tuple[str, str]]:
    out = set()
    for y in folder.glob("*.expected.yaml"):
        labels = yaml.safe_load(y.read_text(encoding="utf-8"))
        out.add((labels["language"], labels["kind"]))
    return out


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_renders_an_order_email(platform: str) -> None:
    kinds = {kind for _, kind in _samples(MESSAGES / platform)}
    assert kinds & {"order_confirmation", "shipping", "invoice"}, f"{platform}: only {kinds}"


def test_the_corpus_covers_ten_platforms_six_languages_and_250_messages() -> None:
    """Issue 10's floor for the whole corpus: at least ten platforms, 250 messages, every one of the six languages."""
    languages = set()
    messages = 0
    for platform in PLATFORMS:
        samples = _samples(MESSAGES / platform)
        languages |= {language for language, _ in samples}
        messages += len(list((MESSAGES / platform).glob("*.eml")))
    assert len(PLATFORMS) >= 10, PLATFORMS
    assert messages >= 250, messages
    assert languages == set(LANGUAGES), sorted(languages)
