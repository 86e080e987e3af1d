"""python3 -m vstrace.run SCRIPT.py [ARGS...]

Runs SCRIPT.py unchanged with `tensorflow` (and tensorflow.compat.v1,
tensorflow.nn, ...) resolving to vstrace.tf, so a TF1 model-building script
runs without TensorFlow.  Under `vstrace record -- python3 -m vstrace.run
SCRIPT.py` every event's call site is a line of SCRIPT.py."""

import importlib.abc
import importlib.util
import runpy
import sys
import types


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Any other `tensorflow.*` module (tensorflow.contrib.slim,
    tensorflow.python.ops...) imports as a stub whose attributes are ops of
    unknown shape, so unfamiliar imports do not stop a script."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith("tensorflow.") and name not in sys.modules:
            return importlib.util.spec_from_loader(name, self, is_package=True)
        return None

    def create_module(self, spec):
        from vstrace.tf import _ops
        m = types.ModuleType(spec.name)
        m.__path__ = []

        def __getattr__(attr):
            if attr.startswith("__"):
                raise AttributeError(attr)
            f = _ops.unknown_attr("tf" + spec.name[len("tensorflow"):], attr)
            setattr(m, attr, f)
            return f
        m.__getattr__ = __getattr__
        return m

    def exec_module(self, module):
        pass


def install():
    """Makes `import tensorflow` (and its submodules) resolve to vstrace.tf."""
    import vstrace.tf as tf
    sys.modules["tensorflow"] = tf
    prefix = "vstrace.tf."
    for name, mod in list(sys.modules.items()):
        if name.startswith(prefix):
            sys.modules["tensorflow." + name[len(prefix):]] = mod
    sys.modules["tensorflow.compat"] = tf.compat
    sys.modules["tensorflow.compat.v1"] = tf
    sys.modules["tensorflow.compat.v2"] = tf
    sys.modules["tensorflow.compat.v1.keras"] = tf.keras
    sys.modules["tensorflow.compat.v1.layers"] = tf.layers
    sys.modules["tensorflow.compat.v1.nn"] = tf.nn
    sys.modules["tensorflow.compat.v1.train"] = tf.train
    sys.modules["tensorflow.contrib"] = tf.contrib
    sys.modules["tensorflow.keras"] = tf.keras
    for name, mod in list(sys.modules.items()):
        if name.startswith("tensorflow.") and not hasattr(mod, "__path__"):
            mod.__path__ = []  # importable as a package: tensorflow.contrib.slim
    if not any(isinstance(f, _StubFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _StubFinder())
    return tf


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: python3 -m vstrace.run SCRIPT.py [ARGS...]\n")
        return 2
    install()
    script = argv[0]
    sys.argv = argv
    sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        from vstrace import _vs
        _vs.trace_flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
