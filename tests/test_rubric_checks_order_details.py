"""Order-details checks: the confirmation against the order page (journal), not just presence."""

from auditor.models import Fact, FindingStatus, ItemFact, MessageKind
from auditor.rubric import Criterion, evaluate
from auditor.rubric.examples import message, pln, record

CONF = MessageKind.order_confirmation
ITEMS = [
    ItemFact(
        name="Wireless Headphones", quantity=1, unit_price=pln("129.00"), snippet="Wireless Headphones 1 x 129,00"
    ),
    ItemFact(name="USB-C Charger", quantity=2, unit_price=pln("49.00"), snippet="USB-C Charger 2 x 49,00"),
]


def _run(check: str, rec, **criterion):
    return evaluate(Criterion(id="c", check=check, **criterion), rec)


def _conf(subject: str = "Your order", n: int = 1, **evidence):
    return message("r", n, 7, subject, evidence, kind=CONF)


def test_order_number_matches_across_shapes() -> None:
    for seen in ("#5001", "0005001", "5001"):
        rec = record("s", "5001", [_conf(order_number=Fact(value=seen, snippet=f"Order {seen}"))])
        finding = _run("order_number", rec)
        assert finding.score == 1.0, seen
    assert finding.evidence[0].snippet == "Order 5001"


def test_a_different_order_number_names_both() -> None:
    rec = record("s", "EX-10001", [_conf(order_number=Fact(value="EX-10002"))])
    finding = _run("order_number", rec)
    assert finding.score == 0.0 and finding.value == "confirmation says order EX-10002, the store showed EX-10001"


def test_order_number_found_only_in_the_subject_counts() -> None:
    finding = _run("order_number", record("s", "1042", [_conf("Order 1042 received")]))
    assert finding.score == 1.0 and "subject" in finding.value


def test_a_longer_number_in_the_subject_is_not_the_order_number() -> None:
    assert _run("order_number", record("s", "1042", [_conf("Order 10420 received")])).score == 0.0


def test_order_number_missing_scores_zero() -> None:
    finding = _run("order_number", record("s", "1042", [_conf("Thanks!")]))
    assert finding.score == 0.0 and finding.value == "no order number in the confirmation (the store showed 1042)"


def test_no_confirmation_at_all_scores_zero_and_lists_what_arrived() -> None:
    payment = message("r", 1, 9, "Payment received", {}, kind=MessageKind.payment)
    finding = _run("items_match", record("s", "1", [payment]))
    assert finding.score == 0.0 and finding.status == FindingStatus.failed
    assert finding.value == 'no order confirmation arrived; arrived: payment "Payment received" after 4 s'
    assert finding.evidence[0].journal_event == "order_submitted"


def test_no_order_in_the_run_is_not_applicable() -> None:
    reply = message("r", 1, 30, "Re: q", {}, kind=MessageKind.support_reply)
    for check in ("order_number", "items_match", "total_matches", "delivery_estimate", "product_images"):
        finding = _run(check, record("s", None, [reply], order=False))
        assert finding.status == FindingStatus.not_applicable, check


def test_a_page_without_a_number_leaves_the_email_as_the_only_witness() -> None:
    """Unknown on the page is not a pass: the confirmation must still carry an order number."""
    with_number = _run("order_number", record("s", None, [_conf(order_number=Fact(value="7", snippet="Order 7"))]))
    assert with_number.score == 1.0 and "showed none to compare with" in with_number.value
    without = _run("order_number", record("s", None, [_conf("Thanks!")]))
    assert without.score == 0.0 and without.value == "no order number in the confirmation, nor on the store's page"


def test_every_item_name_quantity_and_price_matches() -> None:
    finding = _run("items_match", record("s", "1", [_conf(items=ITEMS)]))
    assert finding.score == 1.0 and finding.value == "names 2/2, quantities 2/2, prices 2/2"
    assert len(finding.evidence) == 2


def test_items_partly_matching_score_the_share_and_say_what_is_missing() -> None:
    partial = [
        ItemFact(name="wireless headphones"),
        ItemFact(name="USB-C Charger", quantity=3, unit_price=pln("49.00")),
    ]
    finding = _run("items_match", record("s", "1", [_conf(items=partial)]))
    # names 2/2, quantities 0/2 (missing, and 3 != 2), prices 1/2
    assert finding.score == 0.5
    assert "Wireless Headphones price 129.00 PLN" in finding.value and "USB-C Charger quantity x2" in finding.value


def test_a_line_total_or_a_loose_amount_counts_as_the_price() -> None:
    by_line = [
        ItemFact(name="Wireless Headphones", quantity=1, line_total=pln("129.00")),
        ItemFact(name="USB-C Charger", quantity=2, line_total=pln("98.00")),
    ]
    assert _run("items_match", record("s", "1", [_conf(items=by_line)])).score == 1.0
    names_only = [ItemFact(name="Wireless Headphones"), ItemFact(name="USB-C Charger")]
    loose = [Fact(value=pln("129.00")), Fact(value={"amount": "49.00", "currency": "PLN"})]
    rec = record("s", "1", [_conf(items=names_only, prices=loose)])
    assert _run("items_match", rec, params={"compare": ["name", "price"]}).score == 1.0


def test_a_price_in_another_currency_does_not_match() -> None:
    eur = [
        ItemFact(
            name="Wireless Headphones", quantity=1, unit_price=pln("129.00").model_copy(update={"currency": "EUR"})
        )
    ]
    finding = _run("items_match", record("s", "1", [_conf(items=eur)]), params={"compare": ["price"]})
    assert finding.score == 0.0


def test_total_matches_differs_or_is_missing() -> None:
    ok = _run("total_matches", record("s", "1", [_conf(total=Fact(value=pln("227.00"), snippet="Total 227,00 zł"))]))
    assert ok.score == 1.0 and ok.evidence[0].snippet == "Total 227,00 zł"
    other = _run("total_matches", record("s", "1", [_conf(total=Fact(value=pln("229.00")))]))
    assert other.score == 0.0 and other.value == "total 229.00 PLN in the email, 227.00 PLN on the page"
    loose = _run("total_matches", record("s", "1", [_conf(prices=[Fact(value=pln("227.00"))])]))
    assert loose.score == 1.0 and "not labelled" in loose.value
    assert _run("total_matches", record("s", "1", [_conf()])).score == 0.0


def test_delivery_estimate_present_or_missing_mentions_the_page() -> None:
    given = _run(
        "delivery_estimate",
        record("s", "1", [_conf(delivery_estimate=Fact(value="2-3 days", snippet="Delivery in 2-3 days"))]),
    )
    assert given.score == 1.0
    missing = _run("delivery_estimate", record("s", "1", [_conf()]))
    assert missing.score == 0.0 and "the page said" in missing.value


def test_images_links_and_support_contact() -> None:
    links = [
        Fact(value={"url": "https://s/order/1", "role": "order_status", "text": "Your order"}),
        Fact(value={"url": "mailto:help@s.test", "role": None, "text": "help@s.test"}),
    ]
    rec = record("s", "1", [_conf(images=[Fact(value={"src": "https://s/a.png", "alt": "A"})], links=links)])
    assert _run("product_images", rec).score == 1.0
    assert _run("order_status_link", rec).score == 1.0
    assert _run("support_contact", rec).score == 1.0
    bare = record("s", "1", [_conf()])
    for check in ("product_images", "order_status_link", "support_contact"):
        assert _run(check, bare).score == 0.0, check


def test_a_confirmation_without_address_or_returns_scores_zero() -> None:
    # Was "not applicable" while analysis lacked the facts; Evidence now has both fields, so None means absent.
    rec = record("s", "1", [_conf()])
    for check in ("returns_info", "shipping_address"):
        finding = _run(check, rec)
        assert finding.status == FindingStatus.failed and finding.score == 0.0, check
    assert _run("returns_info", rec).value == "no returns information"


def test_returns_and_address_when_analysis_reports_them() -> None:
    rec = record(
        "s",
        "1",
        [
            _conf(
                returns=Fact(value="You can return any item within 30 days.", snippet="30 days to return"),
                shipping_address=Fact(value="Anna Kowalska, ul. Prosta 1, 00-001 Warszawa"),
            )
        ],
    )
    assert _run("returns_info", rec).score == 1.0
    assert _run("shipping_address", rec).score == 1.0
    wrong = record("s", "1", [_conf(shipping_address=Fact(value="ul. Krzywa 9, 00-001 Warszawa"))])
    assert _run("shipping_address", wrong).score == 0.5
    link = Fact(value={"url": "https://s/pages/returns", "role": "returns", "text": "Returns policy"})
    assert _run("returns_info", record("s", "1", [_conf(links=[link])])).score == 1.0


def test_the_confirmation_for_this_order_is_judged_not_an_older_one() -> None:
    old = _conf("Order 9 confirmed", 1, order_number=Fact(value="9"))
    mine = message("r", 2, 8, "Order 1 confirmed", {"order_number": Fact(value="1"), "items": ITEMS}, kind=CONF)
    assert _run("items_match", record("s", "1", [old, mine])).score == 1.0


def test_product_pictures_cover_the_items_when_analysis_ties_them() -> None:
    images = [
        Fact(value={"src": "logo.png", "alt": "Shop", "item": None}),
        Fact(value={"src": "h.png", "alt": "Wireless Headphones", "item": "Wireless Headphones"}),
    ]
    finding = _run("product_images", record("s", "1", [_conf(images=images)]))
    assert finding.score == 0.5 and finding.value == "1 of 2 items pictured (1 other image)"
    logo_only = _run("product_images", record("s", "1", [_conf(images=images[:1])]))
    assert logo_only.score == 0.0 and logo_only.evidence[0].note == "no product picture"


def test_items_and_total_unknown_on_the_page_are_judged_from_the_email_alone() -> None:
    priced = _run("items_match", record("s", None, [_conf("Order 7", items=ITEMS)]))
    assert (
        priced.score == 1.0
        and priced.value == "2 items listed, 2 with a price (the store's page showed none to compare with)"
    )
    names_only = [ItemFact(name="Wireless Headphones"), ITEMS[1]]
    half = _run("items_match", record("s", None, [_conf("Order 7", items=names_only)]))
    assert half.score == 0.75
    bare = _run("items_match", record("s", None, [_conf("Order 7")]))
    assert bare.score == 0.0 and bare.value.startswith("no items in the confirmation")
    total = _run(
        "total_matches",
        record("s", None, [_conf("Order 7", total=Fact(value=pln("227.00"), snippet="Total 227,00 zł"))]),
    )
    assert total.score == 1.0 and "showed none" in total.value
    assert _run("total_matches", record("s", None, [_conf("Order 7")])).score == 0.0
