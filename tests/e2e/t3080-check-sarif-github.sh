#!/bin/sh
# t3080-check-sarif-github.sh: SARIF fit for GitHub code scanning: every
# report passes tests/e2e/sarif-check.py (the schema's rules for the objects
# vscheck writes and GitHub's upload requirements; the full schema too when
# VS_SARIF_SCHEMA names it); partial fingerprints are distinct within a run
# and stable when unrelated steps shift lines and uniquified names; URIs
# are relative to --source-root with uriBaseId SRCROOT (absolute file://
# outside it); trace-level findings point at the program's source; every
# rule has a helpUri (--help-uri-base); --write-baseline exits 0; --partial
# drops VS004/VS005
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"
command -v python3 >/dev/null 2>&1 || { echo "skip t3080 (no python3)"; t_done; }
PYCHECK="python3 $SRC/tests/e2e/sarif-check.py"

# prints "RULE FINGERPRINT" per result of a SARIF file
fps() {
	python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    print(r["ruleId"], r["partialFingerprints"]["vscheck/v2"])' "$1"
}

# the validator itself catches what GitHub rejects
printf '%s\n' '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": []}},' \
	'"results": [{"ruleId": "R", "message": {}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "t.db"}, "region": {"startLine": 0}}}], "bogus": 1}]}]}' > broken.sarif
$PYCHECK broken.sarif > broken.out && fail "sarif-check.py accepts a broken log"
check "sarif-check.py problems" "$(cut -d: -f3- broken.out | sort | tr '\n' '|')" \
	" no message.text| no partialFingerprints| points at a trace, not at a source file| result has no member 'bogus' in the schema| startLine < 1|"

# two VS111 at different lines, then the same file with an unrelated scope
# first: lines and uniquified names shift, fingerprints must not
mkdir scen && cd scen || exit 1
cat > model.yaml <<'Y'
steps:
  - variable_scope: foo
    body: []
  - variable_scope: foo
    body:
      - op: Add
  - variable_scope: bar
    body: []
  - variable_scope: bar
    body:
      - op: Add
  - variable_scope: bar
    body:
      - op: Add
Y
"$VSTRACE" run -q -o one.db model.yaml >/dev/null || fail "vstrace run one.db"
vsc --format sarif one.db
cp "$out" one.sarif
check "one: exit" "$rc" 0
{ printf 'steps:\n  - variable_scope: other\n    body: []\n\n'; tail -n +2 model.yaml; } > m2 && mv m2 model.yaml
"$VSTRACE" run -q -o two.db model.yaml >/dev/null || fail "vstrace run two.db"
vsc --format sarif two.db
cp "$out" two.sarif
check "one: results" "$(fps one.sarif | wc -l | tr -d ' ')" 3
check "one: fingerprints distinct" "$(fps one.sarif | sort -u | wc -l | tr -d ' ')" 3
check "fingerprints stable across edits" "$(fps two.sarif)" "$(fps one.sarif)"
check "lines did move" "$(grep -o '"startLine": [0-9]*' two.sarif | tr '\n' ' ')" \
	'"startLine": 7 "startLine": 12 "startLine": 15 '
check "uri relative to the current directory" \
	"$(grep -o '"artifactLocation": {[^}]*}' one.sarif | sort -u)" \
	'"artifactLocation": {"uri": "model.yaml", "uriBaseId": "SRCROOT"}'
check "base id" "$(grep -c "\"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": \"file://$(pwd -P)/\"}}" one.sarif)" 1
$PYCHECK one.sarif two.sarif || t_failed=1
cd .. || exit 1

# the default root is the directory of the .vscheck.yml in use
mkdir -p proj/sub && printf 'version: 1\n' > proj/.vscheck.yml && cp scen/model.yaml proj/sub/
(cd proj/sub && "$VSTRACE" run -q -o m.db model.yaml >/dev/null && "$VSCHECK" --format sarif m.db > m.sarif)
check "root = the config's directory" "$(grep -o '"artifactLocation": {[^}]*}' proj/sub/m.sarif | sort -u)" \
	'"artifactLocation": {"uri": "sub/model.yaml", "uriBaseId": "SRCROOT"}'
check "its base id" "$(grep -c "\"SRCROOT\": {\"uri\": \"file://$(cd proj && pwd -P)/\"}" proj/sub/m.sarif)" 1

# C sources recorded relative to the top of the tree
rec towers_bug_noreenter
db=$T/towers_bug_noreenter.db
(cd "$SRC" && "$VSCHECK" --no-config --format sarif --source-root "$SRC" "$db") > src.sarif
check "uri under --source-root" "$(grep -o '"artifactLocation": {[^}]*}' src.sarif | sort -u)" \
	'"artifactLocation": {"uri": "examples/layers.h", "uriBaseId": "SRCROOT"}'
(cd "$SRC" && "$VSCHECK" --no-config --format sarif --source-root "$T" "$db") > out.sarif
check "uri outside the root" "$(grep -o '"artifactLocation": {[^}]*}' out.sarif | sort -u)" \
	"\"artifactLocation\": {\"uri\": \"file://$(cd "$SRC" && pwd -P)/examples/layers.h\"}"
check "fingerprints do not depend on the checkout" "$(cd "$SRC" && "$VSCHECK" --no-config --format sarif --source-root . "$db" | grep -o '"vscheck/v2": "[^"]*"')" \
	"$(grep -o '"vscheck/v2": "[^"]*"' src.sarif)"
vsc --source-root /nonexistent/dir "$db"
check "bad --source-root exit" "$rc" 2
check "bad --source-root message" "$(cat "$err")" "vscheck: '/nonexistent/dir': not a usable --source-root: No such file or directory"
check "helpUri default" "$(grep -o '"helpUri": "[^"]*VS102[^"]*"' src.sarif)" \
	'"helpUri": "https://github.com/vstrace/vstrace/blob/main/docs/rules/VS102-variable-already-exists.md"'
vsc --format sarif --help-uri-base https://example.org/rules "$db"
check "--help-uri-base" "$(grep -o '"helpUri": "[^"]*VS102[^"]*"' "$out")" \
	'"helpUri": "https://example.org/rules/VS102-variable-already-exists.md"'
check "informationUri" "$(grep -c '"informationUri": "https://' src.sarif)" 1
$PYCHECK src.sarif out.sarif || t_failed=1

# a truncated trace: VS002 points at the program's source, not at the .db
prog=$B/tests/progs/rec_crash
if [ -x "$prog" ]; then
	(cd "$SRC" && "$VSTRACE" record -f -o "$T/crash.db" -- "$prog" kill 5) >/dev/null 2>&1
	(cd "$SRC" && "$VSCHECK" --no-config --allow-loss --format sarif --source-root . "$T/crash.db") > crash.sarif
	check "trace-level finding location" \
		"$(grep -o '"ruleId": "VS002".*"region": {[^}]*}' crash.sarif | grep -o '"artifactLocation".*')" \
		'"artifactLocation": {"uri": "tests/progs/progs.h", "uriBaseId": "SRCROOT"}, "region": {"startLine": 23}'
	$PYCHECK crash.sarif || t_failed=1
fi

# --write-baseline accepts the findings: exit 0; --partial: no VS004/VS005
vsc --write-baseline base.txt "$db"
check "--write-baseline exit" "$rc" 0
[ -s base.txt ] || fail "--write-baseline wrote nothing"
printf 'version: 1\nsuppress:\n  - rule: VS118\n    reason: "checked in another trace"\n' > cfg.yml
rc=0; "$VSCHECK" --config cfg.yml --format gcc "$db" > full.out 2>/dev/null || rc=$?
check "unused suppression reported" "$(codes full.out)" "VS004 VS102 VS107 VS108 VS111"
rc=0; "$VSCHECK" --config cfg.yml --partial --format gcc "$db" > part.out 2>/dev/null || rc=$?
check "--partial: no VS004" "$(codes part.out)" "VS102 VS107 VS108 VS111"
t_done
