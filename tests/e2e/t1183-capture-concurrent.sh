#!/bin/sh
# t1183-capture-concurrent.sh: recordings to one path at the same time
# (-f, and programs sharing one VSTRACE_OUTPUT) never delete each other's
# results: the last one to finish wins, the file is always a complete
# trace of one of them, and nothing temporary is left.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3 4 5; do
	"$VSTRACE" record -f -o same.db -- "$P/rec_simple" 2000 2>erra &
	a=$!
	"$VSTRACE" record -f -o same.db -- "$P/rec_simple" 3000 2>errb &
	b=$!
	wait $a
	check "first status ($i)" "$?" 0
	wait $b
	check "second status ($i)" "$?" 0
	check "complete ($i)" "$(q same.db "SELECT complete FROM stats;")" 1
	n=$(nkind same.db 1 GETVAR_ENTER)
	check "one of them ($i)" "$([ "$n" = 2000 ] || [ "$n" = 3000 ] && echo yes)" yes
done
for i in 1 2 3; do
	VSTRACE_BIN=$VSTRACE VSTRACE_OUTPUT=env.db "$P/rec_simple" 1500 &
	a=$!
	VSTRACE_BIN=$VSTRACE VSTRACE_OUTPUT=env.db "$P/rec_simple" 2500 &
	b=$!
	wait $a
	check "env first status ($i)" "$?" 0
	wait $b
	check "env second status ($i)" "$?" 0
	check "env complete ($i)" "$(q env.db "SELECT complete FROM stats;")" 1
	n=$(nkind env.db 1 GETVAR_ENTER)
	check "env one of them ($i)" "$([ "$n" = 1500 ] || [ "$n" = 2500 ] && echo yes)" yes
done
check "nothing temporary left" "$(ls -A | grep -c 'spool\|tmp-\|rings')" 0
t_done
