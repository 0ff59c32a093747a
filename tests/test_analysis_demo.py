"""The bundled demo stores' mail, rendered now from auditor.demo, analyses as the order it was made for.

The committed corpus holds a snapshot; this renders the current templates, so a
template change that analysis cannot read shows up here, not in a user's report.
"""

from corpus.make_corpus import demo_messages

from auditor.analysis import analyze
from auditor.analysis.evaluate import Report, score_message


def test_every_demo_email_analyses_as_labelled() -> None:
    messages = demo_messages()
    assert len(messages) >= 8
    report = Report()
    for name, raw, expected in messages:
        evidence = analyze(raw)
        score_message(report, name, expected, evidence)
        assert evidence.malformed is None, name
    assert report.mismatches == []
    assert report.facts["items"].tp >= 4 and report.facts["total"].tp >= 3
