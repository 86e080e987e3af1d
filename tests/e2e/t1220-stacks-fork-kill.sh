#!/bin/sh
# t1220-stacks-fork-kill.sh: a fork child's stacks (its own frames and the
# parent's it inherited) resolve; a program killed mid-run still has its
# stacks resolved (from its files, after its death).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-stacks.sh"
need "$VSTRACE" "$P/stack_model" "$P/stack_seq2seq"
src=tests/progs/stack_model.c

"$VSTRACE" record -o f.db -- "$P/stack_model" fork
check "fork status" "$?" 0
cs=$(q f.db "SELECT stack FROM events WHERE proc = 2 AND kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "child frames" "$(frames f.db 2 "$cs" 5)" "$(printf 'dense %s:%s\ntower %s:%s\nbuild_model %s:%s\nchild_work %s:%s\nmain %s:%s' \
	$src "$(at $src dense-get)" $src "$(at $src tower-dense)" $src "$(at $src model-tower)" \
	$src "$(at $src child-build)" $src "$(at $src child-call)")"
ps=$(q f.db "SELECT stack FROM events WHERE proc = 1 AND kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "parent frame" "$(frames f.db 1 "$ps" 4 | tail -1)" "main $src:$(at $src parent-build)"

"$VSTRACE" record -o k.db -- "$P/stack_model" kill
check "kill status" "$?" 137
ks=$(q k.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "killed frames" "$(frames k.db 1 "$ks" 4 | tail -1)" "main $src:$(at $src kill-build)"
check "killed complete" "$(q k.db "SELECT complete FROM stats;")" 1
t_done
