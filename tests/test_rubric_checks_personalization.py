"""Personalization checks on hand-built evidence."""

from auditor.models import Fact, FindingStatus, MessageKind
from auditor.rubric import Criterion, evaluate
from auditor.rubric.examples import message, record

CONF = MessageKind.order_confirmation


def _run(check: str, rec, **criterion):
    return evaluate(Criterion(id="c", check=check, **criterion), rec)


def _conf(greeting: Fact | None, n: int = 1, **evidence):
    return message("r", n, 7, "Order 1 confirmed", {"greeting": greeting, **evidence}, kind=CONF)


def test_greeting_by_first_name_passes_whatever_the_case_or_accents() -> None:
    for name in ("Anna", "ANNA", "Anna Kowalska", "Ánna"):
        finding = _run("greeting_name", record("s", "1", [_conf(Fact(value=name, snippet=f"Hi {name},"))]))
        assert (finding.score, finding.status) == (1.0, FindingStatus.passed), name
    assert finding.evidence[0].snippet == "Hi Ánna,"
    assert finding.evidence[0].message_sha256 is not None


def test_generic_greeting_scores_low_and_says_so() -> None:
    finding = _run("greeting_name", record("s", "1", [_conf(Fact(value=None, snippet="Dear customer,"))]))
    assert finding.score == 0.25 and finding.status == FindingStatus.failed
    assert "generic greeting" in finding.value and finding.evidence[0].snippet == "Dear customer,"


def test_no_greeting_and_a_wrong_name_score_zero() -> None:
    assert _run("greeting_name", record("s", "1", [_conf(None)])).score == 0.0
    wrong = _run("greeting_name", record("s", "1", [_conf(Fact(value="Annabelle", snippet="Hi Annabelle"))]))
    assert wrong.score == 0.0 and "not Anna" in wrong.value


def test_greeting_is_the_mean_over_the_messages_it_applies_to() -> None:
    reply = message(
        "r", 2, 30, "Re: q", {"greeting": Fact(value=None, snippet="Dear customer")}, kind=MessageKind.support_reply
    )
    marketing = message("r", 3, 40, "Sale", {}, kind=MessageKind.marketing)  # not greeted: not counted
    finding = _run("greeting_name", record("s", "1", [_conf(Fact(value="Anna")), reply, marketing]))
    assert finding.score == 0.625


def test_generic_score_is_a_parameter() -> None:
    rec = record("s", "1", [_conf(Fact(value=None, snippet="Dear customer,"))])
    assert _run("greeting_name", rec, params={"generic_score": 0.5}).score == 0.5


def test_greeting_not_applicable_without_such_mail_lists_what_arrived() -> None:
    payment = message("r", 1, 8, "Payment received", {}, kind=MessageKind.payment)
    finding = _run("greeting_name", record("s", "1", [payment]))
    assert finding.status == FindingStatus.not_applicable and finding.score is None
    assert 'arrived: payment "Payment received"' in finding.value


def test_language_compares_primary_subtags_and_skips_unknown() -> None:
    msgs = [_conf(None, 1, language="pl"), _conf(None, 2, language="de"), _conf(None, 3, language=None)]
    finding = _run("language_matches", record("s", "1", msgs, locale="pl-PL"))
    assert finding.score == 0.5 and finding.value == "1 of 2 emails in pl (others: de)"
    unknown = _run("language_matches", record("s", "1", [_conf(None, language=None)]))
    assert unknown.status == FindingStatus.not_applicable


def test_recommendations_count_only_with_consent() -> None:
    with_block = [_conf(None, recommendations=Fact(value=3, snippet="You may also like"))]
    assert _run("recommendations_with_consent", record("s", "1", with_block, consent=True)).score == 1.0
    without = _run("recommendations_with_consent", record("s", "1", [_conf(None)], consent=True))
    assert without.score == 0.0 and "despite consent" in without.value
    refused = _run("recommendations_with_consent", record("s", "1", with_block, consent=False))
    assert refused.status == FindingStatus.not_applicable


def test_promotions_in_a_receipt_are_flagged_when_consent_was_refused() -> None:
    with_block = [_conf(None, recommendations=Fact(value=3, snippet="You may also like"))]
    flagged = _run("no_marketing_in_transactional", record("s", "1", with_block))
    assert flagged.score == 0.0 and flagged.evidence[0].note == "promotional block"
    clean = _run("no_marketing_in_transactional", record("s", "1", [_conf(None)]))
    assert clean.score == 1.0
    consented = _run("no_marketing_in_transactional", record("s", "1", with_block, consent=True))
    assert consented.status == FindingStatus.not_applicable


def test_a_half_translated_email_scores_about_half() -> None:
    mixed = _conf(None, 1, language="pl", languages={"pl": 600, "en": 400})
    whole = _conf(None, 2, language="pl", languages={"pl": 1000})
    finding = _run("language_matches", record("s", "1", [mixed, whole], locale="pl-PL"))
    assert finding.score == 0.8
    assert finding.value == "1 of 2 emails in pl; mixed: pl 60%, en 40%"
    assert [e.message_sha256 for e in finding.evidence] == [mixed.message.sha256]


def test_a_foreign_address_block_does_not_make_an_email_mixed() -> None:
    mostly = _conf(None, 1, language="en", languages={"en": 970, "pl": 30})
    finding = _run("language_matches", record("s", "1", [mostly]))
    assert finding.score == 1.0 and finding.value == "1 of 1 emails in en"


def test_vocative_forms_are_the_first_name_and_a_last_name_is_formal() -> None:
    for greeted in ("Anno", "Anną", "ANNA"):
        finding = _run("greeting_name", record("s", "1", [_conf(Fact(value=greeted, snippet=f"Cześć {greeted},"))]))
        assert finding.score == 1.0, greeted
    formal = _run(
        "greeting_name", record("s", "1", [_conf(Fact(value="Pani Kowalska", snippet="Szanowna Pani Kowalska"))])
    )
    assert formal.score == 0.75 and formal.value == "order confirmation: greets by last name (Pani Kowalska)"
    assert _run("greeting_name", record("s", "1", [_conf(Fact(value="Annabelle"))])).score == 0.0
