"""Platform detection rules, on the signals each platform's default pages are publicly known to show,
and on real pages: the demo shop (no platform) and a real django-oscar (detected in test_discover_oscar)."""

import pytest

from auditor.discover.platforms import PageSignals, detect_platform, rules

# What a default storefront page of each platform shows (one or two signals each, as a real page may).
SIGNALS = {
    "woocommerce": PageSignals(
        generator=["WooCommerce 8.5.2"], assets=["https://s.test/wp-content/plugins/woocommerce/assets/js/x.js"]
    ),
    "prestashop": PageSignals(cookies=["PrestaShop-a1b2c3d4e5f6"], globals=["prestashop"]),
    "magento": PageSignals(
        assets=["https://s.test/static/version1700000000/frontend/Magento/luma/en_US/requirejs/require.js"],
        html='<script type="text/x-magento-init">{}</script>',
    ),
    "shopware": PageSignals(
        assets=["https://s.test/bundles/storefront/storefront/js/storefront.js"], cookies=["sw-states"]
    ),
    "opencart": PageSignals(cookies=["OCSESSID"], assets=["https://s.test/catalog/view/javascript/common.js"]),
    "shopify": PageSignals(assets=["https://cdn.shopify.com/s/files/1/theme.js"], globals=["Shopify"]),
    "sylius": PageSignals(assets=["https://s.test/bundles/syliusshop/app.js"], html='<div class="sylius-flash">'),
    "idosell": PageSignals(assets=["https://s.test/gfx/pol/shop.js"], globals=["app_shop"]),
    "shoper": PageSignals(globals=["Shoper", "frontAPI"]),
    "saleor": PageSignals(generator=["Saleor"]),
    "django-oscar": PageSignals(assets=["http://s.test/static/oscar/js/oscar/ui.js"], cookies=["oscar_open_basket"]),
}


@pytest.mark.parametrize("platform", SIGNALS)
def test_each_platform_is_recognised_from_its_own_signals(platform: str) -> None:
    guess = detect_platform(SIGNALS[platform])
    assert guess.platform == platform, guess.evidence
    assert guess.evidence  # says why


def test_a_page_with_no_platform_signal_is_no_platform() -> None:
    plain = PageSignals(assets=["http://127.0.0.1/exemplary/static/headphones.svg"], cookies=["demo_session"])
    assert detect_platform(plain).platform is None


def test_one_weak_hint_is_not_enough() -> None:
    assert detect_platform(PageSignals(html="<p>we love saleor</p>")).platform is None


def test_only_platforms_driven_end_to_end_here_bring_a_bundled_profile() -> None:
    bundled = {name for name, rule in rules().items() if rule.profile}
    assert bundled == {"django-oscar"}
    assert detect_platform(SIGNALS["django-oscar"]).profile is not None
