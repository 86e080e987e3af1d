#!/bin/sh
# t1182-capture-recorder-killed.sh: the recorder SIGKILLed, between PROG's
# two phases and at random early moments: PROG runs on to its end, no
# trace file is left (never a 0-byte one), and `vstrace recover TRACE`
# makes a readable trace of what was written, marked incomplete, and
# removes the dead recorder's ring directory.  In a mount namespace with
# its own /dev/shm (root) so that "nothing left in /dev/shm" is exact.
. "$(dirname "$0")/lib.sh"

unshare -m true 2>/dev/null || { echo "skip: no mount namespace"; t_done; }
unshare -m sh -c 'mount -t tmpfs -o size=256m tmpfs /dev/shm || exit 99; exec sh "$0"' \
	"$(dirname "$0")/t1182-capture-recorder-killed.inner" || t_failed=1
t_done
