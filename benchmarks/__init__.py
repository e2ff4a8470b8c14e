"""Speed and scale measurements of pytest-persona: ``python -m benchmarks --help``.

Not tests: the figures depend on the machine. See ``benchmarks/README.md``.
"""
