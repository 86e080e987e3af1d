"""vstrace.check(build_fn): run a model-building function in a fresh libvs
runtime (a new Python process under `vstrace record`, with `tensorflow`
resolving to vstrace.tf) and return vscheck's findings.

    findings = vstrace.check(build_model)
    assert not findings.errors, findings.text()

The function is found again in the child by its module (or its file) and
qualified name, so it must be defined at module level; the module is
imported (or run) once more in the child.  The vstrace and vscheck binaries
come from $VSTRACE_BIN / $VSCHECK_BIN, the build directory next to this
package, or PATH."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

_LEVELS = ("note", "warning", "error")


def _frames(frames):
    return [(f.get("function"), f.get("file"), f.get("line")) for f in frames or ()]


class Finding(object):
    """One vscheck finding: code ("VS101"), name, severity ("error", ...),
    file, line, function, scope, message; stack: the call stack of the event
    it is about as (function, file, line) tuples, innermost first (the Python
    frames outside vstrace), and related_stack: the other call's stack of a
    "built twice" finding ([] when none)."""
    __slots__ = ("code", "name", "severity", "file", "line", "function", "scope", "message",
                 "variable", "count", "stack", "related_stack")

    def __init__(self, d):
        self.code = d.get("code")
        self.name = d.get("name")
        self.severity = d.get("level")
        self.file = d.get("file")
        self.line = d.get("line")
        self.function = d.get("function")
        self.scope = d.get("scope")
        self.message = d.get("message")
        self.variable = d.get("variable")
        self.count = d.get("count", 1)
        self.stack = _frames(d.get("stack"))
        self.related_stack = _frames(d.get("related_stack"))

    def __repr__(self):
        return "%s:%s: %s: %s [%s %s]" % (self.file, self.line, self.severity, self.message,
                                          self.code, self.name)


class Findings(list):
    """The findings of one check, in vscheck's order, plus what the run did:
    returncode (the build process's exit status) and error ("Type: message"
    of the exception the build function raised, e.g. TF's ValueError)."""

    returncode = 0
    error = None

    def _at(self, level):
        return [f for f in self if f.severity == level]

    @property
    def errors(self):
        return self._at("error")

    @property
    def warnings(self):
        return self._at("warning")

    @property
    def notes(self):
        return self._at("note")

    def codes(self):
        return [f.code for f in self]

    def text(self):
        return "\n".join(repr(f) for f in self)


def _find_tool(name, env):
    given = os.environ.get(env)
    if given:
        return given
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.path.dirname(here), os.path.dirname(os.path.dirname(here))):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    p = shutil.which(name)
    if not p:
        raise RuntimeError("vstrace.check: '%s' not found (set $%s or put it on PATH)"
                           % (name, env))
    return p


def _target(build_fn):
    mod = getattr(build_fn, "__module__", None)
    qual = getattr(build_fn, "__qualname__", None)
    if not qual or "<locals>" in qual or "<lambda>" in qual:
        raise ValueError("vstrace.check: build_fn must be a module-level function, got %r"
                         % (build_fn,))
    m = sys.modules.get(mod)
    path = getattr(m, "__file__", None)
    if mod in (None, "__main__") or not path:
        path = build_fn.__code__.co_filename
        return "file", os.path.abspath(path), qual
    return "module", mod, qual


def check(build_fn, config=".vscheck.yml", args=(), timeout=300):
    """Runs build_fn(*args) in a fresh runtime and returns its Findings.

    config: a .vscheck.yml path (used when it exists; vscheck's own lookup
    otherwise), or None for --no-config.  args: positional arguments, which
    must be representable with repr() (numbers, strings, tuples)."""
    kind, where, qual = _target(build_fn)
    vstrace_bin = _find_tool("vstrace", "VSTRACE_BIN")
    vscheck_bin = _find_tool("vscheck", "VSCHECK_BIN")
    tmp = tempfile.mkdtemp(prefix="vstrace-check-")
    try:
        trace = os.path.join(tmp, "trace.db")
        env = dict(os.environ)
        pkg_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join([pkg_root] + [p for p in sys.path if p])
        cmd = [vstrace_bin, "record", "-o", trace, "--", sys.executable, "-m",
               "vstrace._checkrun", kind, where, qual, repr(tuple(args)),
               os.path.join(tmp, "error.txt")]
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        if run.returncode in (2, 3) and not os.path.exists(trace):
            raise RuntimeError("vstrace.check: vstrace record failed: %s" % run.stderr.strip())
        vc = [vscheck_bin, "--format", "json"]
        if config is None:
            vc.append("--no-config")
        elif os.path.exists(config):
            vc += ["--config", config]
        rep = subprocess.run(vc + [trace], capture_output=True, text=True, timeout=timeout)
        if rep.returncode not in (0, 1):
            raise RuntimeError("vstrace.check: vscheck failed: %s" % rep.stderr.strip())
        data = json.loads(rep.stdout)
        out = Findings(Finding(d) for d in data.get("findings", ()) if not d.get("baselined"))
        out.returncode = run.returncode
        if run.returncode != 0:
            try:
                with open(os.path.join(tmp, "error.txt")) as f:
                    out.error = f.read()
            except OSError:
                lines = [l for l in run.stderr.splitlines() if l.strip()]
                out.error = lines[-1] if lines else "exit status %d" % run.returncode
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
