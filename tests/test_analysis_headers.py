"""SPF/DKIM/DMARC from Authentication-Results, and List-Unsubscribe with one-click."""

from auditor.analysis.headers import authentication_results, list_unsubscribe


def test_topmost_authentication_results_win() -> None:
    headers = [
        (
            "Authentication-Results",
            "mx.example; spf=pass smtp.mailfrom=shop.example; dkim=fail header.d=shop.example;"
            " dmarc=fail (p=reject) header.from=shop.example",
        ),
        ("Authentication-Results", "relay.example; spf=softfail; dkim=pass"),
    ]
    found = authentication_results(headers)
    assert {k: f.value for k, f in found.items()} == {"spf": "pass", "dkim": "fail", "dmarc": "fail"}
    assert found["dmarc"].snippet.startswith("dmarc=fail") and found["dmarc"].source == "Authentication-Results"


def test_received_spf_is_a_fallback() -> None:
    found = authentication_results([("Received-SPF", "softfail (domain of x does not designate ...)")])
    assert found["spf"].value == "softfail"
    assert authentication_results([("Subject", "spf=pass")]) == {}


def test_list_unsubscribe_uris_and_one_click() -> None:
    fact = list_unsubscribe(
        [
            ("List-Unsubscribe", "<mailto:u@shop.example?subject=unsub>, <https://shop.example/u?id=1>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ]
    )
    assert fact is not None
    assert fact.value == {
        "uris": ["mailto:u@shop.example?subject=unsub", "https://shop.example/u?id=1"],
        "one_click": True,
    }
    assert list_unsubscribe([("Subject", "x")]) is None
