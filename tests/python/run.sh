#!/bin/sh
# tests/python/run.sh - the Python stage of `make check`: pytest over
# tests/python with the extension built in $B/python.  Ends with
# "python: N passed, N failed" (printed by tests/python/conftest.py).
# Under ASan/UBSan the sanitizer runtimes are preloaded into python3; under
# TSan the stage is skipped (CPython itself is not TSan-instrumented).
set -u
B=${B:-build}
PY=${PYTHON:-python3}
"$PY" -c 'import pytest' 2>/dev/null || PY=/usr/bin/python3
case "${SANITIZE:-}" in
*thread*)
	echo "python: skipped under ThreadSanitizer"
	echo "python: 0 passed, 0 failed"
	exit 0 ;;
"") ;;
*)
	LD_PRELOAD=$(sh tests/san-preload.sh)
	export LD_PRELOAD
	export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" ;;
esac
export PYTHONPATH="$B/python${PYTHONPATH:+:$PYTHONPATH}"
export VSTRACE_BUILD="$B" VSTRACE_PYTHON="$PY"
exec "$PY" -m pytest -q -p no:cacheprovider tests/python
