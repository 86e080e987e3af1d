#!/bin/sh
# bench/peers/deps.sh - installs what `make bench-peers` needs beyond the
# build's own packages (scripts/install-deps.sh): uftrace, LTTng (session
# daemon + lttng CLI, the UST headers and library) and babeltrace2 (reads the
# CTF trace), and GNU time.  Only this target calls it; `make check` never
# does.  apt-get runs only when a package is not installed; it needs root.
set -eu

missing=""
for pkg in uftrace lttng-tools liblttng-ust-dev babeltrace2 time; do
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-peers: missing packages:$missing (run as root: apt-get install$missing)" >&2
	exit 1
fi
echo "bench-peers: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # a word list
apt-get install -y -qq --no-install-recommends $missing >/dev/null
