"""The bundled rubrics (``default``, ``ci-strict``), shipped as package data.

A package of its own so setuptools includes the YAML beside it; load them by
name with ``auditor.rubric.load_rubric("default")``.
"""
