"""The rubric stage: checks, rubric files, scoring and the CI gate.

The small public surface other stages use; everything else is private.

    rubric = load_rubric("default")              # or a path; `extends:` resolved
    findings, card = score_record(rubric, record)  # record: auditor.models.RunRecord; no total if it failed
    store = store_scorecard(rubric, store_id, [card, ...])
    gate = evaluate_gate(rubric, findings, card, min_score=80, baseline=last_release_card)
"""

from auditor.rubric.gate import GateFailure, GateResult, evaluate_gate, regressions
from auditor.rubric.honesty import unscored_reason
from auditor.rubric.loader import bundled_names, load_rubric, rubric_json_schema
from auditor.rubric.model import Category, Criterion, Rubric
from auditor.rubric.registry import CheckMeta, Need, all_checks, check, get_check
from auditor.rubric.scoring import evaluate, run_scorecard, score_record, score_run, store_scorecard

__all__ = [
    "Category",
    "CheckMeta",
    "Criterion",
    "GateFailure",
    "GateResult",
    "Need",
    "Rubric",
    "all_checks",
    "bundled_names",
    "check",
    "evaluate",
    "evaluate_gate",
    "get_check",
    "load_rubric",
    "regressions",
    "rubric_json_schema",
    "run_scorecard",
    "score_record",
    "score_run",
    "store_scorecard",
    "unscored_reason",
]
