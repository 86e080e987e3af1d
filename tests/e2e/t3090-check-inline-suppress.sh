#!/bin/sh
# t3090-check-inline-suppress.sh: "vscheck: ignore RULES -- reason" comments
# in the program's own source (C comments, YAML comments in scenarios)
# silence findings at their line and the line below; a comment without a
# reason or naming no rule silences nothing and, like one that silenced
# nothing, is reported as VS004 at its line (not with --partial)
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK"

# a C program: the second get_variable of 'w' raises E1 (VS102) twice
cat > prog.c <<'C'
#include <vs/vs.h>
static void twice(void)
{
	vs_error err;
	vs_cm *m;
	vs_var *v;
	vs_variable_scope(&m, "m", NULL, &err);
	vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
	vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err); /* vscheck: ignore VS102 -- the test wants E1 */
	// vscheck: ignore variable-already-exists -- and here too
	vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err);
	vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(1)}, &err); // vscheck: ignore VS102
	vs_exit(m, &err);
}
int main(void)
{
	twice(); // vscheck: ignore VS103 -- nothing to silence
	vs_runtime_shutdown();
	return 0;
}
C
# a sanitizer build (B = build/san-address-undefined, ...) links its runtime
SANFLAGS=
case ${B##*/} in san-*) SANFLAGS="-fsanitize=$(echo "${B##*/san-}" | tr - ,)" ;; esac
cc -std=c11 $SANFLAGS -I"$SRC/include" -o prog prog.c "$B/libvs.a" -lpthread -lrt ||
	fail "cannot compile prog.c"
"$VSTRACE" record -f -o prog.db -- ./prog >/dev/null 2>&1 || fail "record prog"
vsc --format gcc prog.db
check "C: exit (the unsilenced E1 fails)" "$rc" 1
check_file "$out" "prog.c:12:1: error: Variable m/w already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at: File \"prog.c\", line 8, in twice [VS102 variable-already-exists]
prog.c:12:1: warning: inline suppression of VS102 has no reason ('-- why'): it silences nothing [VS004 unused-suppression]
prog.c:17:1: warning: inline suppression of VS103 (nothing to silence) silenced nothing: delete it [VS004 unused-suppression]"
vsc prog.db
has "C: text: the tag ends the first line" "$out" "prog.c:12: error: Variable m/w already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at: [VS102 variable-already-exists]"
has "C: text: the frames follow, indented" "$out" "      File \"prog.c\", line 8, in twice"
has "C: suppressed count" "$out" "vscheck: failed: 1 finding at or above 'error' (1 error, 2 warnings, 0 notes; 2 suppressed, 0 baselined) in 1 trace"
vsc --partial --format gcc prog.db
check "C: --partial drops the VS004s" "$(codes "$out")" "VS102"

# a scenario: YAML comments, on the line above a step or after it
cat > s.yaml <<'Y'
steps:
  - variable_scope: foo
    body: []
  # vscheck: ignore VS111 -- the op scope is renamed on purpose
  - variable_scope: foo
    body:
      - op: Add
  - variable_scope: bar
    body: []
  - variable_scope: bar   # vscheck: ignore VS111, VS105 -- same here
    body:
      - op: Add
  - variable_scope: baz   # vscheck: ignore VS999 -- no such rule
    body: []
Y
"$VSTRACE" run -q -o s.db s.yaml >/dev/null || fail "vstrace run s.yaml"
vsc --format gcc s.db
check "YAML: exit" "$rc" 0
check_file "$out" "s.yaml:13:1: warning: inline suppression names no known rule ('VS999') [VS004 unused-suppression]"
t_done
