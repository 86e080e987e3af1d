#!/bin/sh
# t2030-store-bad-input.sh: info, show and query on files that are not
# readable traces: missing, a directory, not SQLite, another application's
# SQLite file, a newer format version, a truncated trace.  Each gets one
# clear line and exit status 2.
. "$(dirname "$0")/lib.sh"
st_fixture
printf 'just some text, not a database\n%.0s' $(seq 1 100) > "$st_tmp/text.db"
cp "$st_tmp/fix.db" "$st_tmp/foreign.db"
st_poke "$st_tmp/foreign.db" 68 000 000 004 322   # application_id 0x4d2
cp "$st_tmp/fix.db" "$st_tmp/newer.db"
st_poke "$st_tmp/newer.db" 60 000 000 000 011     # user_version 9
head -c 8192 "$st_tmp/fix.db" > "$st_tmp/cut.db"
for f in none.db text.db foreign.db newer.db cut.db; do
	for cmd in info show query; do
		if [ "$cmd" = query ]; then
			st_check "bad-$cmd-${f%.db}" "$VSTRACE" query "$st_tmp/$f" 'SELECT count(*) FROM events'
		else
			st_check "bad-$cmd-${f%.db}" "$VSTRACE" "$cmd" "$st_tmp/$f"
		fi
	done
done
st_check bad-dir "$VSTRACE" info "$st_tmp"
st_check bad-flag "$VSTRACE" info --bogus "$st_tmp/fix.db"
st_check bad-two-files "$VSTRACE" show "$st_tmp/fix.db" "$st_tmp/fix.db"
t_done
