"""schema.org Order and ParcelDelivery from JSON-LD and microdata."""

import json

from auditor.analysis.document import from_html
from auditor.analysis.schema_org import from_jsonld, from_microdata, schema_types

ORDER = {
    "@context": "https://schema.org",
    "@type": "Order",
    "merchant": {"@type": "Organization", "name": "Shop"},
    "orderNumber": "EX-1",
    "orderStatus": "https://schema.org/OrderDelivered",
    "acceptedOffer": {
        "@type": "Offer",
        "itemOffered": {"@type": "Product", "name": "Mug"},
        "price": "9.99",
        "priceCurrency": "EUR",
    },
}


def test_order_in_jsonld_with_its_offers_and_status() -> None:
    doc = from_html(f'<script type="application/ld+json">{json.dumps(ORDER)}</script><p>Hi</p>')
    facts, problems = from_jsonld(doc.jsonld)
    assert problems == []
    assert facts[0].source == "jsonld"
    assert facts[0].value["orderNumber"] == "EX-1"
    assert facts[0].value["acceptedOffer"] == [
        {"name": "Mug", "price": "9.99", "priceCurrency": "EUR", "quantity": None}
    ]
    assert schema_types(facts) == [("Order", "OrderDelivered")]


def test_parcel_delivery_in_a_graph_counts_once_with_its_order() -> None:
    graph = {
        "@graph": [
            {
                "@type": "ParcelDelivery",
                "carrier": {"name": "DHL"},
                "trackingNumber": "00340",
                "partOfOrder": {"@type": "Order", "orderNumber": "7"},
            }
        ]
    }
    facts, _ = from_jsonld([f"<!-- {json.dumps(graph)} -->"])
    assert [f.value["type"] for f in facts] == ["ParcelDelivery"]
    assert facts[0].value["carrier"] == "DHL" and facts[0].value["orderNumber"] == "7"


def test_invalid_jsonld_is_a_problem_not_a_crash() -> None:
    facts, problems = from_jsonld(['{"@type": "Order",'])
    assert facts == [] and "not valid JSON" in problems[0]


def test_microdata_order() -> None:
    doc = from_html(
        '<div itemscope itemtype="http://schema.org/Order"><meta itemprop="orderNumber" content="55">'
        '<link itemprop="orderStatus" href="http://schema.org/OrderProcessing">'
        '<div itemprop="merchant" itemscope itemtype="http://schema.org/Organization">'
        '<span itemprop="name">Shop</span></div></div>'
    )
    facts = from_microdata(doc.microdata)
    assert len(facts) == 1 and facts[0].source == "microdata"
    assert facts[0].value["orderNumber"] == "55" and facts[0].value["orderStatus"] == "OrderProcessing"
