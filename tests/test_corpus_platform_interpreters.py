"""The template interpreters the platform renderers use: each behaves as the engine it stands in for.

The corpus is only as faithful as these: Erubi's trim mode (Solidus), Blade and PHP expressions and Laravel's
replacements (Bagisto), and the money/date formats each platform's own formatter produces. Checked here on small
inline templates, with the outputs those engines give for them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

pytest.importorskip("pybars")

from corpus.platforms.renderers import bagisto, evershop, solidus, vendure  # noqa: E402


def _erb(src: str, **env: object) -> str:
    return solidus.ErbTemplate(None, "spree/x/y.html.erb", text=src).render(dict(env))  # type: ignore[arg-type]


def test_erb_statement_lines_vanish_and_dash_eats_the_newline() -> None:
    src = "<ul>\n  <% xs.each do |x| %>\n  <li><%= x -%>\n</li>\n  <% end %>\n</ul>\n"
    assert _erb(src, xs=["a", "b&c"]) == "<ul>\n  <li>a</li>\n  <li>b&amp;c</li>\n</ul>\n"


def test_erb_postfix_if_and_unknown_ruby_fails_loudly() -> None:
    assert _erb("[<%= x if flag %>]", x="shown", flag=False) == "[]"
    with pytest.raises(NotImplementedError):
        _erb("<%= x.map { |y| y } %>", x=[])


def test_spree_money_formats_as_the_money_gem_with_rails_i18n_separators() -> None:
    pln = solidus.MoneyFormat(symbol="zł", template="%n %u", delimiter=" ", separator=",", decimals=2)
    eur = solidus.MoneyFormat(symbol="€", template="%u%n", delimiter=".", separator=",", decimals=2)
    assert str(solidus.SpreeMoney(Decimal("1234.5"), pln)) == "1 234,50 zł"
    assert str(solidus.SpreeMoney(Decimal("1234567.891"), eur)) == "€1.234.567,89"


def _php(src: str, **variables: object) -> object:
    return bagisto.Env(dict(variables), {}).eval(bagisto.parse(src))


def test_php_expressions() -> None:
    order = bagisto.PhpObject(increment_id="42", address=None)
    assert _php("'#' . $order->increment_id . '!'", order=order) == "#42!"
    assert _php("$order->company ?? 'none'", order=order) == "none"
    assert _php("isset($a['k']) && ! empty($a['k'])", a={"k": "v"}) is True
    assert _php("! isset($a['x']) || $a['x'] !== 'file'", a={}) is True
    assert _php("$logo = $missing_ok ?: 'default'", missing_ok=None) == "default"
    assert _php("[1, 2] == [1, 2] ? 'yes' : 'no'") == "yes"


def test_php_translation_file_reader() -> None:
    src = "<?php\n// strings\nreturn [\n  'a' => ['b' => 'It\\'s :name', /* x */ 'c' => \"q\\\"d\"],\n];\n"
    assert bagisto.php_return_array(src) == {"a": {"b": "It's :name", "c": 'q"d'}}


def test_laravel_replacements_like_strtr() -> None:
    assert bagisto.laravel_replace("Dear :name (:NAME, :Name)", {"name": "anna"}) == "Dear anna (ANNA, Anna)"
    assert bagisto.laravel_replace(":order_id for :order", {"order": "X", "order_id": "7"}) == "7 for X"


def test_blade_whitespace_escaping_and_slot() -> None:
    blocks = bagisto.compile_blade("<p>\n    @if ($x)\n    yes\n    @endif\n    {{ $y }}\n    {!! $y !!}\n</p>\n")
    out: list[str] = []
    bagisto.Blade(None, str)._run(blocks, bagisto.Env({"x": True, "y": "<b>"}, {}), out)  # type: ignore[arg-type]
    # a directive's "?>" eats its newline, an echo keeps it; {{ }} escapes, {!! !!} does not
    assert "".join(out) == "<p>\n        yes\n        &lt;b&gt;\n    <b>\n</p>\n"


def test_blade_leaves_unknown_at_words_as_text_and_refuses_uninterpreted_directives() -> None:
    out: list[str] = []
    bagisto.Blade(None, str)._run(bagisto.compile_blade("mail me @home"), bagisto.Env({}, {}), out)  # type: ignore[arg-type]
    assert "".join(out) == "mail me @home"
    with pytest.raises(NotImplementedError):
        bagisto.compile_blade("@include('x')")


def test_icu_currency_format_with_polish_minimum_grouping() -> None:
    assert bagisto.icu_price(Decimal("1234.5"), "PLN", "pl", "zł") == "1234,50\xa0zł"
    assert bagisto.icu_price(Decimal("12345.5"), "PLN", "pl", "zł") == "12\xa0345,50\xa0zł"
    assert bagisto.icu_price(Decimal("1234.5"), "EUR", "de", "€") == "1.234,50\xa0€"


def test_evershop_helpers_match_intl_with_at_most_two_fraction_digits() -> None:
    de = evershop.helpers("de", "EUR")
    assert de["currency"](None, "24.90") == "24,9\xa0€"
    assert de["currency"](None, "1234.00") == "1.234\xa0€"
    assert de["date"](None, datetime(2026, 11, 2, tzinfo=UTC)) == "02. Nov. 2026"
    assert evershop.helpers("en", "USD")["date"](None, datetime(2026, 11, 2, tzinfo=UTC)) == "Nov 02, 2026"


def test_vendure_helpers() -> None:
    assert vendure.format_money(None, 123450, "USD", "en") == "$1,234.50"
    assert vendure.format_date(None, datetime(2026, 11, 2, 9, 5, 7, tzinfo=UTC)) == "Mon Nov 02 2026 09:05:07"
