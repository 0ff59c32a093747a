"""The extractor contract: needs are parameters, products are declared, order is checked, failures are contained."""

import pytest

from auditor.analysis.extractor import check_order, extractor, run_all


@extractor("words")
def _words(text: str) -> list[str]:
    return text.split()


@extractor("count", "first", default=(0, None))
def _count(words: list[str]) -> tuple[int, str | None]:
    return len(words), words[0] if words else None


@extractor("shout", default="")
def _shout(first: str | None) -> str:
    return first.upper()  # type: ignore[union-attr]  # fails when there is no first word, on purpose


def test_needs_come_from_the_signature_and_products_from_the_declaration() -> None:
    assert (_count.name, _count.needs, _count.produces, _count.default) == (
        "count",
        ("words",),
        ("count", "first"),
        (0, None),
    )


def test_run_all_fills_artifacts_in_order() -> None:
    artifacts = {"text": "hello big world"}
    assert run_all((_words, _count, _shout), artifacts) == []
    assert (artifacts["count"], artifacts["first"], artifacts["shout"]) == (3, "hello", "HELLO")


def test_a_failure_is_recorded_and_its_products_take_their_defaults() -> None:
    artifacts = {"text": ""}
    errors = run_all((_words, _count, _shout), artifacts)
    assert errors == ["shout: AttributeError: 'NoneType' object has no attribute 'upper'"]
    assert (artifacts["count"], artifacts["shout"]) == (0, "")  # the others' facts are kept


def test_mutable_defaults_are_copied_per_message() -> None:
    @extractor("seen", default=[])
    def broken(text: str) -> list[str]:
        raise ValueError("no")

    first: dict = {"text": "a"}
    run_all((broken,), first)
    first["seen"].append("x")
    second: dict = {"text": "b"}
    run_all((broken,), second)
    assert second["seen"] == []


def test_a_wrong_number_of_products_is_a_failure_not_a_silent_shift() -> None:
    @extractor("a", "b", default=(1, 2))
    def one_short(text: str) -> tuple[int]:
        return (5,)

    artifacts: dict = {"text": ""}
    assert run_all((one_short,), artifacts) == ["one_short: ValueError: returned 1 values for 2 products"]
    assert (artifacts["a"], artifacts["b"]) == (1, 2)


def test_order_is_checked_before_anything_runs() -> None:
    check_order((_words, _count, _shout), given=("text",), used_at_end=("shout", "count"))
    with pytest.raises(ValueError, match="count needs 'words', which no earlier extractor produces"):
        check_order((_count, _words, _shout), given=("text",), used_at_end=("shout", "count"))
    with pytest.raises(ValueError, match="produces 'words', already produced earlier"):
        check_order((_words, _words, _count, _shout), given=("text",), used_at_end=("shout", "count"))
    with pytest.raises(ValueError, match="produces 'count', which nothing uses"):
        check_order((_words, _count, _shout), given=("text",), used_at_end=("shout",))


def test_variadic_needs_are_refused_at_declaration() -> None:
    with pytest.raises(TypeError, match="named parameters"):
        extractor("x")(lambda **kw: 1)
