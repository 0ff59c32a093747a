"""schema.org ``Order`` and ``ParcelDelivery`` markup, from JSON-LD or microdata.

Gmail and others show order cards from this markup; one major platform adds
it by default. The value keeps the fields a check needs (number, status,
offers, carrier, tracking, arrival window) and says where it came from.
"""

import json
import re
from typing import Any

from auditor.analysis.document import MicroItem
from auditor.models.evidence import Fact

WANTED = {"order", "parceldelivery"}
MAX_OBJECTS = 50


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").rstrip("/").rsplit("/", 1)[-1]


def _walk(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 12 or len(out) >= MAX_OBJECTS:
        return
    if isinstance(node, list):
        for child in node:
            _walk(child, out, depth + 1)
    elif isinstance(node, dict):
        if _type_name(node.get("@type")).lower() in WANTED:
            out.append(node)
            return  # its nested Order/ParcelDelivery (partOfOrder, orderDelivery) is part of this one
        for key, child in node.items():
            if key != "@context" and isinstance(child, (list, dict)):
                _walk(child, out, depth + 1)


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("name") or value.get("@id")
    return str(value) if value else None


def _offers(value: Any) -> list[dict[str, Any]]:
    offers = value if isinstance(value, list) else [value] if value else []
    out = []
    for offer in offers:
        if not isinstance(offer, dict):
            continue
        item = offer.get("itemOffered")
        out.append(
            {
                "name": _name(item),
                "price": offer.get("price"),
                "priceCurrency": offer.get("priceCurrency"),
                "quantity": (offer.get("eligibleQuantity") or {}).get("value")
                if isinstance(offer.get("eligibleQuantity"), dict)
                else None,
            }
        )
    return out


def _summary(obj: dict[str, Any]) -> dict[str, Any]:
    kind = _type_name(obj.get("@type"))
    value: dict[str, Any] = {"type": kind}
    if kind.lower() == "order":
        value.update(
            orderNumber=obj.get("orderNumber"),
            orderStatus=_type_name(obj.get("orderStatus")) or None,
            merchant=_name(obj.get("merchant") or obj.get("seller")),
            acceptedOffer=_offers(obj.get("acceptedOffer")),
            price=obj.get("price") or obj.get("totalPrice"),
            priceCurrency=obj.get("priceCurrency"),
            orderDate=obj.get("orderDate"),
            url=obj.get("url"),
        )
        delivery = obj.get("orderDelivery")
        if isinstance(delivery, dict):
            value["orderDelivery"] = _summary({**delivery, "@type": "ParcelDelivery"})
    else:
        part_of = obj.get("partOfOrder")
        value.update(
            carrier=_name(obj.get("carrier") or obj.get("provider")),
            trackingNumber=obj.get("trackingNumber"),
            trackingUrl=obj.get("trackingUrl"),
            expectedArrivalFrom=obj.get("expectedArrivalFrom"),
            expectedArrivalUntil=obj.get("expectedArrivalUntil"),
            deliveryAddress=bool(obj.get("deliveryAddress")),
            orderNumber=part_of.get("orderNumber") if isinstance(part_of, dict) else None,
            orderStatus=_type_name(part_of.get("orderStatus")) if isinstance(part_of, dict) else None,
        )
    return {k: v for k, v in value.items() if v not in (None, [], "")}


def from_jsonld(blocks: list[str]) -> tuple[list[Fact], list[str]]:
    """Facts for each Order/ParcelDelivery in the JSON-LD blocks, and problems with blocks that did not parse."""
    facts: list[Fact] = []
    problems: list[str] = []
    for i, block in enumerate(blocks):
        text = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", block.strip())
        if not text:
            continue
        try:
            data = json.loads(text)
        except ValueError as exc:
            problems.append(f"JSON-LD block {i + 1} is not valid JSON: {exc}")
            continue
        found: list[dict[str, Any]] = []
        _walk(data, found)
        for obj in found:
            facts.append(Fact(value=_summary(obj), snippet=json.dumps(obj, ensure_ascii=False)[:300], source="jsonld"))
    return facts, problems


def from_microdata(items: list[MicroItem]) -> list[Fact]:
    """Facts for microdata items whose itemtype is Order or ParcelDelivery (top-level properties only)."""
    facts = []
    for item in items[:MAX_OBJECTS]:
        kind = _type_name(item.itemtype)
        if kind.lower() not in WANTED:
            continue
        obj: dict[str, Any] = {"@type": kind, **item.props}
        facts.append(
            Fact(value=_summary(obj), snippet=f"itemtype={item.itemtype} {item.props}"[:300], source="microdata")
        )
    return facts


def schema_types(facts: list[Fact]) -> list[tuple[str, str | None]]:
    """(type, orderStatus) pairs, for the kind classifier."""
    return [(f.value.get("type", ""), f.value.get("orderStatus")) for f in facts]
