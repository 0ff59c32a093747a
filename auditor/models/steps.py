"""The steps of the scenario language, shared by scenarios and store profiles.

A step is a one-key mapping (``- visit: /``, ``- add_to_cart: {product: headphones}``).
High-level steps (``add_to_cart``, ``checkout``, ``place_order``, ``ask_question``,
``do``) are expanded by the store's profile into primitive steps (``visit``,
``click``, ``fill``...), so one scenario serves many stores. The reference for
users is ``docs/scenarios.md``; keep it in step with this module.
"""

import re
from collections.abc import Iterator
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from auditor.models.evidence import MessageKind

# ---------------------------------------------------------------- templates

# ``{{`` / ``}}`` (literal braces) or ``{dotted.name}``: one pattern, so escapes are never read as references.
REFERENCE = re.compile(r"\{\{|\}\}|\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\}")
RUN_FIELDS = ("id", "address")
STORE_FIELDS = ("id", "name", "base_url", "locale", "currency")


def references(text: str) -> list[str]:
    """The ``{dotted.names}`` a value refers to; ``{{`` and ``}}`` are literal braces."""
    return [m.group(1) for m in REFERENCE.finditer(text) if m.group(1)]


def _model_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every dotted field path of ``model`` (and its public properties), for checking references."""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        out.add(prefix + name)
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            out |= _model_paths(info.annotation, f"{prefix}{name}.")
    for name in dir(model):
        if not name.startswith("_") and isinstance(getattr(model, name, None), property):
            out.add(prefix + name)
    return out


def reference_problem(ref: str, *, params_allowed: bool) -> str | None:
    """Why ``{ref}`` cannot be resolved, or None when it can (by the models' fields, not live data)."""
    from auditor.models.persona import Persona  # late: persona has no reason to know about scenarios

    head, _, rest = ref.partition(".")
    if head == "persona":
        if rest not in _model_paths(Persona):
            return f"persona has no field '{rest}'" if rest else "use a persona field: {persona.first_name}"
        return None
    if head == "run":
        return None if rest in RUN_FIELDS else f"run has no field '{rest}' (known: {', '.join(RUN_FIELDS)})"
    if head == "store":
        return None if rest in STORE_FIELDS else f"store has no field '{rest}' (known: {', '.join(STORE_FIELDS)})"
    if params_allowed:
        return None
    return (
        f"'{{{ref}}}' is not a persona, run or store field; "
        "step parameters like it are only known inside a store profile"
    )


def strings_in(value: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Every string inside plain data, with its location (for reference checks)."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings_in(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings_in(v, (*loc, i))


def raise_at(title: str, problems: list[tuple[tuple[int | str, ...], str, str]]) -> None:
    """Raise one ValidationError whose errors point at the exact fields (so files get line numbers)."""
    if problems:
        raise ValidationError.from_exception_data(
            title,
            [
                InitErrorDetails(
                    type=PydanticCustomError("reference", "{reason}", {"reason": reason}), loc=loc, input=text
                )
                for loc, text, reason in problems
            ],
        )


# ---------------------------------------------------------------- locators

_LOCATOR_KINDS = ("css", "role", "text", "label", "test_id", "placeholder", "alt")


def _shorthand(short: str | None) -> Any:
    """JSON Schema that accepts what users may write: the mapping, a string shorthand, or nothing."""

    def extra(schema: dict[str, Any]) -> None:
        obj = dict(schema)
        title = obj.pop("title", None)
        options: list[dict[str, Any]] = [obj]
        if short is not None:
            options.insert(0, {"type": "string", "description": short})
        elif not obj.get("required"):
            options.append({"type": "null"})
        schema.clear()
        schema.update(title=title, anyOf=options)

    return extra


_string_or_object = _shorthand("CSS selector")

_INLINE_LOCATOR_PROPS: dict[str, dict[str, Any]] = {
    **{k: {"type": "string"} for k in ("css", "role", "name", "text", "label", "test_id", "placeholder", "alt")},
    "exact": {"type": "boolean"},
    "nth": {"type": "integer", "minimum": 0},
}


def _inline_locator(short: str | None) -> Any:
    """JSON Schema for args with a locator, which may also be written inline or as a CSS string."""
    wrap = _shorthand(short)

    def extra(schema: dict[str, Any]) -> None:
        props = schema.setdefault("properties", {})
        for key, prop in _INLINE_LOCATOR_PROPS.items():
            props.setdefault(key, prop)
        required = [r for r in schema.pop("required", []) if r != "locator"]
        if required:
            schema["required"] = required
        wrap(schema)

    return extra


class LocatorSpec(BaseModel):
    """A Playwright locator: exactly one of css, role (+ name), text, label, test_id, placeholder, alt.
    A plain string is CSS."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_string_or_object)

    @model_validator(mode="before")
    @classmethod
    def _css_string(cls, data: Any) -> Any:
        return {"css": data} if isinstance(data, str) else data

    css: str | None = None
    role: str | None = None
    name: str | None = Field(default=None, description="accessible name, with role")
    text: str | None = None
    label: str | None = None
    test_id: str | None = None
    placeholder: str | None = None
    alt: str | None = None
    exact: bool = Field(default=False, description="match name/text/label exactly, not as a substring")
    nth: int | None = Field(default=None, description="which match to use when several match (0 = first)")

    @model_validator(mode="after")
    def _one_kind(self) -> "LocatorSpec":
        given = [k for k in _LOCATOR_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"a locator needs exactly one of {', '.join(_LOCATOR_KINDS)}; got {given or 'none'}")
        if self.name is not None and self.role is None:
            raise ValueError("'name' only goes with 'role'")
        return self

    def describe(self) -> str:
        kind = next(k for k in _LOCATOR_KINDS if getattr(self, k) is not None)
        out = f"{kind}={getattr(self, kind)!r}"
        if self.name is not None:
            out += f" name={self.name!r}"
        return out + (f" nth={self.nth}" if self.nth is not None else "")


Locator = LocatorSpec
"""Written as a CSS string or a mapping; always a LocatorSpec once loaded."""


def describe_locator(locator: Locator) -> str:
    return locator.describe()


class _Args(BaseModel):
    """Arguments of one step kind; unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid")


class _LocatorArgs(_Args):
    """Args with a ``locator``; locator keys may be written inline (``click: {role: button, name: Buy}``)
    and a bare string is a CSS locator (``click: "#buy"``)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_inline_locator("CSS selector of the element"))

    locator: Locator

    @model_validator(mode="before")
    @classmethod
    def _inline_locator(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"locator": data}
        if isinstance(data, dict) and "locator" not in data:
            inline = {k: v for k, v in data.items() if k in LocatorSpec.model_fields and k not in cls.model_fields}
            if inline:
                rest = {k: v for k, v in data.items() if k not in inline}
                return {**rest, "locator": inline}
        return data


# ---------------------------------------------------------------- primitive steps


class VisitArgs(_Args):
    """Open a page; a path is relative to the store's ``base_url`` (``/`` is the store's home)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_shorthand("URL or path"))

    url: str

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"url": data} if isinstance(data, str) else data


class ClickArgs(_LocatorArgs):
    submits: Literal["order", "question"] | None = Field(
        default=None,
        description="this click sends the order or the question: the journal's order_submitted/question_sent",
    )
    retry_covered: int = Field(
        default=0,
        ge=0,
        le=10,
        description="when the target stays covered (an overlay, a panel still moving) past the action timeout, "
        "wait for the network to go quiet and the target to be stable, then try again, this many times; "
        "a covered click never reached the page, so retrying cannot send anything twice",
    )
    idle: bool = Field(default=False, description="after the click, wait for the network to go quiet (AJAX steps)")


class FillArgs(_LocatorArgs):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_inline_locator(None))

    value: str


class SelectArgs(_LocatorArgs):
    """Choose an option of a ``<select>`` by its value or its visible label."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_inline_locator(None))

    value: str | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _one(self) -> "SelectArgs":
        if (self.value is None) == (self.label is None):
            raise ValueError("select needs exactly one of 'value' or 'label'")
        return self


class CheckArgs(_LocatorArgs):
    checked: bool = True


class ConsentArgs(_LocatorArgs):
    """A marketing-consent checkbox: ticked only when the persona consents."""


class WaitForUrlArgs(_Args):
    """Wait until the page's URL matches a glob (``**/thank-you/``) or a regular expression."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_shorthand("URL glob"))

    url: str | None = None
    regex: str | None = None
    timeout: float = Field(default=15, gt=0, description="seconds")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"url": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one(self) -> "WaitForUrlArgs":
        if (self.url is None) == (self.regex is None):
            raise ValueError("wait_for_url needs exactly one of 'url' or 'regex'")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"bad regex: {exc}") from None
        return self


class WaitForArgs(_LocatorArgs):
    """Wait until an element is ready to act on: shown, enabled and no longer moving.

    AJAX checkouts slide the next panel open while its fields load: acting on it mid-animation
    clicks beside the button or types into a field that is about to be replaced. ``stable``
    waits until no finite animation runs on the element or its ancestors and its box stayed put
    for ``quiet`` seconds."""

    state: Literal["visible", "attached", "hidden", "detached"] = Field(
        default="visible", description="visible (default), attached, hidden or detached"
    )
    enabled: bool = Field(default=True, description="with state visible: not disabled (nor in a disabled fieldset)")
    stable: bool = Field(default=True, description="with state visible: no running animation, box unchanged")
    quiet: float = Field(default=0.1, ge=0, le=5, description="seconds the box must stay unchanged")
    timeout: float = Field(default=15, gt=0, description="seconds")


class WaitForIdleArgs(_Args):
    """Wait until no request of the page has been pending for ``quiet`` seconds (an AJAX step finished)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_shorthand(None))

    quiet: float = Field(default=0.5, ge=0, le=10, description="seconds without a pending request")
    timeout: float = Field(default=15, gt=0, description="seconds")


class FieldSpec(_LocatorArgs):
    """Where one value is on the page; ``pattern``'s first group (or whole match) narrows the text."""

    pattern: str | None = None
    attribute: str | None = Field(default=None, description="read this attribute instead of the text")

    @model_validator(mode="after")
    def _pattern_compiles(self) -> "FieldSpec":
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"bad pattern: {exc}") from None
        return self


class ItemsSpec(_Args):
    """Order lines: a ``row`` locator, and fields located within each row."""

    row: Locator
    name: FieldSpec
    quantity: FieldSpec | None = None
    unit_price: FieldSpec | None = None
    line_total: FieldSpec | None = Field(
        default=None, description="price × quantity as shown; the unit price is derived from it when not shown"
    )


class ExtractArgs(_Args):
    """Read what the page shows into the journal; anything not located or not shown is recorded as unknown."""

    order_number: FieldSpec | None = None
    items: ItemsSpec | None = None
    total: FieldSpec | None = None
    currency: FieldSpec | None = None
    delivery_estimate: FieldSpec | None = None
    event: str | None = Field(
        default=None,
        description="journal event kind; default order_shown once the order was submitted, else cart_shown",
    )


class ExpectArgs(_Args):
    """Assert the page shows something: a locator, a text, and/or a URL glob; fails the run otherwise.
    A bare string is a CSS locator; ``text`` with a locator means "that element, containing this text"."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_inline_locator("CSS selector that must be visible"))

    locator: Locator | None = None
    text: str | None = None
    url: str | None = None
    timeout: float = Field(default=5, gt=0, description="seconds")

    @model_validator(mode="before")
    @classmethod
    def _inline(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"locator": data}
        if isinstance(data, dict) and "locator" not in data:
            inline = {k: v for k, v in data.items() if k in LocatorSpec.model_fields and k not in cls.model_fields}
            if inline:
                return {**{k: v for k, v in data.items() if k not in inline}, "locator": inline}
        return data

    @model_validator(mode="after")
    def _something(self) -> "ExpectArgs":
        if self.locator is None and self.text is None and self.url is None:
            raise ValueError("expect needs a locator, a text or a url")
        return self


class ScreenshotArgs(_Args):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_shorthand("file name stem"))
    name: str = Field(pattern=r"^[\w.-]+$", description="file name stem under the run's folder")
    full_page: bool = True

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class WaitForMailArgs(_Args):
    """Hand over to the mailbox: return when every kind arrived and ``settle`` s passed quietly,
    or when ``timeout`` s ran out."""

    kinds: list[MessageKind] = Field(min_length=1)
    timeout: float = Field(default=30, gt=0, description="seconds")
    settle: float = Field(default=5, ge=0, description="seconds of quiet after the last expected kind")


# ---------------------------------------------------------------- high-level steps


class _HighArgs(BaseModel):
    """High-level step args become ``{name}`` parameters of the profile's steps; extra keys are allowed."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_shorthand(None))


class AddToCartArgs(_HighArgs):
    product: str = Field(description="a key of the store's products, or what the profile expects")
    quantity: int = Field(default=1, ge=1)


class CheckoutArgs(_HighArgs):
    pass


class PlaceOrderArgs(_HighArgs):
    pass


class AskQuestionArgs(_HighArgs):
    text: str
    subject: str = "Question about my order"


class DoArgs(_HighArgs):
    """Run any step the store's profile defines: ``- do: {step: subscribe_newsletter}``."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_shorthand("profile entry name"))

    step: str = Field(pattern=r"^[A-Za-z_]\w*$")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"step": data} if isinstance(data, str) else data


# ---------------------------------------------------------------- steps


class PrimitiveStep(BaseModel):
    """One primitive step: exactly one of the keys below. Store profiles are made of these."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1, "maxProperties": 2})
    params_allowed: ClassVar[bool] = True

    visit: VisitArgs | None = None
    click: ClickArgs | None = None
    fill: FillArgs | None = None
    select: SelectArgs | None = None
    check: CheckArgs | None = None
    consent: ConsentArgs | None = None
    wait_for_url: WaitForUrlArgs | None = None
    extract: ExtractArgs | None = None
    expect: ExpectArgs | None = None
    screenshot: ScreenshotArgs | None = None
    wait_for: WaitForArgs | None = None
    wait_for_idle: WaitForIdleArgs | None = None
    when: Locator | None = Field(
        default=None,
        description="a modifier beside the step's kind: run the step only if this locator matches a visible "
        "element at that moment, else skip it (a guest-checkout choice some stores show and others do not)",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {data: {}}
        if not isinstance(data, dict):
            raise ValueError("a step is a one-key mapping like 'visit: /'")
        if len(data) > 1:  # a dump of a step lists every kind, the unused ones as None
            data = {k: v for k, v in data.items() if v is not None} or data
        modifiers = {k: data[k] for k in MODIFIERS if k in data}
        data = {k: v for k, v in data.items() if k not in MODIFIERS}
        kinds = [k for k in cls.model_fields if k not in MODIFIERS]
        unknown = [k for k in data if k not in kinds]
        if unknown:
            raise ValueError(f"unknown step kind '{unknown[0]}' (known: {', '.join(kinds)})")
        if len(data) != 1:
            raise ValueError(f"a step has exactly one kind, got {', '.join(data) or 'none'}")
        return {**{k: ({} if v is None else v) for k, v in data.items()}, **modifiers}

    @model_validator(mode="after")
    def _when_on_primitives(self) -> "PrimitiveStep":
        if self.when is not None and self.kind not in PRIMITIVE_KINDS:
            raise ValueError(f"'when' goes only with a primitive step ({', '.join(PRIMITIVE_KINDS)}), not {self.kind}")
        return self

    @model_validator(mode="after")
    def _check_references(self) -> "PrimitiveStep":
        problems = []
        for loc, text in strings_in(self.args.model_dump(exclude_none=True), (self.kind,)):
            for ref in references(text):
                reason = reference_problem(ref, params_allowed=self.params_allowed)
                if reason:
                    problems.append((loc, text, reason))
        raise_at(type(self).__name__, problems)
        return self

    @model_serializer(mode="wrap")
    def _only_the_kind(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump as written: ``{"visit": {...}}``, not every kind with None."""
        return {k: v for k, v in handler(self).items() if k == self.kind or (k in MODIFIERS and v is not None)}

    @property
    def kind(self) -> str:
        return next(k for k in type(self).model_fields if k not in MODIFIERS and getattr(self, k) is not None)

    @property
    def args(self) -> BaseModel:
        return getattr(self, self.kind)


HIGH_LEVEL_KINDS = ("add_to_cart", "checkout", "place_order", "ask_question", "do")
MODIFIERS = ("when",)
PRIMITIVE_KINDS = tuple(k for k in PrimitiveStep.model_fields if k not in MODIFIERS)


class Step(PrimitiveStep):
    """A scenario step: a primitive step, a high-level one the store profile expands, or wait_for_mail.

    Its values may use persona, run and store fields but no bare ``{parameters}``: those exist only
    inside a store profile, filled from the scenario step being expanded."""

    params_allowed: ClassVar[bool] = False

    add_to_cart: AddToCartArgs | None = None
    checkout: CheckoutArgs | None = None
    place_order: PlaceOrderArgs | None = None
    ask_question: AskQuestionArgs | None = None
    do: DoArgs | None = None
    wait_for_mail: WaitForMailArgs | None = None

    @property
    def profile_step(self) -> str | None:
        """The profile entry this step expands to, or None for a step run as written."""
        if self.do is not None:
            return self.do.step
        return self.kind if self.kind in HIGH_LEVEL_KINDS else None

    @property
    def params(self) -> dict[str, Any]:
        """Parameters handed to the profile's steps (``{product}``, ``{text}``...)."""
        return self.args.model_dump(exclude={"step"}) if self.profile_step else {}
