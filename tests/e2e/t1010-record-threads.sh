#!/bin/sh
# t1010-record-threads.sh: every thread of PROG is followed, each into its
# own ring, with nothing lost even through small rings.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$P/rec_simple"

for buf in 4096 8; do
	"$VSTRACE" record -o t$buf.db --buffer-size $buf -- "$P/rec_threads" 4 200
	check "status ($buf)" "$?" 0
	db=t$buf.db
	check "enters ($buf)" "$(nkind $db 1 GETVAR_ENTER)" 800
	check "exits ($buf)" "$(nkind $db 1 GETVAR_EXIT)" 800
	check "per thread ($buf)" "$(q $db "SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER' GROUP BY tid ORDER BY tid;" | tr '\n' ' ')" "200 200 200 200 "
	check "threads started ($buf)" "$(nkind $db 1 THREAD_START)" 5
	check "threads ended ($buf)" "$(nkind $db 1 THREAD_END)" 4
	check "no gaps ($buf)" "$(q $db "SELECT MAX(seq) - COUNT(*) FROM events;")" 0
	check "not truncated ($buf)" "$(q $db "SELECT truncated FROM processes;")" 0
	check "scopes ($buf)" "$(q $db "SELECT name FROM variables ORDER BY name;" | tr '\n' ' ')" "t0/w:0 t1/w:0 t2/w:0 t3/w:0 "
done
t_done
