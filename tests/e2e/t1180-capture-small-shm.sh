#!/bin/sh
# t1180-capture-small-shm.sh: a /dev/shm too small for the rings (Docker's
# 64 MiB; 256 Ki events per thread ring is 16 MiB a ring) never kills the
# program with SIGBUS: the rings go next to the output (one warning line),
# nothing is lost (block mode), nothing is left in /dev/shm or next to the
# output.  Needs a mount namespace (root); skipped without one.
. "$(dirname "$0")/lib.sh"

unshare -m true 2>/dev/null || { echo "skip: no mount namespace"; t_done; }
unshare -m sh -c '
	mount -t tmpfs -o size=64m tmpfs /dev/shm || exit 99
	"$0" record -o s.db --buffer-size 262144 -- "$1" 2 3000 2>err
	echo $? >rc
	ls -A /dev/shm >shm-left
' "$VSTRACE" "$P/rec_threads"
check "status" "$(cat rc)" 0
check "one warning" "$(grep -c 'short of space' err)" 1
check "warning names the place" "$(sed -n "s|^vstrace: /dev/shm is short of space: ring files go to '\(.*\)/\.vstrace-rings-.*'\$|\1|p" err)" "."
check "no SIGBUS, every event" "$(nkind s.db 1 GETVAR_ENTER)" 6000
check "complete" "$(q s.db "SELECT complete FROM stats;")" 1
check "nothing left in /dev/shm" "$(cat shm-left)" ""
check "nothing left next to the output" "$(ls -A | grep -c '^\.vstrace-rings-\|spool\|tmp-')" 0
t_done
