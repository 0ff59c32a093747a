"""Reports: the scored campaign rendered for people (HTML, Markdown) and machines (JSON, CSV, JUnit)."""

from auditor.report.write import write_reports

__all__ = ["write_reports"]
