#!/bin/sh
# t2060-store-info-json.sh: `vstrace info --json` parses and says what the
# text summary says (the same counts) for a real recording
. "$(dirname "$0")/lib.sh"
need "$VSTRACE"
command -v python3 >/dev/null 2>&1 || { echo "skip t2060 (no python3)"; t_done; }

rec rnn_bug_shape
db=$T/rnn_bug_shape.db
"$VSTRACE" info "$db" > info.txt
"$VSTRACE" info --json "$db" > info.json
check "exit" "$?" 0
python3 - info.json info.txt <<'PY' || t_failed=1
import json, sys
d = json.load(open(sys.argv[1]))
text = dict(l.split(None, 1) for l in open(sys.argv[2]) if l[0] != " " and len(l.split(None, 1)) == 2)
assert d["complete"] is True and d["empty"] is False, d
assert d["meta"]["program"].endswith("/examples/rnn_bug_shape"), d["meta"]
for k in ("threads", "variables", "errors", "events"):
    assert str(d[k]) == text[k].strip(), (k, d[k], text[k])
assert d["variables"] == 6 and d["errors"] == 1 and d["threads"] == 1, d
assert len(d["processes"]) == 1 and d["processes"][0]["events"] == d["events"], d["processes"]
assert d["processes"][0]["exit_code"] == 1 and d["processes"][0]["ended"] is True
assert sum(d["kinds"].values()) == d["events"] and d["kinds"]["VAR_CREATE"] == 6, d["kinds"]
print("ok   info --json matches the text summary")
PY
t_done
