"""vstrace for Python: TF1 model-building code on libvs.

  import vstrace.tf as tf          # the TF 1.15 graph-construction subset
  python3 -m vstrace.run train.py  # run an unchanged script (import tensorflow)
  vstrace.check(build_fn)          # vscheck's findings for a build function

See docs/python.md."""

from ._check import Finding, Findings, check  # noqa: F401

__all__ = ["check", "Finding", "Findings"]
