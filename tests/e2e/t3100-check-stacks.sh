#!/bin/sh
# t3100-check-stacks.sh: a seq2seq program builds its decoder twice; VS113
# points at the second decoder() call in main (where the second build's
# path leaves the first's), not at the get_variable inside dense(); the
# finding carries its stack (text, JSON, SARIF codeFlows and
# relatedLocations, the findings table) and the first build's stack as the
# related location.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-stacks.sh"
need "$VSTRACE" "$P/stack_model" "$P/stack_seq2seq"
src=tests/progs/stack_seq2seq.c
first=$(at $src first-decoder)
second=$(at $src second-decoder)
get=$(at $src dense-get)
dec=$(at $src decoder-dense)

"$VSTRACE" record -o t.db -- "$P/stack_seq2seq" 2>/dev/null
check "status" "$?" 1
"$VSCHECK" --select VS113 t.db >out.txt
check "vscheck status" "$?" 1
check "primary location" "$(head -1 out.txt | cut -d: -f1-3)" "$src:$second: error"
check "rule" "$(grep -o '\[VS113 [a-z-]*\]' out.txt | head -1)" "[VS113 model-built-twice]"
check "stack" "$(grep '^    #' out.txt | head -3)" "$(printf '    #0 dense %s:%s\n    #1 decoder %s:%s\n    #2 main %s:%s' \
	$src "$get" $src "$dec" $src "$second")"
check "related" "$(sed -n '/first created at:/,$p' out.txt | grep '^      #' | head -3)" \
	"$(printf '      #0 dense %s:%s\n      #1 decoder %s:%s\n      #2 main %s:%s' $src "$get" $src "$dec" $src "$first")"
# --stack-depth limits the frames shown; 0 hides them
"$VSCHECK" --select VS113 --stack-depth 1 t.db >d1.txt
check "depth 1" "$(grep -c '^ *#' d1.txt)" 2
"$VSCHECK" --select VS113 --stack-depth 0 t.db >d0.txt
check "depth 0" "$(grep -c '#0' d0.txt)" 0
# JSON and SARIF carry it
"$VSCHECK" --select VS113 -o json:out.json t.db >/dev/null
check "json stack" "$(python3 -c 'import json,sys; f=json.load(open("out.json"))["findings"][0]; print(f["line"], [(s["function"], s["line"]) for s in f["stack"][:3]], [(s["function"], s["line"]) for s in f["related_stack"][:3]])')" \
	"$second [('dense', $get), ('decoder', $dec), ('main', $second)] [('dense', $get), ('decoder', $dec), ('main', $first)]"
"$VSCHECK" --select VS113 -o sarif:out.sarif t.db >/dev/null
check "sarif" "$(python3 -c '
import json
r = json.load(open("out.sarif"))["runs"][0]["results"][0]
loc = lambda l: (l["physicalLocation"]["region"]["startLine"], l.get("message", {}).get("text"))
flow = [loc(x["location"]) for x in r["codeFlows"][0]["threadFlows"][0]["locations"]]
print(loc(r["locations"][0])[0], flow[:3], [loc(x) for x in r["relatedLocations"]][:1])')" \
	"$second [($second, 'main'), ($dec, 'decoder'), ($get, 'dense')] [($first, 'first created at main')]"
# --write-findings: the stack column names the finding's stack
"$VSCHECK" --select VS113 --write-findings t.db >/dev/null
check "findings stack" "$(q t.db "SELECT f.line, s.function FROM findings f JOIN stacks s ON s.proc = f.proc AND s.stack = f.stack AND s.frame = 2;")" "$second|main"
t_done
