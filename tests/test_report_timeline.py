"""A run's timeline and the comparison heatmap, drawn from results alone (no browser, no folder)."""

import re
from datetime import UTC, datetime, timedelta

from auditor.models.evidence import MessageKind
from auditor.models.finding import EvidenceRef, Finding, FindingStatus
from auditor.models.results import CampaignResults, CategoryInfo, MessageSummary, RunAnchors, RunResult, StoreResult
from auditor.models.run import Run, RunStatus
from auditor.models.scorecard import Scorecard
from auditor.report.heatmap import build_heatmap
from auditor.report.timeline import AXIS_MAX_S, comparison_timeline, run_timeline, x_of
from auditor.report.write import _environment

ORDER = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def message(sha: str, seconds: float, kind: MessageKind) -> MessageSummary:
    return MessageSummary(
        sha256=sha * 64,
        arrived_at=ORDER + timedelta(seconds=seconds),
        after_order_s=seconds,
        from_addr="shop@example.test",
        subject=f"{kind.value} <b>",
        kind=kind,
    )


def finding(criterion: str, category: str, score: float | None, sha: str | None = None) -> Finding:
    status = (
        FindingStatus.not_applicable if score is None else FindingStatus.passed if score == 1 else FindingStatus.failed
    )
    evidence = [EvidenceRef(message_sha256=sha * 64)] if sha else []
    return Finding(
        criterion=criterion, check=criterion, category=category, title=criterion.title(), score=score, status=status,
        value=f"{criterion} measured", evidence=evidence,
    )  # fmt: skip


def run_result(run_id: str, messages: list[MessageSummary], findings: list[Finding], total: float) -> RunResult:
    return RunResult(
        run=Run(id=run_id, store_id=run_id, scenario_id="s", persona_id="p", address="a@x", status=RunStatus.done),
        scorecard=Scorecard(subject=run_id, categories={"response_time": total}, total=total),
        findings=findings,
        messages=messages,
        anchors=RunAnchors(
            ordered_at=ORDER,
            question_after_s=20,
            observed_s=3 * 86400,
            expected=[MessageKind.order_confirmation, MessageKind.support_reply, MessageKind.shipping],
        ),
    )


def slow_store() -> StoreResult:
    messages = [
        message("a", 0.4, MessageKind.order_confirmation),
        message("b", 2, MessageKind.marketing),
        message("c", 2.2, MessageKind.marketing),
        message("d", 7200, MessageKind.support_reply),
    ]
    findings = [
        finding("confirmation-time", "response_time", 1.0, "a"),
        finding("reply-time", "response_time", 0.0, "d"),  # failed on the reply: late
        finding("review", "response_time", None),
    ]
    run = run_result("slow", messages, findings, 50)
    return StoreResult(id="slow", name="Slow & Co", scorecard=run.scorecard, runs=[run])


def test_one_mark_per_email_and_late_missing_and_question_are_drawn() -> None:
    store = slow_store()
    svg = str(run_timeline(store.runs[0]))
    assert svg.count('<g class="mark') == 4
    assert len(re.findall(r'<g class="mark late', svg)) == 1 and 'data-sha256="' + "d" * 64 in svg
    assert re.search(r'<g class="mark[^"]*reply', svg)  # the support reply after the question
    assert svg.count('<g class="missing"') == 1 and 'data-kind="shipping"' in svg  # expected, never came
    assert '<g class="question">' in svg and "first 30 min" in svg and "not watched after 3 d" in svg
    assert "<script" not in svg and "&lt;b&gt;" in svg  # subjects are escaped, never markup


def test_a_review_request_before_delivery_is_too_early_not_late() -> None:
    store = slow_store()
    run = store.runs[0]
    run.messages.append(message("g", 40, MessageKind.review_request))
    early = finding("review-after-delivery", "response_time", 0.0, "g").model_copy(
        update={"check": "review_after_delivery"}
    )
    run.findings.append(early)
    svg = str(run_timeline(run))
    assert re.search(r'<g class="mark early" data-sha256="' + "g" * 64, svg) and ">too early</text>" in svg
    assert re.search(r'<g class="mark late reply" data-sha256="' + "d" * 64, svg)


def test_the_axis_is_logarithmic_from_one_second_to_thirty_days() -> None:
    left = 10.0
    assert x_of(0.2, left) == x_of(1, left) == left
    one_s, one_min, one_h = x_of(1, left), x_of(60, left), x_of(3600, left)
    assert abs((one_min - one_s) - (one_h - one_min)) < 1e-6  # equal factors, equal distances
    assert x_of(AXIS_MAX_S * 10, left) == x_of(AXIS_MAX_S, left)


def results_of(*stores: StoreResult) -> CampaignResults:
    return CampaignResults(
        campaign="c",
        rubric="default",
        categories=[CategoryInfo(id="response_time", title="Response time", weight=1)],
        stores=list(stores),
    )


def fast_store() -> StoreResult:
    messages = [message("e", 3, MessageKind.order_confirmation), message("f", 60, MessageKind.support_reply)]
    findings = [
        finding("confirmation-time", "response_time", 1.0, "e"),
        finding("reply-time", "response_time", 1.0, "f"),
        finding("review", "response_time", None),
    ]
    run = run_result("fast", messages, findings, 100)
    return StoreResult(id="fast", name="Fast", scorecard=run.scorecard, runs=[run])


def test_the_comparison_has_one_strip_per_store_with_every_email() -> None:
    svg = str(comparison_timeline([fast_store(), slow_store()]))
    assert svg.count('<g class="strip"') == 2
    assert svg.count('<g class="mark') == 6


def test_the_heatmap_sorts_by_every_criterion_and_marks_not_applicable() -> None:
    heatmap = build_heatmap(results_of(slow_store(), fast_store()))
    assert [c.id for c in heatmap.criteria] == ["confirmation-time", "reply-time", "review"]
    by = {o.key: [r.store.id for r in o.rows] for o in heatmap.orderings}
    assert by["total"] == ["fast", "slow"] and by["crit-reply-time"] == ["fast", "slow"]
    assert by["name"] == ["fast", "slow"] and "cat-response_time" in by
    review = heatmap.orderings[0].rows[0].cells["review"]
    assert not review.applicable and review.score is None
    assert heatmap.orderings[0].rows[1].cells["reply-time"].score == 0
    assert heatmap.orderings[0].rows[1].cells["reply-time"].link == "store-slow.html#finding-slow-reply-time"


def test_the_index_page_has_the_heatmap_orders_and_no_script(tmp_path) -> None:  # noqa: ANN001
    results = results_of(slow_store(), fast_store())
    html = _environment().get_template("index.html.j2").render(results=results, pictures={}, history={})
    for key in ("total", "name", "crit-reply-time", "cat-response_time"):
        assert f'id="by-{key}"' in html and f'href="#by-{key}"' in html
    assert html.count('class="cell na"') == 2 * len(heatmap_orders(html))
    assert "<script" not in html and 'class="timeline comparison"' in html and 'class="bars"' in html


def heatmap_orders(html: str) -> list[str]:
    return re.findall(r'<div class="order[^"]*" id="by-', html)
