"""The child of vstrace.check: python3 -m vstrace._checkrun KIND WHERE QUALNAME ARGS ERRFILE
(KIND "module": WHERE is a module name; "file": a path run as a module).
Installs the tensorflow shim, finds the function and calls it; an
exception's "Type: message" goes to ERRFILE."""

import ast
import importlib
import os
import runpy
import sys

from vstrace import run as _run


def main(argv):
    kind, where, qual, args, errfile = argv
    _run.install()
    if kind == "module":
        obj = importlib.import_module(where)
    else:
        sys.path.insert(0, os.path.dirname(where))
        obj = type("M", (), runpy.run_path(where, run_name="__vstrace_check__"))
    fn = obj
    for part in qual.split("."):
        fn = fn[part] if isinstance(fn, dict) else getattr(fn, part)
    try:
        fn(*ast.literal_eval(args))
    except Exception as e:
        with open(errfile, "w") as f:
            f.write("%s: %s" % (type(e).__name__, e))
        raise
    finally:
        from vstrace import _vs
        _vs.trace_flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
