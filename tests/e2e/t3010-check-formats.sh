#!/bin/sh
# t3010-check-formats.sh: every report format on one real trace; -o writes
# several reports in one run; SARIF has what code scanning requires, JSON
# and JUnit parse, GitHub annotations are workflow commands
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

rec towers_bug_noreenter
db=$T/towers_bug_noreenter.db
vsc --format text -o sarif:r.sarif -o json:r.json -o junit:r.xml -o github:r.gh -o gcc:r.gcc "$db"
check "exit status" "$rc" 1
for f in r.sarif r.json r.xml r.gh r.gcc; do
	[ -s "$f" ] || { echo "FAIL $f not written"; t_failed=1; }
done
ls ./*.tmp* >/dev/null 2>&1 && { echo "FAIL temporary files left"; t_failed=1; }
check "gcc rules" "$(codes r.gcc)" "VS102 VS107 VS108 VS111"
has "gcc line" r.gcc "examples/layers.h:76:1: error: Variable conv1/weights already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [VS102 variable-already-exists]"
has "github annotation" r.gh "::error file=examples/layers.h,line=76,title=VS102 variable-already-exists::Variable conv1/weights already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? (scope conv1)"
grep -q '^::notice file=examples/layers.h,line=73,title=VS111 op-scope-diverges::' r.gh ||
	{ echo "FAIL notes are notices"; t_failed=1; }

# the same report on stdout as with -o
vsc --format sarif "$db"
cmp -s "$out" r.sarif || { echo "FAIL stdout sarif differs from -o sarif"; t_failed=1; }

if command -v python3 >/dev/null 2>&1; then
	python3 - r.sarif r.json r.xml <<'PY' || t_failed=1
import json, sys, xml.dom.minidom
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0", "version"
assert sarif["$schema"].endswith("sarif-2.1.0.json"), "schema"
run = sarif["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "vscheck"
ids = [r["id"] for r in driver["rules"]]
assert len(ids) == len(set(ids)) and "VS102" in ids, "rules"
for r in driver["rules"]:
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"], r["id"]
    assert r["help"]["text"] and r["help"]["markdown"], r["id"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note"), r["id"]
assert run["results"], "no results"
for res in run["results"]:
    assert res["ruleId"] == ids[res["ruleIndex"]], "ruleIndex"
    assert res["level"] in ("error", "warning", "note")
    assert res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"]
    if "region" in loc:
        assert loc["region"]["startLine"] >= 1
    assert res["partialFingerprints"]["vscheck/v2"]
js = json.load(open(sys.argv[2]))
assert js["version"] == 1 and js["summary"]["errors"] == 2, js["summary"]
assert {f["code"] for f in js["findings"]} == {"VS102", "VS107", "VS108", "VS111"}
doc = xml.dom.minidom.parse(sys.argv[3])
suites = doc.getElementsByTagName("testsuites")[0]
assert suites.getAttribute("failures") == "1", suites.getAttribute("failures")
print("ok   sarif/json/junit structure")
PY
else
	echo "skip python3 structure checks (no python3)"
fi

vsc --format nope "$db"
check "bad format exit" "$rc" 2
check "bad format message" "$(cat "$err")" "vscheck: unknown format 'nope' (expected text, gcc, json, sarif, junit, github) (see 'vscheck --help')"
vsc -o sarif "$db"
check "bad -o message" "$(cat "$err")" "vscheck: bad -o 'sarif' (expected FORMAT:PATH) (see 'vscheck --help')"
vsc -o sarif:/nonexistent/dir/r.sarif "$db"
check "unwritable -o exit" "$rc" 2
check "unwritable -o message" "$(cat "$err")" "vscheck: '/nonexistent/dir/r.sarif': cannot write report: No such file or directory"
t_done
