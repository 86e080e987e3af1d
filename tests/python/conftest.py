"""pytest setup for vstrace's Python tests: a fresh libvs runtime per test
and the closing "python: N passed, N failed" line tests/check.sh counts."""
import os
import subprocess
import sys

import pytest

import vstrace.tf as tf
from vstrace.tf import _core

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("VSTRACE_BUILD", "build"))


@pytest.fixture(autouse=True)
def fresh_runtime():
    _core._reset_runtime()
    yield
    _core._reset_runtime()


def run_recorded(script, trace, *args):
    """`vstrace record -o trace -- python3 -m vstrace.run script`: (rc, stdout, stderr)."""
    env = dict(os.environ)
    cmd = [os.path.join(BUILD, "vstrace"), "record", "-f", "-o", trace, "--",
           os.environ.get("VSTRACE_PYTHON", sys.executable), "-m", "vstrace.run", script]
    p = subprocess.run(cmd + list(args), cwd=ROOT, env=env, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def vscheck(trace, *args):
    p = subprocess.run([os.path.join(BUILD, "vscheck"), "--format", "gcc", "--no-config"] +
                       list(args) + [trace], cwd=ROOT, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    s = terminalreporter.stats
    passed = len(s.get("passed", []))
    failed = len(s.get("failed", [])) + len(s.get("error", []))
    terminalreporter.write_line("python: %d passed, %d failed" % (passed, failed))
