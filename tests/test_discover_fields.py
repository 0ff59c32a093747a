"""Field classification in six languages, one checkout page per language built from the markup patterns of
real checkouts, each exercising a different signal: autocomplete (WooCommerce, en), names because labels are
not tied to their inputs (a Bootstrap-grid form, pl), labels over bracketed names (OpenMage, de), labels over
meaningless names (1C-Bitrix, ru), placeholders only (a Ukrainian one-page order form), labels (zh).
The pages are scanned in real Chromium, so labels resolve as the browser resolves them."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from auditor.discover.fields import FieldInfo, classify_field
from auditor.discover.lexicon import lexicon
from auditor.discover.scan import scan
from auditor.shopper import launch_browser

in_module_loop = pytest.mark.asyncio(loop_scope="module")

# WooCommerce's billing form: labels tied by for=, autocomplete on every field.
EN = """<form class="checkout woocommerce-checkout">
<p class="form-row"><label for="billing_first_name">First name <abbr class="required">*</abbr></label>
<input type="text" class="input-text" name="billing_first_name" id="billing_first_name" autocomplete="given-name"></p>
<p class="form-row"><label for="billing_last_name">Last name <abbr class="required">*</abbr></label>
<input type="text" name="billing_last_name" id="billing_last_name" autocomplete="family-name"></p>
<p class="form-row"><label for="billing_address_1">Street address</label>
<input type="text" name="billing_address_1" id="billing_address_1" placeholder="House number and street name"
 autocomplete="address-line1"></p>
<p class="form-row"><label for="billing_address_2" class="screen-reader-text">Apartment, suite, unit, etc.</label>
<input type="text" name="billing_address_2" id="billing_address_2" autocomplete="address-line2"></p>
<p class="form-row"><label for="billing_city">Town / City</label>
<input type="text" name="billing_city" id="billing_city" autocomplete="address-level2"></p>
<p class="form-row"><label for="billing_postcode">Postcode / ZIP</label>
<input type="text" name="billing_postcode" id="billing_postcode" autocomplete="postal-code"></p>
<p class="form-row"><label for="billing_phone">Phone</label>
<input type="tel" name="billing_phone" id="billing_phone" autocomplete="tel"></p>
<p class="form-row"><label for="billing_email">Email address</label>
<input type="email" name="billing_email" id="billing_email" autocomplete="email username"></p>
<p class="form-row"><label for="order_comments">Order notes</label>
<textarea name="order_comments" id="order_comments" placeholder="Notes about your order"></textarea></p>
</form>"""

# A Polish address form in a Bootstrap grid, written for this test: each label sits in a sibling column, not
# tied to its input (a common theme layout), so the input names decide.
PL = """<form><section class="form-fields">
<div class="form-group row"><label class="col-md-3 form-control-label required">Imię</label>
<div class="col-md-6"><input class="form-control" name="firstname" type="text" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label required">Nazwisko</label>
<div class="col-md-6"><input class="form-control" name="lastname" type="text" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label required">E-mail</label>
<div class="col-md-6"><input class="form-control" name="email" type="email" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label required">Adres</label>
<div class="col-md-6"><input class="form-control" name="street" type="text" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label required">Kod pocztowy</label>
<div class="col-md-6"><input class="form-control" name="postcode" type="text" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label required">Miasto</label>
<div class="col-md-6"><input class="form-control" name="city" type="text" required></div></div>
<div class="form-group row"><label class="col-md-3 form-control-label">Telefon</label>
<div class="col-md-6"><input class="form-control" name="phone" type="tel"></div></div>
</section></form>"""

# OpenMage (Magento 1) onepage checkout's billing form (checkout/onepage/billing.phtml, customer/widget/name.phtml)
# with the German locale pack's labels: ids "billing:x", names in brackets, labels tied by for=.
DE = """<ul class="form-list"><li class="fields">
<div class="field name-firstname"><label for="billing:firstname" class="required"><em>*</em>Vorname</label>
<div class="input-box"><input type="text" id="billing:firstname" name="billing[firstname]" title="Vorname"
 class="input-text required-entry"></div></div>
<div class="field name-lastname"><label for="billing:lastname" class="required"><em>*</em>Nachname</label>
<div class="input-box"><input type="text" id="billing:lastname" name="billing[lastname]" title="Nachname"
 class="input-text required-entry"></div></div></li>
<li><label for="billing:email" class="required"><em>*</em>E-Mail-Adresse</label>
<div class="input-box"><input type="text" name="billing[email]" id="billing:email" title="E-Mail-Adresse"
 class="input-text validate-email required-entry"></div></li>
<li class="wide"><label for="billing:street1" class="required"><em>*</em>Adresse</label>
<div class="input-box"><input type="text" title="Straße" name="billing[street][]" id="billing:street1"
 class="input-text required-entry"></div></li>
<li><label for="billing:city" class="required"><em>*</em>Stadt</label>
<div class="input-box"><input type="text" title="Stadt" name="billing[city]" class="input-text required-entry"
 id="billing:city"></div></li>
<li><label for="billing:postcode" class="required"><em>*</em>PLZ</label>
<div class="input-box"><input type="text" title="PLZ" name="billing[postcode]" id="billing:postcode"
 class="input-text validate-zip-international required-entry"></div></li>
<li><label for="billing:country_id" class="required"><em>*</em>Land</label>
<div class="input-box"><select name="billing[country_id]" id="billing:country_id" class="validate-select"
 title="Land"><option value=""></option><option value="DE" selected>Deutschland</option></select></div></li>
<li><label for="billing:telephone" class="required"><em>*</em>Telefon</label>
<div class="input-box"><input type="text" name="billing[telephone]" title="Telefon" class="input-text required-entry"
 id="billing:telephone"></div></li>
</ul>"""

# 1C-Bitrix sale.order.ajax: property fields named ORDER_PROP_N, so only the labels say what they are.
RU = """<div id="bx-soa-properties"><div class="bx-soa-customer">
<div class="form-group bx-soa-customer-field"><label for="soa-property-1" class="bx-soa-custom-label">Ф.И.О.</label>
<input type="text" id="soa-property-1" name="ORDER_PROP_1" class="form-control"></div>
<div class="form-group bx-soa-customer-field"><label for="soa-property-2" class="bx-soa-custom-label">E-Mail</label>
<input type="text" id="soa-property-2" name="ORDER_PROP_2" class="form-control"></div>
<div class="form-group bx-soa-customer-field"><label for="soa-property-3" class="bx-soa-custom-label">Телефон</label>
<input type="text" id="soa-property-3" name="ORDER_PROP_3" class="form-control"></div>
<div class="form-group bx-soa-customer-field"><label for="soa-property-4" class="bx-soa-custom-label">Индекс</label>
<input type="text" id="soa-property-4" name="ORDER_PROP_4" class="form-control"></div>
<div class="form-group bx-soa-customer-field"><label for="soa-property-5" class="bx-soa-custom-label">Город</label>
<input type="text" id="soa-property-5" name="ORDER_PROP_5" class="form-control"></div>
<div class="form-group bx-soa-customer-field"><label for="soa-property-7" class="bx-soa-custom-label">
Адрес доставки</label><textarea id="soa-property-7" name="ORDER_PROP_7" class="form-control"></textarea></div>
</div></div>"""

# A Ukrainian one-page order form: no labels at all, placeholders only, generic names.
UK = """<form class="checkout-form">
<input type="text" name="field_1" placeholder="Прізвище">
<input type="text" name="field_2" placeholder="Ім'я">
<input type="text" name="field_3" placeholder="По батькові">
<input type="tel" name="field_4" placeholder="+380 (__) ___-__-__">
<input type="text" name="field_5" placeholder="Електронна пошта">
<input type="text" name="field_6" placeholder="Місто">
<input type="text" name="field_7" placeholder="Відділення Нової Пошти">
</form>"""

# A Chinese shop's address form: labels tied by for=, pinyin-free ids.
ZH = """<form class="address-form">
<label for="consignee">收货人</label><input id="consignee" name="consignee" type="text">
<label for="mobile">手机号码</label><input id="mobile" name="mobile" type="text">
<label for="region">所在城市</label><input id="region" name="region" type="text">
<label for="detail">详细地址</label><input id="detail" name="detail" type="text">
<label for="zip">邮政编码</label><input id="zip" name="zip" type="text">
<label for="mail">电子邮箱</label><input id="mail" name="mail" type="text">
</form>"""

PAGES = {
    "en": (
        EN,
        {
            "billing_first_name": ("first_name", "autocomplete"),
            "billing_last_name": ("last_name", "autocomplete"),
            "billing_address_1": ("line1", "autocomplete"),
            "billing_address_2": ("line2", "autocomplete"),
            "billing_city": ("city", "autocomplete"),
            "billing_postcode": ("postcode", "autocomplete"),
            "billing_phone": ("phone", "autocomplete"),
            "billing_email": ("email", "autocomplete"),
            "order_comments": ("message", "name"),  # "Order notes" says nothing; the name says comments
        },
    ),
    "pl": (
        PL,
        {
            "firstname": ("first_name", "name"),
            "lastname": ("last_name", "name"),
            "email": ("email", "type"),
            "street": ("line1", "name"),
            "postcode": ("postcode", "name"),
            "city": ("city", "name"),
            "phone": ("phone", "name"),
        },
    ),
    "de": (
        DE,
        {
            "billing[firstname]": ("first_name", "label"),
            "billing[lastname]": ("last_name", "label"),
            "billing[email]": ("email", "label"),
            "billing[street][]": ("line1", "name"),  # "Adresse" alone could be any address; the name says street
            "billing[city]": ("city", "label"),
            "billing[postcode]": ("postcode", "label"),
            "billing[country_id]": ("country", "label"),
            "billing[telephone]": ("phone", "label"),
        },
    ),
    "ru": (
        RU,
        {
            "ORDER_PROP_1": ("full_name", "label"),
            "ORDER_PROP_2": ("email", "label"),
            "ORDER_PROP_3": ("phone", "label"),
            "ORDER_PROP_4": ("postcode", "label"),
            "ORDER_PROP_5": ("city", "label"),
            "ORDER_PROP_7": ("line1", "label"),
        },
    ),
    "uk": (
        UK,
        {
            "field_1": ("last_name", "placeholder"),
            "field_2": ("first_name", "placeholder"),
            "field_3": (None, None),  # patronymic: nothing of ours to put there
            "field_4": ("phone", "type"),
            "field_5": ("email", "placeholder"),
            "field_6": ("city", "placeholder"),
            "field_7": (None, None),  # a Nova Poshta branch: left to a human
        },
    ),
    "zh": (
        ZH,
        {
            "consignee": ("full_name", "label"),
            "mobile": ("phone", "label"),
            "region": ("city", "label"),
            "detail": ("line1", "label"),
            "zip": ("postcode", "label"),
            "mail": ("email", "label"),
        },
    ),
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def page() -> AsyncIterator[Page]:
    async with launch_browser() as browser:
        b: Browser = browser
        context = await b.new_context()
        yield await context.new_page()
        await context.close()


@in_module_loop
@pytest.mark.parametrize("language", PAGES)
async def test_each_field_is_classified_by_the_signal_its_page_gives(page: Page, language: str) -> None:
    html, expected = PAGES[language]
    await page.set_content(f"<!doctype html><html lang={language}><body>{html}</body></html>")
    found = {}
    for control in (await scan(page)).controls:
        guess = classify_field(control)
        found[control.name] = (guess.kind, guess.signal.split(" ")[0].split("=")[0]) if guess else (None, None)
    assert found == expected


def test_autocomplete_wins_over_a_misleading_label_and_sections_are_skipped() -> None:
    info = FieldInfo(label="Name", autocomplete="section-ship shipping family-name", name="n1")
    guess = classify_field(info)
    assert guess is not None and (guess.kind, guess.signal) == ("last_name", "autocomplete=family-name")


def test_the_full_name_is_not_mistaken_for_a_surname() -> None:
    for label in ("Imię i nazwisko", "ФИО", "Ім'я та прізвище", "姓名", "Full name"):
        guess = classify_field(FieldInfo(label=label))
        assert guess is not None and guess.kind == "full_name", label


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("add_to_cart", ["Add to cart", "Do koszyka", "In den Warenkorb", "В корзину", "До кошика", "加入购物车"]),
        ("checkout", ["Proceed to checkout", "Przejdź do kasy", "Zur Kasse", "Оформить заказ", "Оформити замовлення",
                      "去结算"]),
        ("continue", ["Continue", "Dalej", "Weiter", "Далее", "Далі", "下一步"]),
        ("place_order", ["Place order", "Zamawiam i płacę", "Zahlungspflichtig bestellen", "Подтвердить заказ",
                         "Підтвердити замовлення", "提交订单"]),
    ],
)  # fmt: skip
def test_buttons_are_named_in_six_languages(kind: str, names: list[str]) -> None:
    lex = lexicon()
    languages = [lex.is_action(kind, name) for name in names]
    assert [m.language if m else None for m in languages] == ["en", "pl", "de", "ru", "uk", "zh"]


def test_continue_shopping_is_not_a_checkout_step() -> None:
    lex = lexicon()
    for name in ("Continue shopping", "Kontynuuj zakupy", "Weiter einkaufen", "Продолжить покупки", "继续购物"):
        assert lex.is_action("continue", name) is None, name
