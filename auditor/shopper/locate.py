"""Turn a scenario LocatorSpec into a Playwright locator, rendering templates in it."""

from collections.abc import Callable

from playwright.async_api import Locator, Page

from auditor.models.steps import LocatorSpec


def locate(root: Page | Locator, spec: LocatorSpec, render: Callable[[str], str] = str) -> Locator:
    """All matches of ``spec`` under ``root``; ``nth`` picks one, otherwise the caller decides."""
    if spec.css is not None:
        loc = root.locator(render(spec.css))
    elif spec.role is not None:
        name = render(spec.name) if spec.name is not None else None
        loc = root.get_by_role(spec.role, name=name, exact=spec.exact)  # type: ignore[arg-type]
    elif spec.text is not None:
        loc = root.get_by_text(render(spec.text), exact=spec.exact)
    elif spec.label is not None:
        loc = root.get_by_label(render(spec.label), exact=spec.exact)
    elif spec.test_id is not None:
        loc = root.get_by_test_id(render(spec.test_id))
    elif spec.placeholder is not None:
        loc = root.get_by_placeholder(render(spec.placeholder), exact=spec.exact)
    else:
        loc = root.get_by_alt_text(render(spec.alt or ""), exact=spec.exact)
    return loc.nth(spec.nth) if spec.nth is not None else loc
