#!/bin/sh
# bench/peers/deps.sh - installs what `make bench-peers` needs beyond the
# build's own packages (scripts/install-deps.sh): uftrace, LTTng (session
# daemon + lttng CLI, the UST headers and library) and babeltrace2 (reads the
# CTF trace), and GNU time.  Only this target calls it; `make check` never
# does.  apt-get runs only when a probe file is missing; it needs root.
set -eu

need="
uftrace:/usr/bin/uftrace
lttng-tools:/usr/bin/lttng
liblttng-ust-dev:/usr/include/lttng/tracepoint.h
babeltrace2:/usr/bin/babeltrace2
time:/usr/bin/time
"
missing=""
for pair in $need; do
	[ -e "${pair#*:}" ] || missing="$missing ${pair%%:*}"
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
