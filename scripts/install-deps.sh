#!/bin/sh
# Installs the Debian packages the build and the tests need, when missing.
# Run by `make deps` (which `make check` and `make demo` call first) and by
# .ci/run.
# Needs root (or sudo) only when something is actually missing.
set -eu

# package:probe pairs; the probe is a file that the package installs
need="
libsqlite3-dev:/usr/include/sqlite3.h
libyaml-dev:/usr/include/yaml.h
libcunit1-dev:/usr/include/CUnit/CUnit.h
libdw-dev:/usr/include/elfutils/libdwfl.h
sqlite3:/usr/bin/sqlite3
pkg-config:/usr/bin/pkg-config
gcc:/usr/bin/gcc
make:/usr/bin/make
groff-base:/usr/bin/groff
valgrind:/usr/bin/valgrind
clang-format:/usr/bin/clang-format
g++:/usr/bin/g++
graphviz:/usr/bin/dot
jq:/usr/bin/jq
python3-dev:/usr/bin/python3-config
python3-pytest:/usr/lib/python3/dist-packages/pytest/__init__.py
python3-setuptools:/usr/lib/python3/dist-packages/setuptools/__init__.py
python3-pip:/usr/lib/python3/dist-packages/pip/__init__.py
python3-wheel:/usr/lib/python3/dist-packages/wheel/__init__.py
"
missing=""
for pair in $need; do
	pkg=${pair%%:*}
	probe=${pair#*:}
	[ -e "$probe" ] || missing="$missing $pkg"
done
[ -n "${VS_EXTRA_PACKAGES:-}" ] && missing="$missing $VS_EXTRA_PACKAGES"
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: missing packages:$missing (run as root: apt-get install$missing)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || { echo "install-deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "install-deps: apt-get install$missing failed" >&2; exit 1; }
