"""Scoring: weighted means, not-applicable excluded, store medians with spread, determinism."""

import dataclasses

from auditor.models import Finding, FindingStatus
from auditor.rubric import examples, load_rubric, registry, run_scorecard, score_run, store_scorecard


def _finding(criterion: str, category: str, score: float | None, weight: float = 1.0) -> Finding:
    status = FindingStatus.not_applicable if score is None else FindingStatus.passed
    return Finding(
        criterion=criterion,
        check="x",
        category=category,
        title=criterion,
        weight=weight,
        score=score,
        status=status,
        value="v",
    )


def test_category_is_the_weighted_mean_and_not_applicable_is_excluded_and_listed() -> None:
    rubric = load_rubric("default")
    findings = [
        _finding("a", "frequency", 1.0, weight=3),
        _finding("b", "frequency", 0.0, weight=1),
        _finding("c", "frequency", None, weight=100),
        _finding("d", "personalization", 0.5),
    ]
    card = run_scorecard(rubric, "run-1", findings)
    assert card.categories["frequency"] == 75.0
    assert card.categories["personalization"] == 50.0
    assert card.categories["hygiene"] is None  # nothing applied: excluded, not zero
    # total: categories frequency (weight 2) and personalization (weight 2) only
    assert card.total == 62.5
    assert card.not_applicable == ["c"]
    assert card.rubric == "default"


def test_weight_zero_is_informative_only() -> None:
    rubric = load_rubric("default")
    card = run_scorecard(rubric, "r", [_finding("a", "frequency", 1.0), _finding("b", "frequency", 0.0, weight=0)])
    assert card.categories["frequency"] == 100.0


def test_no_applicable_finding_at_all_gives_no_total() -> None:
    card = run_scorecard(load_rubric("default"), "r", [_finding("a", "frequency", None)])
    assert card.total is None and card.band is None


def test_store_card_is_the_median_of_runs_with_the_spread() -> None:
    rubric = load_rubric("default")
    cards = [
        run_scorecard(rubric, f"r{i}", [_finding("a", "frequency", s), _finding("n", "hygiene", None)])
        for i, s in enumerate((0.2, 0.9, 1.0))
    ]
    store = store_scorecard(rubric, "shop", cards)
    assert store.categories["frequency"] == 90.0
    assert store.category_spread["frequency"] == 80.0
    assert store.total == 90.0 and store.spread == 80.0
    assert store.runs == 3
    assert store.not_applicable == []  # "n" is not a rubric criterion id; only rubric ids are listed


def test_demo_shaped_runs_score_as_the_published_figures_predict() -> None:
    rubric = load_rubric("default")
    cards = {}
    for build in (examples.exemplary, examples.chatty, examples.bare):
        record = build()
        cards[record.run.store_id] = run_scorecard(rubric, record.run.id, score_run(rubric, record))
    assert cards["exemplary"].total >= 90
    assert cards["chatty"].categories["frequency"] < 50
    assert cards["bare"].categories["order_details"] < 50
    assert cards["bare"].categories["personalization"] < 50
    assert max(cards, key=lambda s: cards[s].total) == "exemplary"


def test_the_same_inputs_give_identical_findings_whatever_the_message_order() -> None:
    rubric = load_rubric("default")
    record = examples.chatty()
    shuffled = record.model_copy(update={"messages": list(reversed(record.messages))})
    a = [f.model_dump_json() for f in score_run(rubric, record)]
    b = [f.model_dump_json() for f in score_run(rubric, shuffled)]
    assert a == b
    assert [f.criterion for f in score_run(rubric, record)] == [c.id for c in rubric.criteria]


def test_a_crashing_check_becomes_an_error_finding_and_the_rest_still_score(monkeypatch) -> None:
    rubric = load_rubric("default")

    def boom(ctx: object) -> None:
        raise RuntimeError("analysis gave a fact of an unexpected shape")

    meta = registry.get_check("product_images")
    monkeypatch.setitem(registry._REGISTRY, "product_images", dataclasses.replace(meta, fn=boom))
    findings = score_run(rubric, examples.exemplary())
    broken = next(f for f in findings if f.criterion == "product-images")
    assert broken.status == FindingStatus.error and broken.score is None
    assert "RuntimeError: analysis gave a fact" in broken.value
    assert len(findings) == len(rubric.criteria)
    card = run_scorecard(rubric, "r", findings)
    assert card.errors == ["product-images"]
    # The other order-details criteria still score, and the crashed one weighs nothing. (This asserted 100 while
    # shipping-address and returns-info were not applicable only because analysis did not report those facts;
    # the example confirmation shows neither, so they now score 0 and count.)
    scored = {c.id: c.weight for c in rubric.criteria if c.category == "order_details" and c.id != "product-images"}
    by_id = {f.criterion: f for f in findings}
    assert {by_id["shipping-address"].score, by_id["returns-info"].score} == {0.0}
    expected = 100 * sum(w * by_id[i].score for i, w in scored.items()) / sum(scored.values())
    assert card.categories["order_details"] == round(expected, 1)


def test_a_finding_resting_on_an_unreadable_message_says_so() -> None:
    record = examples.bare()
    record.messages[0].evidence.malformed = "truncated multipart"
    findings = {f.criterion: f for f in score_run(load_rubric("default"), record)}
    sha = record.messages[0].message.sha256[:12]
    assert findings["items"].value.endswith(f"(not fully readable: {sha}: truncated multipart)")
    assert "not fully readable" not in findings["reply-time"].value  # cites no message
