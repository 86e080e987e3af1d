#!/bin/sh
# t1230-stacks-nofp.sh: a program built -O2 -fomit-frame-pointer (like most
# users' programs) calls vs_get_variable through main -> layer -> dense,
# layer calling dense from two lines by turns at the same stack depth.  In
# the default auto mode the frame walk fails at once; the runtime unwinds
# and caches the result (docs/recording.md, "Call stacks").  The two paths
# must come out as two exact stacks, every call on the right one, the same
# as the uncached unwinder gives.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-stacks.sh"
need "$VSTRACE" "$P/stack_nofp"
src=tests/progs/stack_nofp.c

"$VSTRACE" record -o t.db -- "$P/stack_nofp" 200
check "status" "$?" 0
check "calls" "$(q t.db "SELECT COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER';")" 200
# the first call (i = 0) takes the even line, the second the odd one
even=$(q t.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
odd=$(q t.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1 OFFSET 1;")
want() {
	printf 'dense %s:%s\nlayer %s:%s\nmain %s:%s' \
		$src "$(at $src dense-get)" $src "$(at $src "$1")" $src "$(at $src main-loop)"
}
check "even frames" "$(frames t.db 1 "$even" 3)" "$(want layer-even)"
check "odd frames" "$(frames t.db 1 "$odd" 3)" "$(want layer-odd)"
check "two stacks" "$([ "$even" != "$odd" ] && echo yes)" yes
# every call on its own path's stack: calls alternate, starting even
check "calls per stack" "$(q t.db "SELECT stack = $even, COUNT(*) FROM events WHERE kind = 'GETVAR_ENTER'
	GROUP BY stack ORDER BY stack = $even DESC;" | tr '\n' ' ')" "1|100 0|100 "
check "alternating" "$(q t.db "SELECT COUNT(*) FROM (SELECT stack, ROW_NUMBER() OVER (ORDER BY seq) - 1 AS k
	FROM events WHERE kind = 'GETVAR_ENTER') WHERE stack != CASE k % 2 WHEN 0 THEN $even ELSE $odd END;")" 0
# below main: the C library's entry, as the unwinder sees it
check "outer frames" "$(q t.db "SELECT function FROM stacks WHERE proc = 1 AND stack = $even AND frame = 3;")" \
	"__libc_start_call_main"
# interned once: no STACK or SITE record after the first two calls, up to
# the last one
check "stack records" "$(q t.db "SELECT COUNT(*) FROM events WHERE kind IN ('STACK', 'SITE') AND seq >
	(SELECT seq FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1 OFFSET 1) AND seq <
	(SELECT MAX(seq) FROM events WHERE kind = 'GETVAR_EXIT');")" 0

# the uncached unwinder gives the same frames
VSTRACE_STACK_UNWIND=unwind "$VSTRACE" record -o u.db -- "$P/stack_nofp" 4
check "unwind status" "$?" 0
ue=$(q u.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
uo=$(q u.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1 OFFSET 1;")
check "unwind even" "$(frames u.db 1 "$ue" 8)" "$(frames t.db 1 "$even" 8)"
check "unwind odd" "$(frames u.db 1 "$uo" 8)" "$(frames t.db 1 "$odd" 8)"
# fp mode: the walk stops after the first frame (main's %rbp is no frame pointer)
VSTRACE_STACK_UNWIND=fp "$VSTRACE" record -o f.db -- "$P/stack_nofp" 4
fe=$(q f.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "fp frames" "$(frames f.db 1 "$fe" 8)" "dense $src:$(at $src dense-get)"
t_done
