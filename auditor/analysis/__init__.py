"""Analysis: a raw email to Evidence (kind, language, facts), each fact with the snippet it came from.

Public surface: ``analyze(raw) -> Evidence`` and the money readers the shopper
uses on shop pages. Words per language live in ``lexicons/<lang>.yaml``.
"""

from auditor.analysis.analyzer import analyze, analyze_parsed
from auditor.models.money_text import currency_code, find_money, parse_money

__all__ = ["analyze", "analyze_parsed", "currency_code", "find_money", "parse_money"]
