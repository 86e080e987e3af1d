#!/bin/sh
# t1210-stacks-modules.sh: a stack through a dlopened shared library
# resolves in both modules; a stripped copy of the program gives module +
# offset (the same offsets as the unstripped one), no names.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-stacks.sh"
need "$VSTRACE" "$P/stack_model" "$P/stack_seq2seq"
src=tests/progs/stack_model.c
lib=tests/progs/lib/stack_helper.c

"$VSTRACE" record -o t.db -- "$P/stack_model" dlopen
check "status" "$?" 0
s=$(q t.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "frames" "$(frames t.db 1 "$s" 4)" "$(printf 'shlib_dense %s:%s\ntower %s:%s\nbuild_model %s:%s\nmain %s:%s' \
	$lib "$(at $lib shlib-get)" $src "$(at $src tower-dense)" $src "$(at $src model-tower)" \
	$src "$(at $src shlib-build)")"
check "library module" "$(q t.db "SELECT module FROM stacks WHERE stack = $s AND frame = 0;")" "$P/libstackhelper.so"
check "program module" "$(q t.db "SELECT module FROM stacks WHERE stack = $s AND frame = 1;")" "$P/stack_model"
check "module rows" "$(q t.db "SELECT COUNT(*) FROM modules WHERE path IN ('$P/libstackhelper.so', '$P/stack_model');")" 2

# stripped: module + offset
cp "$P/stack_model" ./stripped && strip ./stripped
"$VSTRACE" record -o s.db -- ./stripped chain
check "stripped status" "$?" 0
"$VSTRACE" record -o u.db -- "$P/stack_model" chain
ss=$(q s.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
us=$(q u.db "SELECT stack FROM events WHERE kind = 'GETVAR_ENTER' ORDER BY seq LIMIT 1;")
check "stripped names" "$(q s.db "SELECT COUNT(*) FROM stacks WHERE stack = $ss AND frame < 4 AND function IS NULL AND file IS NULL AND module = '$T/stripped';")" 4
check "stripped offsets" "$(q s.db "SELECT group_concat(offset) FROM (SELECT offset FROM stacks WHERE stack = $ss AND frame < 4 ORDER BY frame);")" \
	"$(q u.db "SELECT group_concat(offset) FROM (SELECT offset FROM stacks WHERE stack = $us AND frame < 4 ORDER BY frame);")"
t_done
