"""Lexicon files: six languages load; a broken file names its path, line and field."""

from pathlib import Path

import pytest

from auditor.analysis.lexicon import LEXICON_DIR, lexicons, load_lexicon, phrase_pattern
from auditor.yamlfile import ConfigError


def test_six_languages_ship_as_data_files() -> None:
    assert {p.stem for p in LEXICON_DIR.glob("*.yaml")} >= {"en", "pl", "ru", "uk", "de", "zh"}
    lex = lexicons()
    assert set(lex.languages) >= {"en", "pl", "ru", "uk", "de", "zh"}
    assert "kliencie" in lex.greeting_generic and "客户" in lex.greeting_generic


def test_a_new_language_is_just_a_file(tmp_path: Path) -> None:
    for name in ("en.yaml", "pl.yaml"):
        (tmp_path / name).write_text((LEXICON_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "cs.yaml").write_text(
        "language: cs\nname: Čeština\nmarkers: [objednávka, děkujeme]\n"
        "greetings:\n  openers: [dobrý den]\n  generic: [zákazníku]\n"
        "kinds:\n  order_confirmation:\n    subject: [potvrzení objednávky]\n",
        encoding="utf-8",
    )
    lex = lexicons(tmp_path)
    assert "cs" in lex.languages
    assert lex.kind_subject["order_confirmation"].search("potvrzení objednávky č. 55")


def test_a_mistake_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "xx.yaml"
    bad.write_text("language: xx\nname: X\nkinds:\n  order_confrimation:\n    subject: [a]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_lexicon(bad)
    assert "kinds.order_confrimation" in str(err.value) and str(bad) in str(err.value)
    bad.write_text("language: xx\nmarkers: [a\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_lexicon(bad)
    assert f"{bad}:" in str(err.value)


def test_phrases_match_whole_words_except_in_chinese() -> None:
    import re

    pattern = re.compile(phrase_pattern(["order", "订单", "order {n} received"]), re.I)
    assert pattern.search("Your ORDER is here")
    assert not pattern.search("reorder now")
    assert pattern.search("您的订单已确认")
    assert pattern.search("Order #1042 received")


def _two_languages(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "xx.yaml").write_text(
        f"language: xx\nname: X\nkinds:\n  invoice:\n    subject:\n      - rechnung\n{extra}",
        encoding="utf-8",
    )
    return tmp_path


def test_an_entry_carries_the_platform_it_came_from(tmp_path: Path) -> None:
    from auditor.analysis.lexicon import load_lexicons

    folder = _two_languages(
        tmp_path, '      - {phrase: "tax invoice", from: alpha}\n      - {phrase: "proforma", from: [alpha, beta]}\n'
    )
    every = load_lexicons(folder)
    assert every.contributions == {"alpha": 2, "beta": 1}
    assert every.kind_subject["invoice"].search("your tax invoice")
    without_alpha = load_lexicons(folder, frozenset({"alpha"}))
    assert not without_alpha.kind_subject["invoice"].search("your tax invoice")
    # an entry two platforms asked for stays until both are left out
    assert without_alpha.kind_subject["invoice"].search("proforma 12")
    assert not load_lexicons(folder, frozenset({"alpha", "beta"})).kind_subject["invoice"].search("proforma 12")
    assert without_alpha.kind_subject["invoice"].search("Rechnung 12")


def test_a_malformed_provenance_entry_is_named(tmp_path: Path) -> None:
    folder = _two_languages(tmp_path, '      - {phrase: "tax invoice", form: alpha}\n')
    with pytest.raises(ConfigError) as err:
        load_lexicon(folder / "xx.yaml")
    assert "kinds.invoice.subject.1" in str(err.value) and "from" in str(err.value)


def test_excluding_swaps_the_lexicons_every_extractor_reads() -> None:
    from auditor.analysis.lexicon import excluding

    plain = lexicons()
    platform = next(iter(plain.contributions), "nobody")
    with excluding(platform) as lex:
        assert lexicons() is lex and lex.excluded == {platform}
    assert lexicons() is plain


def test_evaluate_counts_which_kinds_are_confused() -> None:
    from auditor.analysis.evaluate import Report, score_message
    from auditor.models.evidence import Evidence, MessageKind

    report = Report()
    score_message(report, "a", {"kind": "invoice"}, Evidence(message_sha256="a", kind=MessageKind.payment))
    score_message(report, "b", {"kind": "credit_memo"}, Evidence(message_sha256="b", kind=MessageKind.credit_memo))
    assert report.kind_confusions == {("invoice", "payment"): 1}
    assert report.facts["kind"].tp == 1 and report.facts["kind"].fn == 1
