/* SPDX-License-Identifier: MIT */
/*
 * rules/catalog.c - the rule catalogue: one static table, the single
 * source of `vscheck --list-rules`, `--explain` and docs/rules/.
 *
 * Invariant: row i describes enum vs_rule_id i; codes are unique, sorted
 * and never reused (retire a rule by setting its level to off and saying so
 * in the summary, never by deleting its row).
 */
#include "rules/rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const vs_rule catalog[VS_RULE__COUNT] = {
	[VS_RULE_TRACE_LOSSY] =
		{"VS001", "trace-lost-events", VS_LEVEL_ERROR, "trace",
                 "the trace lost events, so the replay cannot be trusted",
                 "The recorder ran in discard mode and dropped events when a ring was full, "
                 "or a LOST marker was found in the event stream.  Every later state the "
                 "checker rebuilds may be wrong, so findings after the gap are unreliable.  "
                 "vscheck exits with status 2 on such a trace unless `--allow-loss` is given "
                 "(the finding is then reported at its level).",
                 "vstrace record --discard -- ./train   # rings overflow under load",
                 "vstrace record -- ./train             # default: blocking, nothing lost", NULL, 0,
                 NULL, NULL,
                 "a trace that lost events is made by the recorder in discard mode, not by a "
                 "program (tests/e2e/t1050-record-discard.sh)"},
	[VS_RULE_TRACE_TRUNCATED] =
		{"VS002", "trace-truncated", VS_LEVEL_ERROR, "trace",
                 "the traced process died before it finished its events",
                 "The process ended by a signal, or some thread never closed its open "
                 "scopes.  The trace is valid up to the crash, but scopes open at the "
                 "crash are never exited.  vscheck exits with status 2 on such a trace "
                 "unless `--allow-loss` is given.",
                 "kill -9 $(pidof train)      # while recording",
                 "let the program exit normally, or pass --allow-loss to check what is there", NULL,
                 0, NULL, NULL,
                 "a truncated trace comes from a killed process "
                 "(tests/e2e/t1030-record-sigkill.sh)"},
	[VS_RULE_TRACE_INCONSISTENT] =
		{"VS003", "trace-inconsistent", VS_LEVEL_ERROR, "trace",
                 "the trace records an outcome the shadow model would not produce",
                 "vscheck replays every event through its own model of TensorFlow's "
                 "variable store and scopes.  When the trace says a variable was created "
                 "where the model holds one already, reused where none exists, or a scope "
                 "exit does not match its enter, the trace contradicts itself: either the "
                 "runtime or the trace is wrong.  Report it with the trace attached.  (A "
                 "program that ends inside open scopes is normal: VS006.)",
                 "# get_variable('v') recorded as 'created' twice in one store",
                 "# a trace written by a correct runtime and an intact recorder", NULL, 0, NULL,
                 NULL,
                 "a correct runtime never writes a contradicting trace; hand-built event streams "
                 "test it (tests/unit/test_checker_rules.c)"},
	[VS_RULE_UNUSED_SUPPRESSION] =
		{"VS004", "unused-suppression", VS_LEVEL_WARNING, "trace",
                 "a suppression in the config silenced nothing",
                 "A suppression that matches no finding is stale: the code it excused was "
                 "fixed or moved.  Delete it so that it cannot hide a future problem.",
                 "suppress:\n  - rule: VS102\n    variable: 'old/*'\n    reason: legacy model",
                 "# delete the entry once nothing matches it", NULL, 0, NULL, NULL,
                 "it is about a config file (tests/e2e/t3020-check-config.sh)"},
	[VS_RULE_STALE_BASELINE] =
		{"VS005", "stale-baseline-entry", VS_LEVEL_NOTE, "trace",
                 "a baseline entry matched no finding",
                 "The baseline lists findings that existed when it was written.  An entry "
                 "that no longer matches was fixed; regenerate the baseline with "
                 "`--write-baseline` to drop it.",
                 "VS102\ttrain.py\tbuild\tmodel/w\t1   # fixed long ago",
                 "vscheck --baseline b.txt --write-baseline b.txt trace.db", NULL, 0, NULL, NULL,
                 "it is about a baseline file (tests/e2e/t3030-check-baseline.sh)"},
	[VS_RULE_SCOPE_LEFT_OPEN] =
		{"VS006", "scope-left-open", VS_LEVEL_NOTE, "trace",
                 "the process ended inside a variable scope it never left",
                 "A C program that returns early after a TensorFlow error without `vs_exit`-ing "
                 "the "
                 "scopes it entered (the natural pattern: print the error, return 1) ends with "
                 "scopes "
                 "still open.  That is a normal trace, not a contradiction; the note points at the "
                 "outermost `variable_scope` call that was never left, in case the early exit was "
                 "not "
                 "meant.",
                 "with_scope = tf.variable_scope('model'); with_scope.__enter__()\n"
                 "w = tf.get_variable('w', [3])   # raises; the program exits here",
                 "with tf.variable_scope('model'):\n    w = tf.get_variable('w', [3])", NULL, 0,
                 NULL, NULL,
                 "a scenario always leaves its scopes (an uncaught error unwinds its with-blocks); "
                 "a C program that returns early is tested in tests/unit/test_checker_realworld.c"},
	[VS_RULE_CREATE_IN_REUSE_SCOPE] =
		{"VS101", "create-in-reuse-scope", VS_LEVEL_ERROR, "store",
                 "get_variable asks for a variable that does not exist inside a reusing scope",
                 "With `reuse=True` (set on the scope, inherited from a parent, or by "
                 "`reuse_variables()`), `get_variable` only looks variables up.  A name "
                 "that is not in the store raises TensorFlow's ValueError \"Variable %s does "
                 "not exist, or was not created with tf.get_variable(). Did you mean to set "
                 "reuse=tf.AUTO_REUSE in VarScope?\" (E2).  Usual causes: the creating call "
                 "never ran, ran in another graph, or the names differ.",
                 "with tf.variable_scope('model', reuse=True):\n    w = tf.get_variable('w', [3])",
                 "with tf.variable_scope('model'):\n    w = tf.get_variable('w', [3])\n"
                 "with tf.variable_scope('model', reuse=True):\n    w2 = tf.get_variable('w', [3])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: {name: model, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "        expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: model\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: {name: model, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 NULL},
	[VS_RULE_VARIABLE_EXISTS] =
		{"VS102", "variable-already-exists", VS_LEVEL_ERROR, "store",
                 "get_variable creates a name that exists without reuse",
                 "Outside a reusing scope `get_variable` creates, and an existing name "
                 "raises \"Variable %s already exists, disallowed. Did you mean to set "
                 "reuse=True or reuse=tf.AUTO_REUSE in VarScope?\" (E1).",
                 "with tf.variable_scope('m'):\n    a = tf.get_variable('w', [3])\n"
                 "with tf.variable_scope('m'):\n    b = tf.get_variable('w', [3])",
                 "with tf.variable_scope('m'):\n    a = tf.get_variable('w', [3])\n"
                 "with tf.variable_scope('m', reuse=True):\n    b = tf.get_variable('w', [3])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: m\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: m\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "        expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: m\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: {name: m, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 NULL},
	[VS_RULE_SHAPE_MISMATCH] =
		{"VS103", "share-shape-mismatch", VS_LEVEL_ERROR, "store",
                 "a shared variable is requested with a different shape",
                 "Reuse returns the stored variable only if the requested shape is "
                 "compatible: \"Trying to share variable %s, but specified shape %s and "
                 "found shape %s.\" (E3).  Often the model was built twice in one graph "
                 "with different hyper-parameters.",
                 "with tf.variable_scope('m', reuse=tf.AUTO_REUSE):\n"
                 "    tf.get_variable('w', [300, 150])\n    tf.get_variable('w', [178, 150])",
                 "with tf.variable_scope('m', reuse=tf.AUTO_REUSE):\n"
                 "    tf.get_variable('w', [300, 150])\n    tf.get_variable('w', [300, 150])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: {name: m, reuse: auto}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [300, 150]}\n"
                 "      - get_variable: {name: w, shape: [178, 150]}\n"
                 "        expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: {name: m, reuse: auto}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [300, 150]}\n"
                 "      - get_variable: {name: w, shape: [300, 150]}\n",
                 NULL},
	[VS_RULE_DTYPE_MISMATCH] =
		{"VS104", "share-dtype-mismatch", VS_LEVEL_ERROR, "store",
                 "a shared variable is requested with a different dtype",
                 "Reuse checks the dtype too: \"Trying to share variable %s, but specified "
                 "dtype %s and found dtype %s.\" (E4).  get_variable defaults to float32, so "
                 "reusing an int variable without `dtype=` fails.",
                 "with tf.variable_scope('m'):\n    tf.get_variable('step', [], tf.int64)\n"
                 "with tf.variable_scope('m', reuse=True):\n    tf.get_variable('step', [])",
                 "with tf.variable_scope('m', reuse=True):\n    tf.get_variable('step', [], "
                 "tf.int64)",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: m\n"
                 "    body:\n"
                 "      - get_variable: {name: step, shape: [], dtype: int64, initializer: zeros}\n"
                 "  - variable_scope: {name: m, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: step, shape: []}\n"
                 "        expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: m\n"
                 "    body:\n"
                 "      - get_variable: {name: step, shape: [], dtype: int64, initializer: zeros}\n"
                 "  - variable_scope: {name: m, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: step, shape: [], dtype: int64}\n",
                 NULL},
	[VS_RULE_ROOT_REUSE_VARIABLES] =
		{"VS105", "root-reuse-variables", VS_LEVEL_WARNING, "store",
                 "reuse_variables() on the root scope poisons every later scope",
                 "Reuse is sticky: `tf.get_variable_scope().reuse_variables()` at top level "
                 "sets reuse on the root scope of this thread and graph, and every scope "
                 "opened later inherits it.  Optimizers then fail to create their slots "
                 "(\"Variable .../Adam/ does not exist\").",
                 "tf.get_variable_scope().reuse_variables()\nopt.minimize(loss)   # E2 on slots",
                 "with tf.variable_scope('model', reuse=True):\n    logits = "
                 "model(x)\nopt.minimize(loss)",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - get_variable: {name: w, shape: [3]}\n"
                 "  - reuse_variables:\n"
                 "  - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: {default_name: w/Adam}\n"
                 "    body:\n"
                 "      - get_variable: {name: \"\", shape: [3], initializer: zeros, trainable: "
                 "false}\n"
                 "        expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: model\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: {name: model, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "  - variable_scope: {default_name: model/w/Adam}\n"
                 "    body:\n"
                 "      - get_variable: {name: \"\", shape: [3], initializer: zeros, trainable: "
                 "false}\n",
                 NULL},
	[VS_RULE_REUSE_FALSE_NO_EFFECT] =
		{"VS106", "reuse-false-ignored", VS_LEVEL_WARNING, "store",
                 "reuse=False under a reusing parent has no effect",
                 "Since TF 1.1 `reuse=False` means \"inherit\": a sub-scope of a reusing "
                 "scope reuses no matter what.  Code that relies on `reuse=False` to create "
                 "fresh variables there gets E2 instead.",
                 "with tf.variable_scope('a', reuse=True):\n"
                 "    with tf.variable_scope('b', reuse=False):\n        tf.get_variable('new', "
                 "[1])",
                 "with tf.variable_scope('a'):\n    with tf.variable_scope('b'):\n"
                 "        tf.get_variable('new', [1])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: {name: a, reuse: true}\n"
                 "    body:\n"
                 "      - variable_scope: {name: b, reuse: false}\n"
                 "        body:\n"
                 "          - get_variable: {name: new, shape: [1]}\n"
                 "            expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: a\n"
                 "    body:\n"
                 "      - variable_scope: b\n"
                 "        body:\n"
                 "          - get_variable: {name: new, shape: [1]}\n",
                 NULL},
	[VS_RULE_THREAD_NAME_COLLISION] =
		{"VS107", "thread-name-collision", VS_LEVEL_WARNING, "store",
                 "two threads meet on one variable name in the shared store",
                 "Scopes are thread-local but the variable store is per graph and shared.  "
                 "When a thread creates or auto-reuses a name another thread created, the "
                 "collision only surfaces as E1, or as silent sharing under AUTO_REUSE.  "
                 "Explicit `reuse=True` is taken as intended sharing and not reported.",
                 "def worker(i):\n    with g.as_default(), tf.variable_scope('tower'):\n"
                 "        tf.get_variable('w', [3])",
                 "def worker(i):\n    with g.as_default(), tf.variable_scope('tower_%d' % i):\n"
                 "        tf.get_variable('w', [3])",
                 NULL, 0,
                 /* scenarios */
                 "threads:\n"
                 "  worker_1:\n"
                 "    - variable_scope: tower\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "  worker_2:\n"
                 "    - variable_scope: tower\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "          expect: {error: ValueError}\n"
                 "steps:\n"
                 "  - start: worker_1\n"
                 "  - join: worker_1\n"
                 "  - start: worker_2\n"
                 "  - join: worker_2\n",
                 "threads:\n"
                 "  worker_1:\n"
                 "    - variable_scope: tower_1\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "  worker_2:\n"
                 "    - variable_scope: tower_2\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - start: worker_1\n"
                 "  - join: worker_1\n"
                 "  - start: worker_2\n"
                 "  - join: worker_2\n",
                 NULL},
	[VS_RULE_THREAD_SCOPE_NOT_ENTERED] =
		{"VS108", "thread-scope-not-entered", VS_LEVEL_WARNING, "store",
                 "a thread creates variables at the root scope while its parent was inside a scope",
                 "A new thread starts at the root variable scope: it does not inherit the "
                 "scope its parent was in.  The idiom is to capture the scope object and "
                 "re-enter it in the thread.",
                 "with tf.variable_scope('model'):\n"
                 "    threading.Thread(target=lambda: tf.get_variable('w', [1])).start()",
                 "with tf.variable_scope('model') as s:\n    def run():\n"
                 "        with tf.variable_scope(s):\n            tf.get_variable('w', [1])\n"
                 "    threading.Thread(target=run).start()",
                 NULL, 0,
                 /* scenarios */
                 "threads:\n"
                 "  worker:\n"
                 "    - get_variable: {name: w, shape: [1]}\n"
                 "steps:\n"
                 "  - variable_scope: model\n"
                 "    body:\n"
                 "      - start: worker\n"
                 "      - join: worker\n",
                 "threads:\n"
                 "  worker:\n"
                 "    - variable_scope: {scope: s}\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [1]}\n"
                 "steps:\n"
                 "  - variable_scope: {name: model, as: s}\n"
                 "    body:\n"
                 "      - start: worker\n"
                 "      - join: worker\n",
                 NULL},
	[VS_RULE_AUTO_REUSE_OTHER_SITE] =
		{"VS109", "auto-reuse-other-site", VS_LEVEL_NOTE, "store",
                 "AUTO_REUSE returns a variable first created at a different call site",
                 "AUTO_REUSE never fails: a name collision between two unrelated pieces of "
                 "code silently shares one variable.  Sharing from the same call site (a "
                 "loop, a repeated model call) is the intended use; sharing from another "
                 "site may be an accident.",
                 "with tf.variable_scope('m', reuse=tf.AUTO_REUSE):\n"
                 "    enc = tf.get_variable('w', [3])   # encoder\n"
                 "    dec = tf.get_variable('w', [3])   # decoder: same variable!",
                 "with tf.variable_scope('m', reuse=tf.AUTO_REUSE):\n"
                 "    enc = tf.get_variable('enc_w', [3])\n    dec = tf.get_variable('dec_w', [3])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: {name: m, reuse: auto}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 "steps:\n"
                 "  - variable_scope: {name: m, reuse: auto}\n"
                 "    body:\n"
                 "      - get_variable: {name: enc_w, shape: [3]}\n"
                 "      - get_variable: {name: dec_w, shape: [3]}\n",
                 NULL},
	[VS_RULE_DEFAULT_NAME_COLLISION] =
		{"VS110", "default-name-collision", VS_LEVEL_WARNING, "store",
                 "a default_name scope lands on a name that already holds variables",
                 "`default_name` counters live in the parent scope and restart when the "
                 "parent is exited and re-entered, so a later default-named scope can be "
                 "given a name (`foo/bar`) that already holds variables: E1 in a scope that "
                 "does not reuse.  (Under reuse landing there is the sharing asked for; the "
                 "opposite mistake, a uniquified name that shares nothing, is VS114.)",
                 "for _ in range(2):\n    with tf.variable_scope('foo'):\n"
                 "        with tf.variable_scope(None, default_name='bar'):\n"
                 "            tf.get_variable('v', [1])",
                 "with tf.variable_scope('foo'):\n    for _ in range(2):\n"
                 "        with tf.variable_scope(None, default_name='bar'):\n"
                 "            tf.get_variable('v', [1])",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - variable_scope: {default_name: bar}\n"
                 "        body:\n"
                 "          - get_variable: {name: v, shape: [1]}\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - variable_scope: {default_name: bar}\n"
                 "        body:\n"
                 "          - get_variable: {name: v, shape: [1]}\n"
                 "            expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - variable_scope: {default_name: bar}\n"
                 "        body:\n"
                 "          - get_variable: {name: v, shape: [1]}\n"
                 "      - variable_scope: {default_name: bar}\n"
                 "        body:\n"
                 "          - get_variable: {name: v, shape: [1]}\n",
                 NULL},
	[VS_RULE_OP_SCOPE_DIVERGES] =
		{"VS111", "op-scope-diverges", VS_LEVEL_NOTE, "store",
                 "the op name scope differs from the variable scope",
                 "Re-entering a variable scope opens a new, uniquified name scope "
                 "(`foo_1/`) while variables keep `foo/`.  Ops and variables then sit "
                 "under different prefixes in TensorBoard and in name-based lookups.  Use "
                 "`auxiliary_name_scope=False` with `original_name_scope`.",
                 "with tf.variable_scope('foo'): pass\nwith tf.variable_scope('foo'):\n"
                 "    y = tf.add(x, 1)       # op 'foo_1/Add'",
                 "with tf.variable_scope('foo') as s: pass\n"
                 "with tf.variable_scope(s, auxiliary_name_scope=False):\n"
                 "    with tf.name_scope(s.original_name_scope):\n        y = tf.add(x, 1)  # "
                 "'foo/Add'",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: foo\n"
                 "    body: []\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - op: Add\n",
                 "steps:\n"
                 "  - variable_scope: {name: foo, as: s}\n"
                 "    body: []\n"
                 "  - variable_scope: {scope: s, auxiliary_name_scope: false}\n"
                 "    body:\n"
                 "      - name_scope: foo/\n"
                 "        body:\n"
                 "          - op: Add\n",
                 NULL},
	[VS_RULE_DIRECT_VARIABLE_COLLISION] =
		{"VS112", "direct-variable-collision", VS_LEVEL_WARNING, "store",
                 "a direct Variable and a get_variable key collide on one name",
                 "`tf.Variable` ignores the variable store and follows name scopes; when "
                 "its name equals a store key, one of the two gets a `_1` op name and "
                 "name-based lookups (savers, summaries) pick the wrong one.",
                 "with tf.variable_scope('foo'):\n    a = tf.Variable(0., name='v')\n"
                 "    b = tf.get_variable('v', [])      # op name foo/v_1",
                 "with tf.variable_scope('foo'):\n    a = tf.get_variable('v', [])\n", NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - variable: {name: v, initial_value: {kind: value, value: 0.0}}\n"
                 "      - get_variable: {name: v, shape: []}\n",
                 "steps:\n"
                 "  - variable_scope: foo\n"
                 "    body:\n"
                 "      - get_variable: {name: v, shape: []}\n",
                 NULL},
	[VS_RULE_MODEL_BUILT_TWICE] =
		{"VS113", "model-built-twice", VS_LEVEL_ERROR, "store",
                 "the same code creates the same variable twice in one graph",
                 "The call site that created a variable runs again and creates the same "
                 "name in the same store, raising E1.  Either the whole model was built "
                 "twice in one graph (notebooks re-running a cell: call "
                 "`tf.reset_default_graph()` or build in a fresh `tf.Graph()`), or a "
                 "function meant to share its variables was called a second time without "
                 "`reuse=True` (or `reuse=tf.AUTO_REUSE`).  The finding points at the first "
                 "variable-scope entry whose call site differs from the first build's (the "
                 "call that built the model again) and says where the first copy was "
                 "created; when the two builds entered the same scopes from the same places "
                 "it points at the get_variable.  The fix is the same idea either way: one "
                 "graph, one creation, explicit reuse.",
                 "build_model()\nbuild_model()     # same graph",
                 "with tf.Graph().as_default():\n    build_model()", NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  build_model:\n"
                 "    - variable_scope: model\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - call: {function: build_model}\n"
                 "  - call: {function: build_model}\n"
                 "    expect: {error: ValueError}\n",
                 "functions:\n"
                 "  build_model:\n"
                 "    - variable_scope: model\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - graph:\n"
                 "      - call: {function: build_model}\n"
                 "  - graph:\n"
                 "      - call: {function: build_model}\n",
                 NULL},
	[VS_RULE_REUSE_SHARES_NOTHING] =
		{"VS114", "reuse-shares-nothing", VS_LEVEL_WARNING, "store",
                 "a reusing scope shares nothing because a default name was uniquified",
                 "Code asks for sharing with `reuse=True` or `reuse=tf.AUTO_REUSE`, but the layers "
                 "inside are unnamed: each gets a `default_name` scope, and the counter in the "
                 "enclosing scope makes the second one `conv2d_1`.  Under AUTO_REUSE it silently "
                 "creates a second set of weights; under reuse=True it fails with \"Variable "
                 "conv2d_1/kernel does not exist\".  The finding points at the reuse that was "
                 "asked "
                 "for and names the variable the call should have shared.  Name the layers, or "
                 "enter "
                 "the reusing scope once per call so the default name restarts.",
                 "with tf.variable_scope('scope', reuse=tf.AUTO_REUSE):\n"
                 "    f1 = tf.layers.conv2d(image1, 32, 3)\n"
                 "    f2 = tf.layers.conv2d(image2, 32, 3)   # conv2d_1: not shared",
                 "with tf.variable_scope('scope', reuse=tf.AUTO_REUSE):\n"
                 "    f1 = tf.layers.conv2d(image1, 32, 3)\n"
                 "with tf.variable_scope('scope', reuse=tf.AUTO_REUSE):\n"
                 "    f2 = tf.layers.conv2d(image2, 32, 3)   # scope/conv2d again: shared",
                 NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  conv2d:\n"
                 "    - variable_scope: {default_name: conv2d}\n"
                 "      body:\n"
                 "        - get_variable: {name: kernel, shape: [3, 3, 3, 32]}\n"
                 "steps:\n"
                 "  - variable_scope: {name: scope, reuse: auto}\n"
                 "    body:\n"
                 "      - call: {function: conv2d}\n"
                 "      - call: {function: conv2d}\n",
                 "functions:\n"
                 "  conv2d:\n"
                 "    - variable_scope: {default_name: conv2d}\n"
                 "      body:\n"
                 "        - get_variable: {name: kernel, shape: [3, 3, 3, 32]}\n"
                 "steps:\n"
                 "  - variable_scope: {name: scope, reuse: auto}\n"
                 "    body:\n"
                 "      - call: {function: conv2d}\n"
                 "  - variable_scope: {name: scope, reuse: auto}\n"
                 "    body:\n"
                 "      - call: {function: conv2d}\n",
                 NULL},
	[VS_RULE_REUSE_BINDS_OTHER_SITE] =
		{"VS115", "reuse-binds-other-site", VS_LEVEL_WARNING, "store",
                 "a reusing call binds to a variable another call created",
                 "In the first build every `get_variable` call creates its own variable; in a "
                 "reusing build each should get back the one it created.  When a call that created "
                 "one variable gets another call's variable under reuse, two parts of the model "
                 "collapse onto one name (a copy-pasted scope name, unnamed layers renamed by the "
                 "library) and silently share the wrong weights.",
                 "with tf.variable_scope('enc'): encoder(x)\nwith tf.variable_scope('dec'): "
                 "decoder(h)\n"
                 "with tf.variable_scope('enc', reuse=True): encoder(x2)\n"
                 "with tf.variable_scope('enc', reuse=True): decoder(h2)   # decoder gets "
                 "enc/kernel",
                 "with tf.variable_scope('enc', reuse=True): encoder(x2)\n"
                 "with tf.variable_scope('dec', reuse=True): decoder(h2)",
                 NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  encoder:\n"
                 "    - get_variable: {name: kernel, shape: [8, 8]}\n"
                 "  decoder:\n"
                 "    - get_variable: {name: kernel, shape: [8, 8]}\n"
                 "steps:\n"
                 "  - variable_scope: enc\n"
                 "    body: [{call: {function: encoder}}]\n"
                 "  - variable_scope: dec\n"
                 "    body: [{call: {function: decoder}}]\n"
                 "  - variable_scope: {name: enc, reuse: true}\n"
                 "    body: [{call: {function: encoder}}]\n"
                 "  - variable_scope: {name: enc, reuse: true}\n"
                 "    body: [{call: {function: decoder}}]\n",
                 "functions:\n"
                 "  encoder:\n"
                 "    - get_variable: {name: kernel, shape: [8, 8]}\n"
                 "  decoder:\n"
                 "    - get_variable: {name: kernel, shape: [8, 8]}\n"
                 "steps:\n"
                 "  - variable_scope: enc\n"
                 "    body: [{call: {function: encoder}}]\n"
                 "  - variable_scope: dec\n"
                 "    body: [{call: {function: decoder}}]\n"
                 "  - variable_scope: {name: enc, reuse: true}\n"
                 "    body: [{call: {function: encoder}}]\n"
                 "  - variable_scope: {name: dec, reuse: true}\n"
                 "    body: [{call: {function: decoder}}]\n",
                 NULL},
	[VS_RULE_VARIABLE_BYPASSES_REUSE] =
		{"VS116", "variable-bypasses-reuse", VS_LEVEL_WARNING, "store",
                 "a trainable tf.Variable is created inside a reusing scope",
                 "`tf.Variable` (and Keras' `add_weight`, which goes through the variable "
                 "creators) "
                 "ignores the variable store and the scope's reuse flag: inside `reuse=True` or "
                 "AUTO_REUSE it creates a new variable every time, so a build meant to share "
                 "weights "
                 "gets fresh ones.  Use `tf.get_variable` for variables that are to be shared.",
                 "def build_Q(reuse):\n    with tf.variable_scope('Q', reuse=reuse):\n"
                 "        return tf.Variable(tf.zeros([64]))\nbuild_Q(False); build_Q(True)   # "
                 "two Qs",
                 "def build_Q(reuse):\n    with tf.variable_scope('Q', reuse=reuse):\n"
                 "        return tf.get_variable('Q', [64], initializer=tf.zeros_initializer())",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: q\n"
                 "    body:\n"
                 "      - variable: {name: Q, initial_value: {kind: value, value: 0.0, shape: "
                 "[64]}}\n"
                 "  - variable_scope: {name: q, reuse: true}\n"
                 "    body:\n"
                 "      - variable: {name: Q, initial_value: {kind: value, value: 0.0, shape: "
                 "[64]}}\n",
                 "steps:\n"
                 "  - variable_scope: q\n"
                 "    body:\n"
                 "      - get_variable: {name: Q, shape: [64], initializer: zeros}\n"
                 "  - variable_scope: {name: q, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: Q, shape: [64]}\n",
                 NULL},
	[VS_RULE_COMPANION_UNDER_REUSE] =
		{"VS117", "companion-under-reuse", VS_LEVEL_WARNING, "store",
                 "an optimizer slot, moving average or batch-norm statistic is created under reuse",
                 "Libraries create companion variables with `get_variable` in a fresh "
                 "default-named "
                 "scope named after another variable or op: Adam's slots (`w/Adam`), "
                 "ExponentialMovingAverage (`.../ExponentialMovingAverage`), batch norm's moving "
                 "statistics.  Under a reusing scope they cannot exist yet, and TensorFlow fails "
                 "far "
                 "away (often in `minimize()`) with \"Variable .../Adam/ does not exist\".  When "
                 "the default-name counters have restarted (the tower re-entered the root scope), "
                 "the companion's scope gets the first build's name and TensorFlow silently binds "
                 "the first build's slot instead: two optimizers share one.  The finding names the "
                 "companion variable and points at the reuse that leaked into the library call (a "
                 "root `reuse_variables()`, a reused tower scope), or, for a silent bind under "
                 "reuse "
                 "asked for on purpose, at the call that creates the companion inside it.",
                 "with tf.variable_scope('s', reuse=True):\n    v = tf.get_variable('W', []) + 1\n"
                 "    ema.apply([v])                  # its variables cannot exist",
                 "with tf.variable_scope('s', reuse=True):\n    v = tf.get_variable('W', []) + 1\n"
                 "ema.apply([v])                      # outside the reusing scope",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: s\n"
                 "    body:\n"
                 "      - get_variable: {name: W, shape: []}\n"
                 "  - variable_scope: {name: s, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: W, shape: []}\n"
                 "      - variable_scope: {default_name: W/ExponentialMovingAverage}\n"
                 "        body:\n"
                 "          - get_variable: {name: \"\", shape: [], initializer: zeros, trainable: "
                 "false}\n"
                 "            expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - variable_scope: s\n"
                 "    body:\n"
                 "      - get_variable: {name: W, shape: []}\n"
                 "  - variable_scope: {name: s, reuse: true}\n"
                 "    body:\n"
                 "      - get_variable: {name: W, shape: []}\n"
                 "  - variable_scope: {default_name: s/W/ExponentialMovingAverage}\n"
                 "    body:\n"
                 "      - get_variable: {name: \"\", shape: [], initializer: zeros, trainable: "
                 "false}\n",
                 NULL},
	[VS_RULE_TF_ERROR] =
		{"VS118", "tensorflow-error", VS_LEVEL_ERROR, "store",
                 "TensorFlow raised an error that no other rule explains",
                 "The trace holds an error TensorFlow raised (an ERROR event) and no other rule "
                 "reported it: vscheck reports it at the raising call with TensorFlow's message, "
                 "so "
                 "a check never passes on a trace whose program failed.  Errors that other rules "
                 "explain (the store's E1-E4, nesting errors, template and creator errors) are not "
                 "repeated.",
                 "w = tf.get_variable('w', [2], initializer=tf.constant([1., 2.]))\n"
                 "# ValueError: If initializer is a constant, do not specify shape.",
                 "w = tf.get_variable('w', initializer=tf.constant([1., 2.]))", NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - get_variable: {name: w, shape: [2], initializer: {kind: value, value: 1.0, "
                 "shape: [2]}}\n"
                 "    expect: {error: ValueError}\n",
                 "steps:\n"
                 "  - get_variable: {name: w, initializer: {kind: value, value: 1.0, shape: "
                 "[2]}}\n",
                 NULL},
	[VS_RULE_TEMPLATE_TRAINABLE_VARIABLE] =
		{"VS201", "template-direct-variable", VS_LEVEL_ERROR, "template",
                 "a trainable tf.Variable is created inside a template",
                 "Templates share through get_variable only.  A trainable `tf.Variable` "
                 "inside the template function is created anew on every call; TensorFlow "
                 "raises \"Trainable variable created when calling a template after the "
                 "first time, perhaps you used tf.Variable when you meant tf.get_variable: "
                 "%s\" (E23) only from the second call.  vscheck flags the first call too.",
                 "def f(x):\n    w = tf.Variable(tf.ones([3]))\n    return x * w\n"
                 "t = tf.make_template('f', f)",
                 "def f(x):\n    w = tf.get_variable('w', [3], initializer=tf.ones_initializer())\n"
                 "    return x * w\nt = tf.make_template('f', f)",
                 NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  f:\n"
                 "    - variable: {name: w, initial_value: {kind: value, value: 1.0, shape: [3]}}\n"
                 "steps:\n"
                 "  - make_template: {name: f, function: f, as: t}\n"
                 "  - call: t\n"
                 "  - call: t\n"
                 "    expect: {error: ValueError}\n",
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: w, shape: [3], initializer: ones}\n"
                 "steps:\n"
                 "  - make_template: {name: f, function: f, as: t}\n"
                 "  - call: t\n"
                 "  - call: t\n",
                 NULL},
	[VS_RULE_TEMPLATE_LATE_VARIABLE] =
		{"VS202", "template-late-variable", VS_LEVEL_WARNING, "template",
                 "a template creates new non-trainable variables after its first call",
                 "After its first call a template is expected to only reuse.  TensorFlow "
                 "checks trainable variables (E23) but says nothing about non-trainable "
                 "ones (counters, moving averages), which then are not shared.",
                 "def f(x):\n    c = tf.Variable(0, trainable=False)\n    return x\n"
                 "t = tf.make_template('f', f); t(a); t(b)",
                 "def f(x):\n    c = tf.get_variable('c', [], tf.int32, trainable=False)\n    "
                 "return x",
                 NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  f:\n"
                 "    - variable: {name: c, trainable: false, initial_value: {kind: value, value: "
                 "0, dtype: int32}}\n"
                 "steps:\n"
                 "  - make_template: {name: f, function: f, as: t}\n"
                 "  - call: t\n"
                 "  - call: t\n",
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: c, shape: [], dtype: int32, trainable: false}\n"
                 "steps:\n"
                 "  - make_template: {name: f, function: f, as: t}\n"
                 "  - call: t\n"
                 "  - call: t\n",
                 NULL},
	[VS_RULE_TEMPLATE_UNIQUE_NAME] =
		{"VS203", "template-unique-name-collision", VS_LEVEL_ERROR, "template",
                 "two templates share one unique_name_",
                 "`unique_name_` fixes the template's variable scope name.  Two templates "
                 "given the same value write into one scope: the second one's first call "
                 "collides with the first one's variables (E1) or shares them by accident.",
                 "a = tf.make_template('a', f, unique_name_='net')\n"
                 "b = tf.make_template('b', g, unique_name_='net')",
                 "a = tf.make_template('a', f, unique_name_='net_a')\n"
                 "b = tf.make_template('b', g, unique_name_='net_b')",
                 NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - make_template: {name: a, function: f, unique_name: net, as: a}\n"
                 "  - make_template: {name: b, function: f, unique_name: net, as: b}\n"
                 "  - call: a\n"
                 "  - call: b\n"
                 "    expect: {error: ValueError}\n",
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - make_template: {name: a, function: f, unique_name: net_a, as: a}\n"
                 "  - make_template: {name: b, function: f, unique_name: net_b, as: b}\n"
                 "  - call: a\n"
                 "  - call: b\n",
                 NULL},
	[VS_RULE_TEMPLATE_MISSING_VARIABLE] =
		{"VS204", "template-missing-variable", VS_LEVEL_ERROR, "template",
                 "a later template call gets a variable the first call never created",
                 "Later calls run with reuse=True, so a `get_variable` that the first call "
                 "did not reach (data-dependent Python branches) raises E2.",
                 "def f(x, extra):\n    if extra:\n        x += tf.get_variable('b', [1])\n    "
                 "return x\n"
                 "t = tf.make_template('f', f); t(x, False); t(x, True)",
                 "def f(x, extra):\n    b = tf.get_variable('b', [1])\n"
                 "    return x + b if extra else x",
                 NULL, 0, NULL, NULL,
                 "scenario functions take no arguments, so a template body cannot branch between "
                 "calls; tested with the runtime in tests/unit/test_checker_rules.c"},
	[VS_RULE_TEMPLATE_MADE_AGAIN] =
		{"VS205", "template-made-again", VS_LEVEL_WARNING, "template",
                 "make_template runs again at the same place with the same name",
                 "A template shares its variables across its own calls only.  When the code that "
                 "calls `make_template` runs a second time (the model function is called again), "
                 "it "
                 "makes a new template whose variables land in `net_1/...`: nothing is shared with "
                 "the first one.  Make the template once and call it again.",
                 "def build(x):\n    net = tf.make_template('net', f)\n    return net(x)\n"
                 "build(a); build(b)                  # two templates, net/ and net_1/",
                 "net = tf.make_template('net', f)\nnet(a); net(b)", NULL, 0,
                 /* scenarios */
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: w, shape: [3]}\n"
                 "  build:\n"
                 "    - make_template: {name: net, function: f, as: t}\n"
                 "    - call: t\n"
                 "steps:\n"
                 "  - call: {function: build}\n"
                 "  - call: {function: build}\n",
                 "functions:\n"
                 "  f:\n"
                 "    - get_variable: {name: w, shape: [3]}\n"
                 "steps:\n"
                 "  - make_template: {name: net, function: f, as: t}\n"
                 "  - call: t\n"
                 "  - call: t\n",
                 NULL},
	[VS_RULE_FUNCTION_NOT_LIFTED] =
		{"VS301", "function-variable-not-lifted", VS_LEVEL_WARNING, "context",
                 "a variable is created while building a function graph without init_scope",
                 "A variable created while tracing a function lives in the function graph "
                 "unless `init_scope` lifts it to the outer context; it is re-created on "
                 "every retrace.",
                 "@tf.function\ndef f():\n    v = tf.Variable(1.0, "
                 "experimental_enable_variable_lifting=False)",
                 "@tf.function\ndef f():\n    with tf.init_scope():\n        v = tf.Variable(1.0)",
                 NULL, 0, NULL, NULL,
                 "scenarios cannot turn variable lifting off "
                 "(experimental_enable_variable_lifting=False); examples/funcgraph_bug_nolift.c "
                 "shows it (tests/e2e/t4060-examples-funcgraph.sh)"},
	[VS_RULE_CONTROL_DEPS_VARIABLE] =
		{"VS302", "control-flow-variable", VS_LEVEL_WARNING, "context",
                 "a variable is created under control dependencies or cond/while without "
                 "init_scope",
                 "Variable creation should not depend on other ops: under "
                 "`control_dependencies`, `cond` or `while_loop` its initializer gets the "
                 "control inputs (TF <= 1.x, issue #10486).  `init_scope` clears them.  A "
                 "`tf.Variable` created inside `cond` or `while_loop` computes its initial "
                 "value there, before the constructor lifts the variable out: TensorFlow "
                 "fails with \"Initializer for variable ... is from inside a control-flow "
                 "construct\" (or \"has inputs from different frames\").",
                 "with tf.control_dependencies([op]):\n    v = tf.Variable(0.)",
                 "with tf.control_dependencies([op]):\n    with tf.init_scope():\n        v = "
                 "tf.Variable(0.)",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - while_loop:\n"
                 "      - variable: {name: w, initial_value: {kind: value, value: 1, dtype: "
                 "int32}}\n"
                 "        expect: {error: {kind: ValueError, prefix: \"Initializer for variable w/ "
                 "is "
                 "from inside a control-flow construct\"}}\n"
                 "      - op: Add\n",
                 "steps:\n"
                 "  - variable: {name: w, initial_value: {kind: value, value: 1, dtype: int32}}\n"
                 "  - while_loop:\n"
                 "      - op: Add\n",
                 NULL},
	[VS_RULE_TAPE_VARIABLE] =
		{"VS303", "tape-variable", VS_LEVEL_WARNING, "context",
                 "a variable is created while a gradient tape records",
                 "Creating a variable under a recording tape records its initialization; "
                 "init_scope pauses tapes.",
                 "with tf.GradientTape() as t:\n    v = tf.Variable(1.0)",
                 "v = tf.Variable(1.0)\nwith tf.GradientTape() as t:\n    y = v * v", NULL, 0, NULL,
                 NULL,
                 "a tape records a variable's creation only when lifting is turned off (init_scope "
                 "pauses the tape), which scenarios cannot express; tested with hand-built event "
                 "streams in tests/unit/test_checker_rules.c"},
	[VS_RULE_INIT_SCOPE_FALLBACK] =
		{"VS304", "init-scope-global-fallback", VS_LEVEL_NOTE, "context",
                 "init_scope lifted to the global default graph",
                 "When no outer context is found init_scope falls back to the global "
                 "default graph; variables lifted there do not live in the graph the "
                 "caller was building.",
                 "g = tf.Graph()  # a graph built without as_default() around the function",
                 "with g.as_default():\n    build()", NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - graph: {as: g}\n"
                 "  - as_default: g\n"
                 "    body:\n"
                 "      - func_graph: {name: f, as: f}\n"
                 "        body: []\n"
                 "  - as_default: f\n"
                 "    body:\n"
                 "      - init_scope:\n"
                 "          - variable: {name: v, initial_value: {kind: value, value: 0.0}}\n",
                 "steps:\n"
                 "  - graph: {as: g}\n"
                 "  - as_default: g\n"
                 "    body:\n"
                 "      - func_graph: {name: f}\n"
                 "        body:\n"
                 "          - init_scope:\n"
                 "              - variable: {name: v, initial_value: {kind: value, value: 0.0}}\n",
                 NULL},
	[VS_RULE_EAGER_NO_STORE] =
		{"VS305", "eager-get-variable-no-store", VS_LEVEL_WARNING, "context",
                 "get_variable in eager mode without an EagerVariableStore or template",
                 "In eager mode `get_variable` without an active EagerVariableStore creates "
                 "a new variable on every call, whatever the reuse flag says; sharing "
                 "silently fails (reuse=True raises E11).",
                 "tf.enable_eager_execution()\nw = tf.get_variable('w', [3])\nw2 = "
                 "tf.get_variable('w', [3])",
                 "store = tf.contrib.eager.EagerVariableStore()\nwith store.as_default():\n"
                 "    w = tf.get_variable('w', [3])",
                 NULL, 0,
                 /* scenarios */
                 "config: {eager: true}\n"
                 "steps:\n"
                 "  - get_variable: {name: w, shape: [3]}\n"
                 "  - get_variable: {name: w, shape: [3]}\n",
                 "config: {eager: true}\n"
                 "steps:\n"
                 "  - eager_store: {as: store}\n"
                 "  - eager_store_scope: store\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 NULL},
	[VS_RULE_CREATOR_NO_VARIABLE] =
		{"VS306", "creator-returns-no-variable", VS_LEVEL_ERROR, "context",
                 "a variable creator neither delegates nor returns a variable",
                 "A creator must call `next_creator(**kwargs)` (or build a variable "
                 "itself) and return the result.  Returning None breaks every caller.",
                 "def creator(next_creator, **kw):\n    print(kw['name'])",
                 "def creator(next_creator, **kw):\n    print(kw['name'])\n    return "
                 "next_creator(**kw)",
                 NULL, 0,
                 /* scenarios */
                 "creators:\n"
                 "  log_only: {delegate: false}\n"
                 "steps:\n"
                 "  - creator_scope: log_only\n"
                 "    body:\n"
                 "      - get_variable: {name: x, shape: [1]}\n"
                 "        expect: {error: AttributeError}\n",
                 "creators:\n"
                 "  log_then_delegate: ~\n"
                 "steps:\n"
                 "  - creator_scope: log_then_delegate\n"
                 "    body:\n"
                 "      - get_variable: {name: x, shape: [1]}\n",
                 NULL},
	[VS_RULE_CREATOR_MULTIPLE] =
		{"VS307", "creator-creates-many", VS_LEVEL_NOTE, "context",
                 "a creator creates more variables than requested",
                 "One request should produce one variable.  A creator that calls "
                 "`next_creator` several times leaves extra variables in the graph.  "
                 "Option `max-created` (default 1) is the number allowed per request.",
                 "def creator(next_creator, **kw):\n    next_creator(**kw)\n    return "
                 "next_creator(**kw)",
                 "def creator(next_creator, **kw):\n    return next_creator(**kw)", "max-created",
                 1,
                 /* scenarios */
                 "creators:\n"
                 "  twice: {repeat: 2}\n"
                 "steps:\n"
                 "  - creator_scope: twice\n"
                 "    body:\n"
                 "      - variable: {name: x, initial_value: {kind: value, value: 0.0}}\n",
                 "creators:\n"
                 "  once: ~\n"
                 "steps:\n"
                 "  - creator_scope: once\n"
                 "    body:\n"
                 "      - variable: {name: x, initial_value: {kind: value, value: 0.0}}\n",
                 NULL},
	[VS_RULE_GETTER_RENAMES] =
		{"VS308", "getter-renames", VS_LEVEL_NOTE, "context",
                 "a custom getter returns a variable under a different name",
                 "A custom getter that rewrites `name` makes the variable live under a key "
                 "the caller never asked for; later reuse by the original name fails.",
                 "def getter(getter, name, *a, **kw):\n    return getter(name + '_ema', *a, **kw)",
                 "def getter(getter, name, *a, **kw):\n    return getter(name, *a, **kw)", NULL, 0,
                 /* scenarios */
                 "getters:\n"
                 "  ema: {name_suffix: _ema}\n"
                 "steps:\n"
                 "  - variable_scope: {name: m, custom_getter: ema}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 "getters:\n"
                 "  passthrough: ~\n"
                 "steps:\n"
                 "  - variable_scope: {name: m, custom_getter: passthrough}\n"
                 "    body:\n"
                 "      - get_variable: {name: w, shape: [3]}\n",
                 NULL},
	[VS_RULE_IMPROPER_NESTING] =
		{"VS309", "improper-nesting", VS_LEVEL_ERROR, "context",
                 "a scope is exited out of order",
                 "Scopes and context managers must be exited in reverse order of entry: "
                 "\"Improper nesting of variable_scope.\" (E17), \"Exiting "
                 "variable_creator_scope without proper nesting.\" (E18), \"Nesting "
                 "violated for default stack of %s objects\" (E28).",
                 "a = tf.variable_scope('a'); a.__enter__()\nb = tf.variable_scope('b'); "
                 "b.__enter__()\n"
                 "a.__exit__(None, None, None)",
                 "with tf.variable_scope('a'):\n    with tf.variable_scope('b'):\n        pass",
                 NULL, 0,
                 /* scenarios */
                 "steps:\n"
                 "  - variable_scope: {name: a, cm: ca}\n"
                 "  - variable_scope: {name: b, cm: cb}\n"
                 "  - exit: ca\n"
                 "    expect: {error: RuntimeError}\n",
                 "steps:\n"
                 "  - variable_scope: a\n"
                 "    body:\n"
                 "      - variable_scope: b\n"
                 "        body: []\n",
                 NULL},
	[VS_RULE_THREAD_GLOBAL_GRAPH] =
		{"VS310", "thread-global-graph", VS_LEVEL_WARNING, "context",
                 "a new thread creates variables in the global default graph, not its parent's",
                 "The default graph stack is thread-local: a thread started inside "
                 "`g.as_default()` builds into the global default graph unless it enters "
                 "`g.as_default()` itself.",
                 "with g.as_default():\n    threading.Thread(target=build).start()",
                 "def run():\n    with g.as_default():\n        build()\n"
                 "threading.Thread(target=run).start()",
                 NULL, 0,
                 /* scenarios */
                 "threads:\n"
                 "  worker:\n"
                 "    - get_variable: {name: w, shape: [1]}\n"
                 "steps:\n"
                 "  - graph: {as: g}\n"
                 "  - as_default: g\n"
                 "    body:\n"
                 "      - start: worker\n"
                 "      - join: worker\n",
                 "threads:\n"
                 "  worker:\n"
                 "    - as_default: g\n"
                 "      body:\n"
                 "        - get_variable: {name: w, shape: [1]}\n"
                 "steps:\n"
                 "  - graph: {as: g}\n"
                 "  - as_default: g\n"
                 "    body:\n"
                 "      - start: worker\n"
                 "      - join: worker\n",
                 NULL},
	[VS_RULE_FUNCTION_RETRACE_CREATES] =
		{"VS311", "function-retrace-creates", VS_LEVEL_ERROR, "context",
                 "a function creates variables when it is traced again",
                 "A `tf.function` may create variables on its first trace only: TensorFlow raises "
                 "\"tf.function-decorated function tried to create variables on non-first call\" "
                 "when a retrace (a new input signature, a new Python argument) creates them "
                 "again.  "
                 "The trace shows it as a function graph named like an earlier one in which a "
                 "variable is created.  Create the layer or variable outside the function.",
                 "@tf.function\ndef train_step(x):\n    layer = tf.keras.layers.Dense(10)   # "
                 "every trace\n"
                 "    return layer(x)",
                 "layer = tf.keras.layers.Dense(10)\n@tf.function\ndef train_step(x):\n"
                 "    return layer(x)",
                 NULL, 0,
                 /* scenarios */
                 "config: {eager: true}\n"
                 "steps:\n"
                 "  - func_graph: {name: train_step}\n"
                 "    body:\n"
                 "      - variable: {name: kernel, initial_value: {kind: lambda}, v2: true}\n"
                 "  - func_graph: {name: train_step}\n"
                 "    body:\n"
                 "      - variable: {name: kernel, initial_value: {kind: lambda}, v2: true}\n",
                 "config: {eager: true}\n"
                 "steps:\n"
                 "  - variable: {name: kernel, initial_value: {kind: lambda}, v2: true}\n"
                 "  - func_graph: {name: train_step}\n"
                 "    body:\n"
                 "      - op: MatMul\n"
                 "  - func_graph: {name: train_step}\n"
                 "    body:\n"
                 "      - op: MatMul\n",
                 NULL},
	[VS_RULE_CREATOR_STACK_MISMATCH] =
		{"VS312", "creator-stack-mismatch", VS_LEVEL_WARNING, "context",
                 "variables that belong together are created under different variable creators",
                 "An optimizer slot or moving average must be created under the same variable "
                 "creators as the variable it belongs to: a model built outside a distribution "
                 "strategy's scope whose slots are created inside it fails with \"Trying to create "
                 "optimizer slot variable under the scope for tf.distribute.Strategy ..., which is "
                 "different from the scope used for the original variable\".  The finding points "
                 "at "
                 "the first variable's creation: build the model inside the same scope.",
                 "model = build_model()\nwith strategy.scope():\n    opt.minimize(loss)   # slots "
                 "mirrored",
                 "with strategy.scope():\n    model = build_model()\n    opt.minimize(loss)", NULL,
                 0,
                 /* scenarios */
                 "creators:\n"
                 "  mirrored: ~\n"
                 "steps:\n"
                 "  - get_variable: {name: kernel, shape: [10, 1]}\n"
                 "  - creator_scope: mirrored\n"
                 "    body:\n"
                 "      - variable_scope: {default_name: kernel/Adam}\n"
                 "        body:\n"
                 "          - get_variable: {name: \"\", shape: [10, 1], initializer: zeros, "
                 "trainable: false}\n",
                 "creators:\n"
                 "  mirrored: ~\n"
                 "steps:\n"
                 "  - creator_scope: mirrored\n"
                 "    body:\n"
                 "      - get_variable: {name: kernel, shape: [10, 1]}\n"
                 "      - variable_scope: {default_name: kernel/Adam}\n"
                 "        body:\n"
                 "          - get_variable: {name: \"\", shape: [10, 1], initializer: zeros, "
                 "trainable: false}\n",
                 NULL},
};

const vs_rule *vs_rule_get(vs_rule_id id)
{
	if ((unsigned)id >= VS_RULE__COUNT)
		return NULL;
	return &catalog[id];
}

const char *vs_level_name(vs_level l)
{
	static const char *const names[] = {"off", "note", "warning", "error"};
	return (unsigned)l < 4 ? names[l] : "?";
}

int vs_level_from_name(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, vs_level_name((vs_level)i)) == 0)
			return i;
	return -1;
}

int vs_rule_find(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < VS_RULE__COUNT; i++)
		if (strcasecmp(s, catalog[i].code) == 0 || strcmp(s, catalog[i].name) == 0)
			return i;
	return -1;
}

/* "VS", "VS1", "VS10" ... (letters then digits, not longer than a code) */
static int is_code_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 5 || toupper((unsigned char)s[0]) != 'V' ||
	    toupper((unsigned char)s[1]) != 'S')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int vs_rule_matches(vs_rule_id id, const char *s)
{
	const vs_rule *r = vs_rule_get(id);
	if (!r || !s)
		return 0;
	if (strcasecmp(s, "ALL") == 0 || strcmp(s, r->name) == 0)
		return 1;
	return is_code_prefix(s) && strncasecmp(r->code, s, strlen(s)) == 0;
}

int vs_rule_spec_valid(const char *s)
{
	for (int i = 0; i < VS_RULE__COUNT; i++)
		if (vs_rule_matches((vs_rule_id)i, s))
			return 1;
	return 0;
}
