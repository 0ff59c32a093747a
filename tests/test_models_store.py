"""Store profiles as typed data: each entry is a list of primitive steps, products map scenario names."""

import pytest
from pydantic import ValidationError

from auditor.models import Store


def test_a_profile_is_parsed_into_primitive_steps() -> None:
    store = Store.model_validate(
        {
            "id": "oscar",
            "name": "Oscar",
            "base_url": "http://127.0.0.1:8000",
            "products": {"poster": {"url": "/catalogue/poster_1/"}, "book": {"url": "/catalogue/book_2/"}},
            "profile": {
                "add_to_cart": [{"visit": "{product.url}"}, {"click": "#add_to_basket_form button[type=submit]"}],
                "checkout": [{"check": {"css": "input[name=options][value=anonymous]"}}],
            },
        }
    )
    assert [s.kind for s in store.profile["add_to_cart"]] == ["visit", "click"]
    assert store.profile["checkout"][0].check is not None and store.profile["checkout"][0].check.checked
    assert store.products["book"] == {"url": "/catalogue/book_2/"}
    again = Store.model_validate(store.model_dump(mode="json"))  # what a campaign folder stores and reloads
    assert again == store


def test_typos_in_a_store_are_errors_not_silently_ignored() -> None:
    with pytest.raises(ValidationError) as caught:
        Store.model_validate({"id": "s", "name": "S", "base_url": "http://x", "real_mony": True})
    assert caught.value.errors()[0]["loc"] == ("real_mony",)


def test_products_must_have_what_the_profile_reads_from_them() -> None:
    with pytest.raises(ValidationError) as caught:
        Store.model_validate(
            {
                "id": "s",
                "name": "S",
                "base_url": "http://x",
                "products": {"poster": {"url": "/p/1"}, "book": "book_2", "pen": {"name": "Pen"}},
                "profile": {"add_to_cart": [{"visit": "{product.url}"}, {"expect": {"text": "{product.name}"}}]},
            }
        )
    found = [(e["loc"], e["msg"]) for e in caught.value.errors()]
    assert found == [
        (("products", "poster"), "the profile uses {product.name}: give this product a mapping with 'name'"),
        (("products", "book"), "the profile uses {product.name}: give this product a mapping with 'name'"),
        (("products", "book"), "the profile uses {product.url}: give this product a mapping with 'url'"),
        (("products", "pen"), "the profile uses {product.url}: give this product a mapping with 'url'"),
    ]
