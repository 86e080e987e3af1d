#!/bin/sh
# tests/san-preload.sh - prints the LD_PRELOAD value (colon-separated) a
# python3 needs to load vstrace's extension when it is built with
# SANITIZE=address/undefined: CPython is not instrumented, so the
# sanitizers' runtimes must come first.  Prints nothing without SANITIZE or
# under ThreadSanitizer (whose callers skip Python altogether).  Used by
# tests/python/run.sh, tests/realworld/score.sh and the e2e tests that run
# python3.
case "${SANITIZE:-}" in
"" | *thread*) exit 0 ;;
esac
pre=""
for lib in libasan.so libubsan.so; do
	p=$(${CC:-gcc} -print-file-name=$lib)
	[ -f "$p" ] && pre="$pre:$p"
done
echo "${pre#:}"
