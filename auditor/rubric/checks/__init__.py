"""The check library, one module per category; importing it fills the registry.

Order of import is irrelevant: checks are looked up by id, and findings follow
the rubric's order, never the registry's.
"""

from auditor.rubric.checks import follow_up, frequency, hygiene, order_details, personalization, response_time

__all__ = ["follow_up", "frequency", "hygiene", "order_details", "personalization", "response_time"]
