"""Hygiene checks: plain text, alt text, clipping size, List-Unsubscribe, authentication, schema.org."""

from auditor.models import Fact, FindingStatus, MessageKind
from auditor.rubric import Criterion, evaluate
from auditor.rubric.examples import message, record

K = MessageKind


def _run(check: str, rec, **criterion):
    return evaluate(Criterion(id="c", check=check, **criterion), rec)


def _rec(*evidences: dict, kind: MessageKind = K.order_confirmation):
    return record("s", "EX-1", [message("r", i, 7 + i, f"m{i}", ev, kind=kind) for i, ev in enumerate(evidences)])


def test_plain_text_part_share() -> None:
    finding = _run("plain_text_part", _rec({"has_text_part": True}, {"has_text_part": False}))
    assert finding.score == 0.5 and finding.evidence[0].note == "HTML only"
    assert _run("plain_text_part", record("s", "1", [])).status == FindingStatus.not_applicable


def test_image_alt_text() -> None:
    images = [Fact(value={"src": "a.png", "alt": "Headphones"}), Fact(value={"src": "b.png", "alt": " "})]
    finding = _run("image_alt_text", _rec({"images": images}))
    assert finding.score == 0.5 and finding.value == "1 of 2 images have alt text"
    assert _run("image_alt_text", _rec({})).status == FindingStatus.not_applicable
    unknown = _run("image_alt_text", _rec({"images": [Fact(value="a.png")]}))
    assert unknown.status == FindingStatus.not_applicable and "alt text" in unknown.value


def test_html_over_gmails_clipping_size() -> None:
    finding = _run("html_size", _rec({"html_size": 20_000}, {"html_size": 150_000}))
    assert finding.score == 0.5 and "largest 150 KB" in finding.value
    assert _run("html_size", _rec({"html_size": 0})).status == FindingStatus.not_applicable
    assert _run("html_size", _rec({"html_size": 150_000}), params={"max_bytes": 200_000}).score == 1.0


def test_list_unsubscribe_on_marketing() -> None:
    with_header = {"list_unsubscribe": Fact(value="<mailto:u@s.test>", source="List-Unsubscribe")}
    finding = _run("list_unsubscribe", _rec(with_header, {}, kind=K.marketing))
    assert finding.score == 0.5 and finding.evidence[0].note == "no List-Unsubscribe"
    assert _run("list_unsubscribe", _rec(with_header)).status == FindingStatus.not_applicable  # no marketing


def test_authentication_verdicts() -> None:
    auth = {"spf": Fact(value="pass"), "dkim": Fact(value="fail"), "dmarc": Fact(value="pass")}
    finding = _run("authentication", _rec({"authentication": auth}))
    assert round(finding.score, 4) == 0.6667 and finding.evidence[0].note == "dkim=fail"
    none = _run("authentication", _rec({}))
    assert none.status == FindingStatus.not_applicable and "Authentication-Results" in none.value


def test_schema_org_order_present_consistent_or_not() -> None:
    good = _rec({"schema_org": [Fact(value={"type": "Order", "orderNumber": "EX-1"}, source="jsonld")]})
    assert _run("schema_org_order", good).score == 1.0
    other = _rec({"schema_org": [Fact(value={"type": "Order", "orderNumber": "EX-2"}, source="jsonld")]})
    finding = _run("schema_org_order", other)
    assert finding.score == 0.5 and finding.value == "schema.org Order says EX-2, but the store's page says EX-1"
    text_differs = _rec(
        {
            "order_number": Fact(value="EX-3"),
            "schema_org": [Fact(value={"type": "Order", "orderNumber": "EX-1"}, source="jsonld")],
        }
    )
    assert _run("schema_org_order", text_differs).value == "schema.org Order says EX-1, but the email's text says EX-3"
    parcel_only = _rec({"schema_org": [Fact(value={"type": "ParcelDelivery"})]})
    assert _run("schema_org_order", parcel_only).score == 0.0
