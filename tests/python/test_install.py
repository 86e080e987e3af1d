"""`pip install . --no-build-isolation` works offline: the package and its
extension (libvs compiled in) install from a copy of the sources and build
a model."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def test_pip_install_offline(tmp_path):
    try:
        import pip  # noqa: F401
        import wheel  # noqa: F401
    except ImportError:
        pytest.skip("pip or wheel missing (Debian: python3-pip python3-wheel)")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(os.path.join(ROOT, "setup.py"), src)
    for d in ("python", "tracer", "include"):
        shutil.copytree(os.path.join(ROOT, d), src / d,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "PYTHONPATH")}
    target = tmp_path / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation",
                        "--no-index", "--target", str(target), "."], cwd=src, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    env["PYTHONPATH"] = str(target)
    code = ("import vstrace.tf as tf\n"
            "with tf.variable_scope('m'):\n"
            "    tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 2)\n"
            "print([v.name for v in tf.global_variables()], tf.__file__.startswith(%r))\n"
            % str(target))
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "['m/dense/kernel:0', 'm/dense/bias:0'] True\n"
