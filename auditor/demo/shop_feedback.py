"""What the demo stores do with a customer's review and survey answer, well or badly.

The published audits measure both: following up feedback within 48 hours scored
2.9/5 (Mopinion), and only 30% of shops answer reviews within 3 days (dentsu
Polska). So each demo store is one point on that scale: *exemplary* answers the
survey after 6 h and the review after 20 h, *chatty* answers both, but late (54 h
and 78 h), and *bare* never answers. Delays are in store hours; the shop turns
them into seconds with its ``hour``: ``DEMO_HOUR`` by default, the demo scenario's clock
(its ``time_scale: 0.0001`` x 3600 s), so "48 h" there is 17 s here.
"""

import secrets
from typing import Literal

from pydantic import BaseModel

from auditor.demo.shop_mail import compose
from auditor.demo.shop_stores import STORES, Outgoing, first_name

FeedbackKind = Literal["review", "survey"]
DEMO_HOUR = 0.36  # seconds per store hour; keep equal to the demo scenario's time_scale x 3600

# hours after the customer's review / survey answer; None: never answered
ANSWER_HOURS: dict[str, dict[FeedbackKind, float | None]] = {
    "exemplary": {"survey": 6, "review": 20},
    "chatty": {"survey": 54, "review": 78},
    "bare": {"survey": None, "review": None},
}
PAGES: dict[FeedbackKind, tuple[str, str]] = {
    "review": ("Review your order", "Your review"),
    "survey": ("How did we do?", "What could we do better?"),
}


class Feedback(BaseModel):
    store_id: str
    kind: FeedbackKind
    email: str
    rating: int
    text: str


def answer_to(feedback: Feedback, hour: float) -> list[Outgoing]:
    """The store's answer to a review or survey (none for a store that never answers)."""
    hours = ANSWER_HOURS[feedback.store_id][feedback.kind]
    if hours is None:
        return []
    store = STORES[feedback.store_id]
    thread = f"<{feedback.kind}-{secrets.token_hex(4)}@{store.domain}>"  # a helpdesk threads its answer on it
    name = first_name(feedback.email.split("@")[0].split("+")[0].capitalize())
    if feedback.kind == "review":
        subject, what, signature = "Re: your review", "review", "Ola from the review team"
        answer = [
            f"Thank you for reviewing your purchase with {feedback.rating} out of 5. We read every review, "
            "and we have answered yours publicly on our product page.",
            "If anything is not right with the product, reply to this email and we will sort it out.",
        ]
    else:
        subject, what, signature = "Re: your survey answer", "survey answer", "Piotr, customer experience"
        answer = [
            "Thank you for telling us how we did. I read your answer myself and passed your comment to the "
            "warehouse team, so your next order goes better.",
            "Is there anything else we can do for you? Just reply to this email.",
        ]
    message = compose(
        store_name=store.name,
        sender=store.support,
        recipient=feedback.email,
        subject=subject,
        template="feedback_answer",
        headers={"Reply-To": store.support, "In-Reply-To": thread, "References": thread},
        store=store,
        first_name=name,
        answer=answer,
        what=what,
        rating=feedback.rating,
        text=feedback.text,
        signature=signature,
    )
    return [Outgoing(hours * hour, message, feedback.email)]
