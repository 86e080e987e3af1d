"""pip install . --no-build-isolation: the vstrace Python package (vstrace,
vstrace.tf) and its extension vstrace._vs, which compiles libvs (tracer/*.c)
in.  Needs only setuptools (Debian: python3-setuptools) and the Python
headers (python3-dev); no network.  The vstrace/vscheck commands are built
by `make` (vstrace.check finds them on PATH or through $VSTRACE_BIN and
$VSCHECK_BIN).  See docs/python.md."""
import glob

from setuptools import Extension, setup

setup(
    name="vstrace",
    version="0.1.0",
    description="TF1 variable-sharing tracer: run TensorFlow 1 model-building code on libvs",
    package_dir={"": "python"},
    packages=["vstrace", "vstrace.tf", "vstrace.tf.keras"],
    ext_modules=[Extension(
        "vstrace._vs",
        sources=["python/_vs.c"] + sorted(glob.glob("tracer/*.c")),
        include_dirs=["include", "."],
        define_macros=[("_GNU_SOURCE", None)],
        extra_compile_args=["-std=c11", "-fvisibility=hidden", "-Wno-missing-field-initializers"],
        libraries=["pthread", "rt"],
    )],
    python_requires=">=3.8",
)
