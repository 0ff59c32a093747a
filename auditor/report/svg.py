"""The few SVG pieces every chart shares: escaping, a number format, the kinds' colours and the bands' colours.

Charts are drawn here, on the server, as plain SVG text: no script, no remote
font, nothing for a report reader's browser to run or fetch (docs/reports.md
says why no charting library).
"""

from html import escape

from markupsafe import Markup

from auditor.models import band_for
from auditor.models.evidence import MessageKind

KIND_COLOURS: dict[MessageKind, str] = {
    MessageKind.order_confirmation: "#1a73e8",
    MessageKind.payment: "#0b8043",
    MessageKind.invoice: "#33691e",
    MessageKind.credit_memo: "#827717",
    MessageKind.refund: "#00796b",
    MessageKind.cancellation: "#5d4037",
    MessageKind.shipping: "#6a1b9a",
    MessageKind.delivery: "#ad1457",
    MessageKind.review_request: "#ef6c00",
    MessageKind.support_reply: "#00838f",
    MessageKind.account: "#3949ab",
    MessageKind.marketing: "#d93025",
    MessageKind.abandoned_cart: "#c2185b",
    MessageKind.other: "#616161",
}
"""Distinct hues with at least 4.5:1 contrast on white, so a legend swatch's text stays readable."""

BAND_COLOURS = {"good": "#0c6b2c", "needs-work": "#9a5b00", "poor": "#b3261e", "none": "#767676"}
BAND_FILLS = {"good": "#e6f4ea", "needs-work": "#fff4e0", "poor": "#fde7e7", "none": "#eeeeee"}


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def band_class(score: float | None) -> str:
    """'good', 'needs-work', 'poor' or 'none' (no score): the CSS classes the templates already use."""
    band = band_for(score)
    return band.value.replace("_", "-") if band else "none"


def kind_colour(kind: MessageKind | str) -> str:
    try:
        return KIND_COLOURS[MessageKind(kind)]
    except (ValueError, KeyError):
        return KIND_COLOURS[MessageKind.other]


def num(value: float) -> str:
    """Coordinates with one decimal at most: smaller files, same picture."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(width: float, height: float, body: str, *, label: str, css_class: str) -> Markup:
    """A scalable SVG that reads as one image with a name (its parts carry their own titles for pointers)."""
    return Markup(
        f'<svg class="{esc(css_class)}" viewBox="0 0 {num(width)} {num(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{esc(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
