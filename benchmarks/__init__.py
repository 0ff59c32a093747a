"""Speed measurements, one plain script per concern: ``python -m benchmarks`` runs them all.

Each ``bench_*.py`` measures its own baseline in the same run and prints
ratios next to absolute figures, so a number means the same on a slow or a
busy machine. They are not tests: nothing here runs under pytest.
"""
