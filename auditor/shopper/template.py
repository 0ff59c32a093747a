"""Fill ``{persona.first_name}``, ``{run.address}``, ``{product}`` into step values at run time.

The syntax (and the static check of persona/run/store references) lives in
``auditor.models.steps``; this module only renders, against live values.
"""

from typing import Any

from auditor.models import Persona, Run, Store
from auditor.models.steps import REFERENCE
from auditor.shopper.errors import StepFailed


def template_context(persona: Persona, run: Run, store: Store) -> dict[str, Any]:
    """The values every step may refer to (parameters are added per high-level step)."""
    return {
        "persona": {**persona.model_dump(mode="json"), "full_name": persona.full_name},
        "run": {"id": run.id, "address": run.address},
        "store": store.model_dump(mode="json", include={"id", "name", "base_url", "locale", "currency"}),
    }


def step_params(params: dict[str, Any], store: Store, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """A scenario step's arguments as profile parameters: their own references rendered (``text: "Hi,
    {persona.first_name}"``), and ``product: headphones`` turned into what this store calls it."""
    out = {k: render(v, context) if isinstance(v, str) and context is not None else v for k, v in params.items()}
    product = params.get("product")
    if isinstance(product, str) and product in store.products:
        out["product"] = store.products[product]
    return out


def render(text: str, context: dict[str, Any]) -> str:
    """Replace each ``{dotted.name}``; ``{{``/``}}`` are literal braces. Unknown names fail the step."""

    def one(match) -> str:  # noqa: ANN001 - re.Match
        ref = match.group(1)
        if ref is None:
            return match.group(0)[0]
        value: Any = context
        for part in ref.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            else:
                raise StepFailed(f"'{{{ref}}}' has no value here (no '{part}' in {_keys(value)})")
        if isinstance(value, dict):
            raise StepFailed(f"'{{{ref}}}' is a mapping; use one of its keys: {_keys(value)}")
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    return REFERENCE.sub(one, text)


def _keys(value: Any) -> str:
    return ", ".join(sorted(value)) if isinstance(value, dict) else "a plain value"
