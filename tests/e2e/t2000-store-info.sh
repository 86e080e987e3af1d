#!/bin/sh
# t2000-store-info.sh: `vstrace info` on a complete trace (two processes,
# a fork child killed by a signal, lost events) and on a trace whose
# recorder died (reported incomplete, still readable).
. "$(dirname "$0")/lib.sh"
st_fixture
st_check info-complete "$VSTRACE" info "$st_tmp/fix.db"
st_check info-incomplete "$VSTRACE" info "$st_tmp/fix.db.killed.db"
st_check info-help "$VSTRACE" info --help
t_done
