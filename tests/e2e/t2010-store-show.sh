#!/bin/sh
# t2010-store-show.sh: `vstrace show` timelines: everything, one thread,
# one kind, one scope glob, one process; unknown kinds and bad numbers.
. "$(dirname "$0")/lib.sh"
st_fixture
st_check show-all "$VSTRACE" show "$st_tmp/fix.db"
st_check show-thread "$VSTRACE" show "$st_tmp/fix.db" --proc 1 --thread 2
st_check show-kind "$VSTRACE" show "$st_tmp/fix.db" --kind var_create
st_check show-scope "$VSTRACE" show --scope 'foo*' "$st_tmp/fix.db" --proc 1
st_check show-proc "$VSTRACE" show "$st_tmp/fix.db" --proc 2
st_check show-bad-kind "$VSTRACE" show "$st_tmp/fix.db" --kind NOPE
st_check show-bad-thread "$VSTRACE" show "$st_tmp/fix.db" --thread 0
st_check show-no-proc "$VSTRACE" show "$st_tmp/fix.db" --proc 3
t_done
