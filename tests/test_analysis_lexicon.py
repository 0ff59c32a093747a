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
