/* SPDX-License-Identifier: MIT */
/* tests for store/export_*.c: the Chrome trace-event JSON (validated by a
 * small JSON parser below: well-formed, traceEvents, B/E nesting per
 * thread, monotonic ts, metadata), the JSON/CSV rows with the trace's
 * identity, the DOT picture and the scenario export with its line map.
 * The commands end to end: tests/e2e/t6000-export-*.sh. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "store/export.h"
#include "store/recorder.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"
#include "vs/vs.h"

/* ----------------------------------------------------- a JSON checker */

struct jev {
	char ph[4], name[256];
	double ts;
	long long pid, tid;
	int has_ts;
};

struct track {
	long long pid, tid;
	double last_ts;
	char stack[32][256];
	int depth, named;
};

struct chrome_check {
	const char *s, *base;
	int err;
	long long events, begins, instants, flows, meta_procs;
	struct track tracks[64];
	int ntracks;
	char why[256];
};

static void cc_fail(struct chrome_check *c, const char *why)
{
	if (!c->err)
		snprintf(c->why, sizeof c->why, "%s at offset %ld", why, (long)(c->s - c->base));
	c->err = 1;
}

static void ws(struct chrome_check *c)
{
	while (*c->s == ' ' || *c->s == '\n' || *c->s == '\t' || *c->s == '\r')
		c->s++;
}

/* a string (escapes checked, copied raw into out) */
static void jstring(struct chrome_check *c, char *out, size_t cap)
{
	size_t n = 0;
	if (*c->s != '"')
		return cc_fail(c, "string expected");
	for (c->s++; *c->s != '"'; c->s++) {
		if (!*c->s || (unsigned char)*c->s < 0x20)
			return cc_fail(c, "bad string");
		if (*c->s == '\\') {
			c->s++;
			if (!strchr("\"\\/bfnrtu", *c->s))
				return cc_fail(c, "bad escape");
		}
		if (out && n + 1 < cap)
			out[n++] = *c->s;
	}
	c->s++;
	if (out)
		out[n] = '\0';
}

static double jnumber(struct chrome_check *c)
{
	char *end;
	double d = strtod(c->s, &end);
	if (end == c->s)
		cc_fail(c, "number expected");
	c->s = end;
	return d;
}

static void jvalue(struct chrome_check *c, struct jev *ev);

static void jobject(struct chrome_check *c, struct jev *ev)
{
	char key[64];
	c->s++;
	ws(c);
	if (*c->s == '}') {
		c->s++;
		return;
	}
	for (;;) {
		ws(c);
		jstring(c, key, sizeof key);
		ws(c);
		if (*c->s++ != ':')
			return cc_fail(c, "':' expected");
		ws(c);
		if (ev && !strcmp(key, "ph"))
			jstring(c, ev->ph, sizeof ev->ph);
		else if (ev && !strcmp(key, "name") && *c->s == '"')
			jstring(c, ev->name, sizeof ev->name);
		else if (ev && !strcmp(key, "ts"))
			ev->ts = jnumber(c), ev->has_ts = 1;
		else if (ev && !strcmp(key, "pid"))
			ev->pid = (long long)jnumber(c);
		else if (ev && !strcmp(key, "tid"))
			ev->tid = (long long)jnumber(c);
		else
			jvalue(c, NULL);
		if (c->err)
			return;
		ws(c);
		if (*c->s == ',') {
			c->s++;
			continue;
		}
		if (*c->s++ != '}')
			return cc_fail(c, "'}' expected");
		return;
	}
}

static void check_event(struct chrome_check *c, const struct jev *e);

static void jarray(struct chrome_check *c, int events)
{
	c->s++;
	ws(c);
	if (*c->s == ']') {
		c->s++;
		return;
	}
	for (;;) {
		struct jev ev;
		memset(&ev, 0, sizeof ev);
		ws(c);
		if (events && *c->s != '{')
			return cc_fail(c, "an event must be an object");
		if (events)
			jobject(c, &ev);
		else
			jvalue(c, NULL);
		if (c->err)
			return;
		if (events)
			check_event(c, &ev);
		ws(c);
		if (*c->s == ',') {
			c->s++;
			continue;
		}
		if (*c->s++ != ']')
			return cc_fail(c, "']' expected");
		return;
	}
}

static void jvalue(struct chrome_check *c, struct jev *ev)
{
	ws(c);
	if (*c->s == '{')
		jobject(c, ev);
	else if (*c->s == '[')
		jarray(c, 0);
	else if (*c->s == '"')
		jstring(c, NULL, 0);
	else if (!strncmp(c->s, "true", 4) || !strncmp(c->s, "null", 4))
		c->s += 4;
	else if (!strncmp(c->s, "false", 5))
		c->s += 5;
	else
		jnumber(c);
}

static struct track *track_of(struct chrome_check *c, long long pid, long long tid)
{
	for (int i = 0; i < c->ntracks; i++)
		if (c->tracks[i].pid == pid && c->tracks[i].tid == tid)
			return &c->tracks[i];
	if (c->ntracks == 64)
		return NULL;
	memset(&c->tracks[c->ntracks], 0, sizeof c->tracks[0]);
	c->tracks[c->ntracks].pid = pid;
	c->tracks[c->ntracks].tid = tid;
	c->tracks[c->ntracks].last_ts = -1;
	return &c->tracks[c->ntracks++];
}

static void check_event(struct chrome_check *c, const struct jev *e)
{
	struct track *t = track_of(c, e->pid, e->tid);
	c->events++;
	if (!t)
		return cc_fail(c, "too many tracks");
	if (!strcmp(e->ph, "M")) {
		t->named |= !strcmp(e->name, "thread_name");
		c->meta_procs += !strcmp(e->name, "process_name");
		return;
	}
	if (!t->named)
		return cc_fail(c, "an event before its thread_name metadata");
	if (!e->has_ts || e->ts < t->last_ts)
		return cc_fail(c, "ts missing or going back on a thread");
	t->last_ts = e->ts;
	if (!strcmp(e->ph, "B")) {
		if (t->depth == 32)
			return cc_fail(c, "too deep");
		snprintf(t->stack[t->depth++], sizeof t->stack[0], "%s", e->name);
		c->begins++;
	} else if (!strcmp(e->ph, "E")) {
		if (!t->depth || strcmp(t->stack[t->depth - 1], e->name))
			return cc_fail(c, "an E that does not close the innermost B");
		t->depth--;
	} else if (!strcmp(e->ph, "i")) {
		c->instants++;
	} else if (!strcmp(e->ph, "s") || !strcmp(e->ph, "t") || !strcmp(e->ph, "f")) {
		c->flows++;
	} else {
		cc_fail(c, "unknown phase");
	}
}

/* Validates a whole Chrome trace; c->err and c->why on failure. */
static void chrome_validate(struct chrome_check *c, const char *json)
{
	char key[64];
	int seen = 0;
	memset(c, 0, sizeof *c);
	c->s = c->base = json;
	ws(c);
	if (*c->s != '{')
		return cc_fail(c, "the trace must be an object");
	c->s++;
	while (!c->err) {
		ws(c);
		jstring(c, key, sizeof key);
		ws(c);
		if (*c->s++ != ':')
			return cc_fail(c, "':' expected");
		ws(c);
		if (!strcmp(key, "traceEvents")) {
			if (*c->s != '[')
				return cc_fail(c, "traceEvents must be an array");
			jarray(c, 1);
			seen = 1;
		} else {
			jvalue(c, NULL);
		}
		ws(c);
		if (*c->s == ',') {
			c->s++;
			continue;
		}
		if (*c->s++ != '}')
			return cc_fail(c, "'}' expected");
		break;
	}
	ws(c);
	if (!c->err && *c->s)
		cc_fail(c, "text after the trace");
	if (!c->err && !seen)
		cc_fail(c, "no traceEvents");
	for (int i = 0; i < c->ntracks && !c->err; i++)
		if (c->tracks[i].depth)
			cc_fail(c, "a B without its E");
}

/* ------------------------------------------------------------- helpers */

static char *export_to_string(vs_db_reader *r, int (*fn)(vs_db_reader *, FILE *, vs_error *),
                              int *rc, vs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	*rc = fn(r, f, err);
	fclose(f);
	return buf;
}

static vs_db_reader *open_fixture(char **path)
{
	vs_db_reader *r = NULL;
	*path = vs_test_tmp_path(".db");
	VS_ASSERT_INT(vs_test_store_fixture(*path, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, *path, NULL), 0);
	return r;
}

static void done(vs_db_reader *r, char *path)
{
	vs_db_reader_close(r);
	vs_test_unlink_trace(path);
	free(path);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---------------------------------------------------------------- chrome */

static void test_chrome_fixture(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	struct chrome_check c;
	int rc;
	char *out = export_to_string(r, vs_db_export_chrome, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	chrome_validate(&c, out);
	VS_ASSERT_STR(c.why, "");
	VS_ASSERT_INT(c.meta_procs, 2); /* the program and its fork child */
	/* the scope (in both processes) and the get_variable of thread 1, with
	 * their arguments; ts in microseconds from the first event */
	VS_ASSERT_INT(count(out,
	                    "{\"name\": \"variable_scope foo\", \"cat\": \"scope\", \"ph\": \"B\""),
	              2);
	VS_ASSERT_INT(count(out,
	                    "\"ph\": \"B\", \"ts\": 4.000, \"pid\": 4242, \"tid\": 1, \"args\":"
	                    " {\"requested\": \"v\", \"full_name\": \"foo/v\", \"shape\":"
	                    " \"[2,3]\", \"dtype\": \"float32\", \"reuse\": \"AUTO_REUSE\","
	                    " \"seq\": 5, \"site\": \"main.c:10 main\"}}"),
	              1);
	/* thread 2's failed get_variable: an error instant, outcome error (the
	 * child's error is the second instant) */
	VS_ASSERT_INT(count(out, "\"cat\": \"error\", \"ph\": \"i\""), 2);
	VS_ASSERT_INT(count(out, "{\"name\": \"ValueError\", \"cat\": \"error\", \"ph\": \"i\","
	                         " \"ts\": 12.000, \"pid\": 4242, \"tid\": 2"),
	              1);
	/* the child's thread was truncated: its open slices end at its last ts */
	VS_ASSERT_INT(count(out,
	                    "{\"name\": \"variable_scope foo\", \"cat\": \"scope\", \"ph\": \"E\","
	                    " \"ts\": 12.000, \"pid\": 4243, \"tid\": 1}"),
	              1);
	VS_ASSERT_INT(count(out, "{\"outcome\": \"error\""), 1);
	/* the variable's creation starts a flow; the lost events are an instant */
	VS_ASSERT_INT(count(out, "\"ph\": \"s\""), 2);
	VS_ASSERT_INT(count(out, "\"name\": \"3 events lost\""), 1);
	free(out);
	done(r, path);
}

/* Findings stored by vscheck --write-findings: instants after their event,
 * notes in the picture. */
static void test_findings_exported(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	struct chrome_check c;
	int rc;
	char *out;
	const vs_db_finding f[] = {{"VS118", "tensorflow-error", "error", "get_variable raised",
	                            "main.c", NULL, "", 12, 1, 2, 14, 0},
	                           {"VS001", "trace-lost-events", "warning", "3 events lost", NULL,
	                            NULL, "", 0, 1, 0, 0, 0}};
	VS_ASSERT_INT(vs_test_store_fixture(path, NULL), 0);
	VS_ASSERT_INT(vs_db_findings_write(path, f, 2, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	out = export_to_string(r, vs_db_export_chrome, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	chrome_validate(&c, out);
	VS_ASSERT_STR(c.why, "");
	/* VS118 right after event 14 on thread 2; VS001 (no event) after the first */
	VS_ASSERT_INT(count(out,
	                    "{\"name\": \"VS118 tensorflow-error\", \"cat\": \"finding\","
	                    " \"ph\": \"i\", \"ts\": 13.000, \"pid\": 4242, \"tid\": 2, \"s\":"
	                    " \"t\", \"args\": {\"severity\": \"error\", \"message\":"
	                    " \"get_variable raised\", \"site\": \"main.c:12\", \"scope\": \"\","
	                    " \"seq\": 14}}"),
	              1);
	VS_ASSERT_INT(count(out, "{\"name\": \"VS001 trace-lost-events\", \"cat\": \"finding\","
	                         " \"ph\": \"i\", \"ts\": 0.000, \"pid\": 4242, \"tid\": 1"),
	              1);
	free(out);
	out = export_to_string(r, vs_db_export_dot, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_INT(count(out, "shape=note"), 2);
	VS_ASSERT_INT(count(out, "label=\"VS118 error\\nget_variable raised\\nmain.c:12\"];"), 1);
	free(out);
	done(r, path);
}

/* A trace whose recorder died: slices still open are closed at the end. */
static void test_chrome_incomplete(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_reader *r = NULL;
	struct chrome_check c;
	int rc;
	char *out;
	VS_ASSERT_INT(vs_test_store_fixture_killed(path), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	out = export_to_string(r, vs_db_export_chrome, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	chrome_validate(&c, out);
	VS_ASSERT_STR(c.why, "");
	VS_ASSERT_INT(c.begins > 0, 1);
	free(out);
	done(r, path);
}

/* The validator itself: it must refuse what breaks the format. */
static void test_chrome_validator_refuses(void)
{
	struct chrome_check c;
	chrome_validate(&c, "{\"traceEvents\": [");
	VS_ASSERT_INT(c.err, 1);
	chrome_validate(&c, "{\"traceEvents\": [{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\":"
	                    " 1, \"tid\": 1}, {\"name\": \"a\", \"ph\": \"B\", \"ts\": 1, \"pid\":"
	                    " 1, \"tid\": 1}]}");
	VS_ASSERT_INT(strncmp(c.why, "a B without its E", 17), 0);
	chrome_validate(&c, "{\"traceEvents\": [{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\":"
	                    " 1, \"tid\": 1}, {\"name\": \"a\", \"ph\": \"i\", \"ts\": 2, \"pid\":"
	                    " 1, \"tid\": 1}, {\"name\": \"b\", \"ph\": \"i\", \"ts\": 1, \"pid\":"
	                    " 1, \"tid\": 1}]}");
	VS_ASSERT_INT(strncmp(c.why, "ts missing or going back", 24), 0);
	chrome_validate(&c, "{\"traceEvents\": [{\"name\": \"a\", \"ph\": \"i\", \"ts\": 2,"
	                    " \"pid\": 1, \"tid\": 1}]}");
	VS_ASSERT_INT(strncmp(c.why, "an event before its thread_name", 31), 0);
	chrome_validate(&c, "{\"other\": 1}");
	VS_ASSERT_INT(strncmp(c.why, "no traceEvents", 14), 0);
}

/* Every shipped scenario, recorded in process, exports a valid trace. */
static void test_chrome_scenarios(void)
{
	static const char *const files[] = {"examples/scenarios/vs-threads.yaml",
	                                    "examples/scenarios/template-options.yaml",
	                                    "examples/scenarios/creator-scope.yaml",
	                                    "examples/scenarios/vs-errors.yaml",
	                                    "examples/scenarios/init-scope-lifts.yaml"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = vs_test_tmp_path(".db");
		vs_scn *s = NULL;
		vs_scn_report *rep = NULL;
		vs_recorder *rec = NULL;
		vs_db_reader *r = NULL;
		struct chrome_check c;
		int rc;
		char *out;
		VS_ASSERT_INT(vs_scn_load_file(&s, files[i], NULL), 0);
		VS_ASSERT_INT(vs_recorder_start_self(&rec, path, NULL), 0);
		VS_ASSERT_INT(vs_scn_run(s, &rep, NULL), 0);
		VS_ASSERT_INT(vs_recorder_stop_self(rec, 0, NULL), 0);
		vs_scn_report_free(rep);
		vs_runtime_shutdown();
		vs_scn_free(s);
		VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
		out = export_to_string(r, vs_db_export_chrome, &rc, NULL);
		VS_ASSERT_INT(rc, 0);
		chrome_validate(&c, out);
		VS_ASSERT_STR(c.why, "");
		VS_ASSERT_INT(c.begins > 0 && c.instants > 0, 1);
		free(out);
		done(r, path);
	}
}

/* ------------------------------------------------------------------ rows */

static void test_rows_identity(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_db_trace_identity id, again;
	char *buf = NULL, want[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vs_db_trace_identity_get(r, &id);
	vs_db_trace_identity_get(r, &again);
	VS_ASSERT_STR(id.id, again.id);
	VS_ASSERT_INT((int)strlen(id.id), 16);
	VS_ASSERT_INT(vs_db_export_rows(r, "threads", VS_DB_ROWS_CSV, f, NULL), 0);
	fclose(f);
	/* identity columns first, then the view's, on every row */
	snprintf(want, sizeof want,
	         "trace_id,program,host,start_time,proc,tid,events,first_seq,last_seq,os_tid,"
	         "parent_tid,ended\r\n"
	         "%s,/usr/bin/prog,,%s,1,1,12,1,20,100,0,0\r\n"
	         "%s,/usr/bin/prog,,%s,1,2,5,11,19,101,1,1\r\n",
	         id.id, id.start_time, id.id, id.start_time);
	VS_ASSERT_INT(strncmp(buf, want, strlen(want)), 0);
	VS_ASSERT_INT(count(buf, "\r\n"), 4); /* header, two threads of proc 1, one of proc 2 */
	free(buf);
	done(r, path);
}

static void test_rows_json_lines(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	char *buf = NULL;
	size_t len = 0;
	vs_error err;
	FILE *f = open_memstream(&buf, &len);
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_export_rows(r, "variables", VS_DB_ROWS_JSON, f, NULL), 0);
	fclose(f);
	VS_ASSERT_INT(count(buf, "\n"), 2);
	VS_ASSERT_INT(strncmp(buf, "{\"trace_id\": \"", 14), 0);
	VS_ASSERT_INT(count(buf, "\"name\": \"foo/v:0\", \"shape\": \"[2,3]\""), 1);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	VS_ASSERT_INT(vs_db_export_rows(r, "ev", VS_DB_ROWS_JSON, f, &err), VS_ERR_USAGE);
	fclose(f);
	VS_ASSERT_STR(err.msg, "unknown view 'ev' (events, variables, scopes, threads, processes,"
	                       " stats, findings)");
	free(buf);
	done(r, path);
}

/* ------------------------------------------------------------------- dot */

static void test_dot_fixture(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	int rc;
	char *out = export_to_string(r, vs_db_export_dot, &rc, NULL);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_INT(strncmp(out, "digraph vstrace {\n", 18), 0);
	VS_ASSERT_INT(count(out, "  \"s:\" [shape=box, style=rounded, label=\"(root scope)\"];\n"),
	              1);
	VS_ASSERT_INT(count(out, "  \"s:\" -> \"s:foo\";\n"), 1);
	VS_ASSERT_INT(count(out, "  \"v:1:1\" [shape=ellipse, label=\"foo/v:0\\n[2,3] float32\\n"
	                         "main.c:10\", style=filled, fillcolor=\"#dbe8f7\"];\n"),
	              1);
	/* the direct variable is highlighted; the error is attached to its scope */
	VS_ASSERT_INT(count(out, "direct Variable()"), 1);
	VS_ASSERT_INT(count(out, "shape=octagon"), 2);
	VS_ASSERT_INT(count(out, "\n}\n"), 1);
	free(out);
	done(r, path);
}

/* -------------------------------------------------------------- scenario */

static char *scenario_of(vs_db_reader *r, vs_db_scn_line **map, size_t *nmap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	VS_ASSERT_INT(vs_db_export_scenario(r, NULL, f, map, nmap, NULL), 0);
	fclose(f);
	return buf;
}

static void test_scenario_fixture(void)
{
	char *path;
	vs_db_reader *r = open_fixture(&path);
	vs_db_scn_line *map = NULL;
	size_t nmap = 0;
	char *out = scenario_of(r, &map, &nmap);
	const char *steps = strstr(out, "threads:\n");
	VS_ASSERT_STR(steps,
	              "threads:\n"
	              "  t2:\n"
	              "    - get_variable: {name: \"w\"}\n"
	              "      expect: {error: {kind: ValueError, prefix: \"Variable w does not"
	              " exist, or was not created with tf.get_variable(). Did you mean to set"
	              " reuse=tf.AUTO_REUSE in VarScope?\"}}\n"
	              "    # 3 events lost here: the steps they held are missing\n"
	              "    - yield: main\n"
	              "steps:\n"
	              "  - variable_scope: {name: \"foo\", reuse: none, as: s1, cm: c1}\n"
	              "    expect: {scope: \"foo\"}\n"
	              "  - get_variable: {name: \"v\", shape: [2,3], dtype: float32, as: v1}\n"
	              "    expect: {created: true, name: \"foo/v:0\", trainable: true}\n"
	              "  - exit: c1\n"
	              "  - start: t2\n"
	              "  - yield: t2\n");
	/* the map: each expectation's line and the event it reproduces, in the
	 * order they were written (seq order) */
	VS_ASSERT_INT((int)nmap, 3);
	VS_ASSERT_INT((int)map[0].seq, 4);
	VS_ASSERT_INT(map[0].kind, VS_EV_VARSCOPE_ENTER);
	VS_ASSERT_INT((int)map[1].seq, 9);
	VS_ASSERT_INT(map[1].kind, VS_EV_GETVAR_EXIT);
	VS_ASSERT_INT((int)map[2].seq, 14);
	VS_ASSERT_INT((int)map[2].tid, 2);
	VS_ASSERT_INT((int)map[2].proc, 1); /* not a fork child: every event is process 1's */
	{
		int line = 1;
		for (const char *p = out; p < steps; p++)
			line += *p == '\n';
		VS_ASSERT_INT(map[2].line, line + 3); /* threads:, t2:, the step, its expect */
		VS_ASSERT_INT(map[0].line, line + 8);
	}
	free(map);
	free(out);
	done(r, path);
}

/* Recorded, exported, loaded and run: the exported scenario passes. */
static void test_scenario_round_trip(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_scn *s = NULL, *s2 = NULL;
	vs_scn_report *rep = NULL;
	vs_recorder *rec = NULL;
	vs_db_reader *r = NULL;
	char *out;
	VS_ASSERT_INT(vs_scn_load_file(&s, "examples/scenarios/vs-capture-reuse-variables.yaml",
	                               NULL),
	              0);
	VS_ASSERT_INT(vs_recorder_start_self(&rec, path, NULL), 0);
	VS_ASSERT_INT(vs_scn_run(s, &rep, NULL), 0);
	VS_ASSERT_INT(vs_recorder_stop_self(rec, 0, NULL), 0);
	vs_scn_report_free(rep);
	vs_runtime_shutdown();
	vs_scn_free(s);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	out = scenario_of(r, NULL, NULL);
	VS_ASSERT_INT(vs_scn_load_string(&s2, "x.yaml", out, strlen(out), NULL), 0);
	VS_ASSERT_INT(vs_scn_run(s2, &rep, NULL), 0);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 1);
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 0);
	VS_ASSERT_INT(vs_scn_report_stats(rep)->checks > 3, 1);
	vs_scn_report_free(rep);
	vs_runtime_shutdown();
	vs_scn_free(s2);
	free(out);
	done(r, path);
}

/* A thread switch inside a call: the call that created its variable
 * before the switch stays before the other thread's steps (thread 2's
 * reuse cannot say same_as: v1 is bound only when thread 1's call is
 * written, after it). */
static void test_scenario_switch_inside_call(void)
{
	static const char *const strs[] = {"", "v", "v:0"};
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	vs_db_reader *r = NULL;
	uint32_t proc;
	char *out;
	/* thread 1 creates v; thread 2 asks for it meanwhile and reuses it */
	const struct {
		uint64_t seq;
		uint32_t tid;
		unsigned kind;
		uint32_t p[8];
	} evs[] = {
		{1, 1, VS_EV_THREAD_START, {0}},
		{2, 2, VS_EV_THREAD_START, {0, 1}},
		{3, 1, VS_EV_GETVAR_ENTER, {1, 1, 0, 0, VS_REUSE_AUTO, 1}},
		{4, 1, VS_EV_VAR_CREATE, {1, 2, 1}},
		{5, 2, VS_EV_GETVAR_ENTER, {1, 1, 0, 0, VS_REUSE_AUTO, 2}},
		{6, 2, VS_EV_GETVAR_EXIT, {1, 1, 1, VS_OUT_REUSED, VS_REUSE_AUTO, 2}},
		{7, 1, VS_EV_GETVAR_EXIT, {1, 1, 1, VS_OUT_CREATED, VS_REUSE_AUTO, 1}},
	};
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 77, 1, 0, 0, NULL), 0);
	for (uint32_t i = 1; i < 3; i++)
		VS_ASSERT_INT(vs_db_writer_string(w, proc, i, strs[i], (uint32_t)strlen(strs[i]),
		                                  NULL),
		              0);
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
		vs_event e = vs_test_ev(evs[i].seq, evs[i].tid, evs[i].kind, 0, 0, evs[i].p);
		VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, NULL), 0);
	}
	VS_ASSERT_INT(vs_db_writer_process_end(w, proc, 0, 0, 0, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, NULL), 0);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	out = scenario_of(r, NULL, NULL);
	VS_ASSERT_STR(strstr(out, "threads:"), "threads:\n"
	                                       "  t2:\n"
	                                       "    - get_variable: {name: \"v\"}\n"
	                                       "      expect: {created: false, name: \"v:0\"}\n"
	                                       "    - yield: main\n"
	                                       "steps:\n"
	                                       "  - start: t2\n"
	                                       "  - get_variable: {name: \"v\", as: v1}\n"
	                                       "    expect: {created: true, name: \"v:0\","
	                                       " trainable: false}\n"
	                                       "  - yield: t2\n");
	VS_ASSERT_INT(strstr(out, "# approximated: threads switched inside a call") != NULL, 1);
	free(out);
	done(r, path);
}

/* out's object names "as: gN" / "as: vN" renumbered from 1 per letter in
 * order of appearance (object ids keep counting across the runner's tests) */
static void renumber(char *out)
{
	unsigned seen[2][64] = {{0}}, n[2] = {0, 0};
	for (char *p = out; (p = strstr(p, "as: ")) != NULL;) {
		char *d = p + 5, *end;
		int k = p[4] == 'g' ? 0 : p[4] == 'v' ? 1 : -1;
		unsigned long id = strtoul(d, &end, 10);
		unsigned m = 0;
		p = d;
		if (k < 0 || end == d)
			continue;
		while (m < n[k] && seen[k][m] != id)
			m++;
		if (m == n[k] && n[k] < 64)
			seen[k][n[k]++] = (unsigned)id;
		char num[16];
		int w = snprintf(num, sizeof num, "%u", m + 1);
		memmove(d + w, end, strlen(end) + 1);
		memcpy(d, num, (size_t)w);
	}
}

/*
 * The arguments a call passed beyond its name, shape and dtype (VAR_ARGS)
 * and what each variable was made with (VAR_INFO), recorded in process:
 * the variables view shows the effective initializer (glorot_uniform for
 * a float get_variable without one in graph mode, zeros for an integer
 * one: TF 1.x's _get_default_initializer), the constraint, caching device
 * and device; the exported scenario passes every argument and expects
 * what each creation made; it runs and passes.
 */
static void test_scenario_var_args(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_recorder *rec = NULL;
	vs_db_reader *r = NULL;
	vs_scn *s = NULL;
	vs_scn_report *rep = NULL;
	vs_var *v = NULL;
	char *out, *rows;
	const char *const mine[] = {"my_vars", NULL};
	vs_regularizer l2 = {NULL, NULL, "l2"};
	vs_constraint nonneg = {"nonneg"};
	vs_creator_args xa = {.name = "x",
	                      .initial_value = &(vs_initializer){.kind = VS_INIT_VALUE,
	                                                         .value = 3,
	                                                         .dtype = VS_DT_INT32,
	                                                         .shape = VS_SHAPE(2)}};
	vs_runtime_reset();
	static const char *const steps[] = {
		"- capture_graph: {as: g1}",
		"- get_variable: {name: \"w\", shape: [2, 3], initializer: glorot_uniform, as: v1}",
		"  expect: {created: true, name: \"w:0\", trainable: true, initializer: glorot_uniform}",
		"- get_variable: {name: \"step\", shape: [], dtype: int64, trainable: false,"
		" collections: [\"my_vars\"], initializer: zeros, as: v2}",
		"  expect: {created: true, name: \"step:0\", trainable: false, initializer: zeros}",
		"- get_variable: {name: \"b\", shape: [4], initializer: {kind: constant, value: 0.5},"
		" regularizer: adds_loss, caching_device: \"/cpu:0\", validate_shape: false,"
		" constraint: \"nonneg\", as: v3}",
		"  expect: {created: true, name: \"b:0\", trainable: true, initializer: constant}",
		"- variable: {name: \"x\", trainable: true, initial_value: {kind: value, value: 3,"
		" dtype: int32, shape: [2]}, use_resource: false, as: v4}",
		"  expect: {created: true, name: \"x:0\", trainable: true, initializer: value}",
		"- get_variable: {name: \"c\", shape: [1], initializer: {kind: constant, value: 0.25},"
		" as: v5}",
		"  expect: {created: true, name: \"c:0\", trainable: true, initializer: constant}",
	};
	char head[32], want[2048];
	size_t len;
	uint32_t tid;
	VS_ASSERT_INT(vs_recorder_start_self(&rec, path, NULL), 0);
	tid = vs_thread_id();
	VS_ASSERT_INT(vs_get_variable(&v, "w", &(vs_var_opts){.shape = VS_SHAPE(2, 3)}, NULL), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "step",
	                              &(vs_var_opts){.shape = VS_SCALAR,
	                                             .dtype = VS_DT_INT64,
	                                             .trainable = VS_FALSE,
	                                             .collections = mine},
	                              NULL),
	              0);
	VS_ASSERT_INT(vs_get_variable(&v, "b",
	                              &(vs_var_opts){.shape = VS_SHAPE(4),
	                                             .initializer = VS_INIT_CONST(0.5),
	                                             .regularizer = &l2,
	                                             .caching_device = "/cpu:0",
	                                             .validate_shape = VS_FALSE,
	                                             .constraint = &nonneg},
	                              NULL),
	              0);
	VS_ASSERT_INT(vs_variable(&v, &xa, NULL), 0);
	/* another constant: its own text (the per-thread memo compares values) */
	VS_ASSERT_INT(vs_get_variable(&v, "c",
	                              &(vs_var_opts){.shape = VS_SHAPE(1),
	                                             .initializer = VS_INIT_CONST(0.25)},
	                              NULL),
	              0);
	VS_ASSERT_INT(vs_recorder_stop_self(rec, 0, NULL), 0);
	vs_runtime_shutdown();
	rows = vs_test_sql_rows(path, "SELECT name, initializer, trainable, collections,"
	                              " constraint_label, caching_device, device"
	                              " FROM variables ORDER BY create_seq");
	VS_ASSERT_STR(rows, "w:0|glorot_uniform|1|variables,trainable_variables|-|-|-\n"
	                    "step:0|zeros|0|my_vars|-|-|-\n"
	                    "b:0|constant(value=0.5)|1|variables,trainable_variables|nonneg|/cpu:0|-\n"
	                    "x:0|value(value=3, dtype=int32, shape=(2,))|1|"
	                    "variables,trainable_variables|-|-|-\n"
	                    "c:0|constant(value=0.25)|1|variables,trainable_variables|-|-|-");
	free(rows);
	VS_ASSERT_INT(vs_db_reader_open(&r, path, NULL), 0);
	out = scenario_of(r, NULL, NULL);
	/* this runner's thread is the trace's first one (main) or, after
	 * earlier tests, thread tN */
	snprintf(head, sizeof head, tid == 1 ? "steps:\n" : "  t%u:\n", tid);
	len = (size_t)snprintf(want, sizeof want, "%s", head);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		len += (size_t)snprintf(want + len, sizeof want - len, "%s%s\n",
		                        tid == 1 ? "  " : "    ", steps[i]);
	if (tid != 1) /* thread 1 made nothing: main starts the runner's thread */
		snprintf(want + len, sizeof want - len, "steps:\n  - start: t%u\n  - yield: t%u\n",
		         tid, tid);
	else /* one thread: the global graph's collections at the end, in creation order */
		snprintf(want + len, sizeof want - len,
		         "  - check:\n    expect: {collection: {\"variables\": [\"w:0\", \"b:0\","
		         " \"x:0\", \"c:0\"], \"trainable_variables\": [\"w:0\", \"b:0\", \"x:0\","
		         " \"c:0\"],"
		         " \"my_vars\": [\"step:0\"]}}\n");
	renumber(out);
	VS_ASSERT_STR(strstr(out, head), want);
	VS_ASSERT_INT(vs_scn_load_string(&s, "x.yaml", out, strlen(out), NULL), 0);
	VS_ASSERT_INT(vs_scn_run(s, &rep, NULL), 0);
	VS_ASSERT_INT(vs_scn_report_ok(rep), 1);
	VS_ASSERT_INT(vs_scn_report_stats(rep)->failed, 0);
	vs_scn_report_free(rep);
	vs_runtime_shutdown();
	vs_scn_free(s);
	free(out);
	done(r, path);
}

VS_SUITE_FN(store_export)
{
	static const vs_test_case cases[] = {VS_TEST(test_chrome_fixture),
	                                     VS_TEST(test_chrome_incomplete),
	                                     VS_TEST(test_findings_exported),
	                                     VS_TEST(test_chrome_validator_refuses),
	                                     VS_TEST(test_chrome_scenarios),
	                                     VS_TEST(test_rows_identity),
	                                     VS_TEST(test_rows_json_lines),
	                                     VS_TEST(test_dot_fixture),
	                                     VS_TEST(test_scenario_fixture),
	                                     VS_TEST(test_scenario_round_trip),
	                                     VS_TEST(test_scenario_switch_inside_call),
	                                     VS_TEST(test_scenario_var_args),
	                                     VS_TEST_END};
	vs_test_add_suite("store_export", NULL, NULL, cases);
}
