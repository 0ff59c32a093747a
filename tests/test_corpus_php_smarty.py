"""The PHP-template, Smarty and Magento-directive interpreters behind the OpenMage, WooCommerce, Thelia and Zen Cart
renderers: each behaves as the engine it stands in for, on small inline templates, and fails loudly on what it does
not know (so a template changed upstream is noticed, not rendered wrong).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("liquid")

from corpus.platforms.renderers import _php, _smarty, openmage, woocommerce, zencart  # noqa: E402


def _php_render(src: str, functions: dict[str, Any] | None = None, **variables: Any) -> str:
    return _php.render(_php.parse(src), _php.Interpreter(functions or {}, variables))


def test_php_alternative_and_brace_blocks_across_islands() -> None:
    src = (
        "<ul><?php foreach ( $xs as $k => $x ) : ?><li><?php echo $k . '=' . $x; ?></li><?php endforeach; ?></ul>"
        "<?php if ( $flag ) { ?>yes<?php } else { ?>no<?php } ?>"
    )
    assert _php_render(src, xs={"a": 1, "b": 2}, flag=False) == "<ul><li>a=1</li><li>b=2</li></ul>no"


def test_php_statements_in_one_island_run_in_order_and_continue_skips_a_row() -> None:
    src = (
        "<?php $i = 0; foreach ( $xs as $x ) : $i++; if ( $x === 'skip' ) { continue; } ?>"
        "[<?= $i ?>:<?= $x ?>]<?php endforeach; ?>"
    )
    assert _php_render(src, xs=["a", "skip", "c"]) == "[1:a][3:c]"


def test_php_printf_positional_arguments_and_comments_outside_strings() -> None:
    translations = {"%1$s and %2$s": "%2$s und %1$s"}
    functions = {
        "printf": lambda fmt, *a: _php.Out(_php.sprintf(fmt, *a)),
        "__": lambda s, d="": translations.get(s, s),
    }
    src = "<?php printf( __( '%1$s and %2$s', 'woocommerce' ), 'x', 'https://y.example' ); // phpcs:ignore ?>"
    assert _php_render(src, functions) == "https://y.example und x"


def test_php_ternary_method_calls_and_arrays() -> None:
    class Order:
        def get_total(self) -> int:
            return 7

    interp = _php.Interpreter({}, {"order": Order(), "n": 2})
    assert interp.eval("$n % 2 ? 'odd' : 'even'") == "even"
    assert interp.eval("array( 'a' => $order->get_total(), 'b' => [ 1, 2 ] )") == {"a": 7, "b": [1, 2]}
    assert interp.eval("1 === $n - 1 && ! ( $n > 5 )") is True
    with pytest.raises(KeyError, match="empty"):
        interp.eval("empty( $n )")


def test_php_unknown_function_fails_and_lenient_arrays_drop_only_the_bad_entry() -> None:
    interp = _php.Interpreter({}, {})
    with pytest.raises(KeyError, match="zen_image"):
        interp.eval("[ 'A' => 'a', 'B' => zen_image( 'x' ) ]")
    interp.lenient = True
    assert interp.eval("[ 'A' => 'a', 'B' => zen_image( 'x' ), 'C' => 'c' ]") == {"A": "a", "C": "c"}


def _smarty_render(files: dict[str, str], file: str, **variables: Any) -> str:
    tags = {"intl": lambda p: {"Hello %who": "Hallo %who"}.get(p["l"], p["l"]).replace("%who", str(p.get("who", "")))}
    loops = {"item": lambda p: [{"TITLE": "a"}, {"TITLE": "b"}]}
    return _smarty.Renderer(tags, loops, variables, files.__getitem__).render_file(file)


def test_smarty_child_blocks_replace_the_layouts_and_text_outside_them_is_dropped() -> None:
    files = {
        "layout.tpl": "<h1>{block name='title'}default{/block}</h1><p>{block name=body}{/block}</p>",
        "child.html": '{extends file="layout.tpl"}ignored{block name="title"}{intl l="Hello %who" who=$name}{/block}',
    }
    assert _smarty_render(files, "child.html", name="Ola") == "<h1>Hallo Ola</h1><p></p>"


def test_smarty_loops_restore_their_variables_and_keep_assignments() -> None:
    files = {"t": "{loop type=item name=x}{$TITLE}{$n = $n + 1}{/loop}|{$TITLE}|{$n}"}
    assert _smarty_render(files, "t", TITLE="outer", n=0) == "ab|outer|2"


def test_smarty_css_braces_stay_text_and_tags_nest_inside_quoted_values() -> None:
    files = {"t": 'a { color: red; } {assign var="x" value="{intl l="Hello %who" who="you"}"}{$x}'}
    assert _smarty_render(files, "t") == "a { color: red; } Hallo you"


def test_magento_depend_and_if_run_before_the_other_directives() -> None:
    engine = object.__new__(openmage.Engine)
    engine.folder = "de_DE"
    out = engine.filter(
        '{{depend phone}}Tel {{var phone}}{{/depend}}{{if note}}N{{else}}no note{{/if}} <a href="{{store url="x/"}}">',
        {"phone": "", "note": "", "config": {}},
    )
    assert out == 'no note <a href="https://store.example/de_de/x/">'
    with pytest.raises(KeyError, match="unknownthing"):
        engine.filter("{{unknownthing foo}}", {})


def test_wc_price_and_esc_html_as_woocommerce_writes_them() -> None:
    store = object.__new__(woocommerce.Store)
    store.symbol, store.position, store.thousands, store.decimals = "z&#322;", "right_space", " ", ","
    assert woocommerce.Store.wc_price(store, Decimal("1234.5")) == (
        '<span class="woocommerce-Price-amount amount"><bdi>1 234,50&nbsp;'
        '<span class="woocommerce-Price-currencySymbol">z&#322;</span></bdi></span>'
    )
    assert woocommerce._esc_html("a &mdash; <b>") == "a &mdash; &lt;b&gt;"


def test_zen_cart_currency_and_long_date() -> None:
    assert zencart.Currencies(("", " руб.", ",", " ")).display_price(Decimal("12990"), 0, 2) == "25 980,00 руб."
    assert zencart._strftime("%A %d %B, %Y", datetime(2026, 11, 2), "de_DE") == "Montag 02 November, 2026"


def test_php_island_ends_at_a_closing_tag_outside_strings_only() -> None:
    functions = {"preg_replace": woocommerce._preg_replace}
    src = "<?php echo preg_replace( '#<br\\s*/?>#i', \"\\n\", $a ); // not code ?>\nafter"
    assert _php_render(src, functions, a="x<br/>y") == "x\nyafter"


def test_woocommerce_plain_content_applies_wc_emails_own_entity_rules_and_wraps_at_70() -> None:
    rules = [("/&(nbsp|#0*160);/i", " "), ("/&(mdash|#0*151|#0*8212);/i", "--"), ("/&[^&\\s;]+;/i", "")]
    text = woocommerce.plain_content("<b>Total:</b>&nbsp;1&nbsp;234,00&nbsp;z&#322; &mdash; ok\n" + "word " * 20, rules)
    lines = text.split("\n")
    assert lines[0] == "Total: 1 234,00 z -- ok"  # WooCommerce drops entities it has no rule for (the ł of zł)
    assert max(len(line) for line in lines) <= 70 and len(lines) == 3
