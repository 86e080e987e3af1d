#!/bin/sh
# t6040-export-var-args.sh: trace format 3 records what a variable was made
# with (VAR_INFO) and the arguments of each call (VAR_ARGS):
# - the variables view of the GAN example shows each variable's effective
#   initializer as TF 1.x gives it (tf.layers' kernels: glorot_uniform, the
#   get_variable default for floats; biases and Adam slots: zeros; the
#   beta powers: the value they start from);
# - its scenario export passes the recorded initializers and expects them;
# - a format-2 trace (the same file rewritten with format 2's var_tab and
#   variables view, without the new events) is still read: info, query,
#   json export, vscheck and replay work, and its view has format 2's 18
#   columns.
. "$(dirname "$0")/lib.sh"
need "$VSTRACE" "$VSCHECK" "$B/examples/gan"
rec gan
db=$T/gan.db
check "gan initializers" "$(q "$db" "SELECT name || ' ' || initializer || ' ' || trainable
	FROM variables ORDER BY create_seq")" "generator/hidden/kernel:0 glorot_uniform 1
generator/hidden/bias:0 zeros 1
generator/out/kernel:0 glorot_uniform 1
generator/out/bias:0 zeros 1
discriminator/hidden/kernel:0 glorot_uniform 1
discriminator/hidden/bias:0 zeros 1
discriminator/logits/kernel:0 glorot_uniform 1
discriminator/logits/bias:0 zeros 1
beta1_power:0 value(value=0.9, dtype=float32, shape=()) 0
beta2_power:0 value(value=0.999, dtype=float32, shape=()) 0
discriminator/hidden/kernel/Adam:0 zeros 0
discriminator/hidden/kernel/Adam_1:0 zeros 0
discriminator/hidden/bias/Adam:0 zeros 0
discriminator/hidden/bias/Adam_1:0 zeros 0
discriminator/logits/kernel/Adam:0 zeros 0
discriminator/logits/kernel/Adam_1:0 zeros 0
discriminator/logits/bias/Adam:0 zeros 0
discriminator/logits/bias/Adam_1:0 zeros 0
beta1_power_1:0 value(value=0.9, dtype=float32, shape=()) 0
beta2_power_1:0 value(value=0.999, dtype=float32, shape=()) 0
generator/hidden/kernel/Adam:0 zeros 0
generator/hidden/kernel/Adam_1:0 zeros 0
generator/hidden/bias/Adam:0 zeros 0
generator/hidden/bias/Adam_1:0 zeros 0
generator/out/kernel/Adam:0 zeros 0
generator/out/kernel/Adam_1:0 zeros 0
generator/out/bias/Adam:0 zeros 0
generator/out/bias/Adam_1:0 zeros 0"
check "one VAR_INFO per variable" "$(q "$db" "SELECT count(*) FROM events WHERE kind = 'VAR_INFO'")" \
	"$(q "$db" 'SELECT count(*) FROM variables')"
"$VSTRACE" export --format scenario -o "$T/gan.yaml" "$db"
check "exported kernel step" "$(grep -A1 -m1 'name: "kernel"' "$T/gan.yaml")" \
'  - get_variable: {name: "kernel", shape: [100, 128], dtype: float32, initializer: glorot_uniform, trainable: true, as: v1}
    expect: {created: true, name: "generator/hidden/kernel:0", trainable: true, initializer: glorot_uniform}'
check "replay" "$("$VSTRACE" replay "$db" | sed 's/[0-9]* calls/N calls/')" \
	"replay: N calls, all outcomes identical"

# the same trace as format 2 wrote it
cp "$db" "$T/v2.db"
cols='proc INTEGER, var_id INTEGER, name TEXT, store_key TEXT, shape TEXT, dtype TEXT, trainable INTEGER, collections TEXT, graph INTEGER, created_by TEXT, template INTEGER, flags INTEGER, seq INTEGER, tid INTEGER, file TEXT, line INTEGER, function TEXT, stack INTEGER'
view='name, shape, dtype, trainable, collections, graph, created_by, seq AS create_seq, file, line, function, proc, tid, var_id, store_key, template, flags, stack'
sqlite3 "$T/v2.db" "DELETE FROM ev WHERE kind IN (65, 66);
	CREATE TEMP TABLE keep AS SELECT proc, var_id, name, store_key, shape, dtype, trainable,
	 collections, graph, created_by, template, flags, seq, tid, file, line, function, stack
	 FROM var_tab;
	DROP VIEW variables; DROP INDEX var_name; DROP TABLE var_tab;
	CREATE TABLE var_tab($cols, PRIMARY KEY(proc, var_id)) WITHOUT ROWID;
	CREATE VIEW variables AS SELECT $view FROM var_tab;
	CREATE INDEX IF NOT EXISTS var_name ON var_tab(name);
	INSERT INTO var_tab SELECT * FROM temp.keep;
	UPDATE meta SET value = '2' WHERE key = 'format_version';
	PRAGMA user_version = 2;" || fail "rewriting as format 2"
check "v2: info" "$("$VSTRACE" info "$T/v2.db" | sed -n 's/^status  *//p; s/^format  *//p' |
	tr '\n' ' ')" "complete 2 "
check "v2: variables" "$(q "$T/v2.db" 'SELECT count(*) FROM variables')" \
	"$(q "$db" 'SELECT count(*) FROM variables')"
check "v2: view columns" "$(q "$T/v2.db" "SELECT count(*) FROM pragma_table_info('variables')")" 18
check "v2: json rows" "$("$VSTRACE" export --format json --view variables "$T/v2.db" | wc -l |
	tr -d ' ')" "$(q "$db" 'SELECT count(*) FROM variables')"
rc2=0
"$VSCHECK" --no-config "$T/v2.db" >/dev/null 2>&1 || rc2=$?
rc3=0
"$VSCHECK" --no-config "$db" >/dev/null 2>&1 || rc3=$?
check "v2: vscheck as format 3" "$rc2" "$rc3"
check "v2: replay" "$("$VSTRACE" replay "$T/v2.db" | sed 's/[0-9]* calls/N calls/')" \
	"replay: N calls, all outcomes identical"
check "v2: export says what it lacks" \
	"$("$VSTRACE" export --format scenario "$T/v2.db" | grep -c 'before format 3 also lacks')" 1
t_done
