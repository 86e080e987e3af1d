/* SPDX-License-Identifier: MIT */
/*
 * store/info.c - the summary printed by `vstrace info`.  Everything comes
 * from the raw tables (never the derived ones), so an incomplete trace is
 * summarised just as well, and says that it is incomplete.
 */
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "store/report.h"
#include "store/schema.h"

/* Meta keys printed by name (in this order); others follow as they are. */
static const struct {
	const char *key, *label;
} known_meta[] = {
	{"program", "program"},    {"argv", "command"}, {"cwd", "directory"},
	{"start_time", "started"}, {"host", "host"},
};
static const char *const internal_meta[] = {"complete", "format_version", "ts_base_ns",
                                            "incomplete_cause", "lost_counted"};

static int is_listed_meta(const char *key)
{
	for (size_t i = 0; i < sizeof known_meta / sizeof known_meta[0]; i++)
		if (!strcmp(key, known_meta[i].key))
			return 1;
	for (size_t i = 0; i < sizeof internal_meta / sizeof internal_meta[0]; i++)
		if (!strcmp(key, internal_meta[i]))
			return 1;
	return 0;
}

static int fail(vs_db_reader *r, int rc, vs_error *err)
{
	vs_db_sqlite_error(vs_db_reader_sqlite(r), rc, err, "cannot read trace");
	return vs_error_prefix(err, "'%s'", vs_db_reader_path(r));
}

/* Runs a one-row query of integers into v[0..n-1]. */
static int ints(vs_db_reader *r, const char *sql, int64_t *v, int n, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(vs_db_reader_sqlite(r), sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(st, i);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : fail(r, rc, err);
}

int vs_db_info_counts_get(vs_db_reader *r, vs_db_info_counts *out, vs_error *err)
{
	int64_t v[5] = {0};
	_Static_assert(VS_EV_VAR_CREATE == 64 && VS_EV_ERROR == 80, "the kinds counted below");
	int ret = ints(r,
	               "SELECT count(*), COALESCE(max(ts) - min(ts), 0),"
	               " (SELECT count(*) FROM (SELECT DISTINCT id >> 40, tid FROM ev)),"
	               " COALESCE(sum(kind = 64), 0), COALESCE(sum(kind = 80), 0) FROM ev",
	               v, 5, err);
	*out = (vs_db_info_counts){v[0], v[1], v[2], v[3], v[4]};
	return ret;
}

int vs_db_info_process(vs_db_reader *r, uint32_t i, vs_db_process *p, int64_t *events, int *ended,
                       vs_error *err)
{
	char sql[160];
	int64_t v[2] = {0, 0};
	int ret = vs_db_reader_process(r, i, p, err);
	if (ret < 0)
		return ret;
	snprintf(sql, sizeof sql,
	         "SELECT (SELECT count(*) FROM ev WHERE id BETWEEN (%u << 40) AND"
	         " (%u << 40) + 1099511627775), ended FROM procs WHERE proc = %u",
	         p->proc, p->proc, p->proc);
	ret = ints(r, sql, v, 2, err);
	*events = v[0];
	*ended = v[1] != 0;
	return ret;
}

static void print_end(FILE *out, const vs_db_process *p, int ended)
{
	if (!ended)
		fputs("did not end in the trace", out);
	else if (p->signal)
		fprintf(out, "killed by signal %d (%s)", p->signal, strsignal(p->signal));
	else
		fprintf(out, "exit %d", p->exit_code);
	if (p->truncated)
		fputs(", truncated", out);
}

static int print_meta(vs_db_reader *r, FILE *out, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;
	for (size_t i = 0; i < sizeof known_meta / sizeof known_meta[0]; i++) {
		const char *v = vs_db_reader_meta(r, known_meta[i].key);
		if (v)
			fprintf(out, "%-11s %s\n", known_meta[i].label, v);
	}
	rc = sqlite3_prepare_v2(vs_db_reader_sqlite(r), "SELECT key, value FROM meta ORDER BY key",
	                        -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		if (k && !is_listed_meta(k))
			fprintf(out, "%-11s %s\n", k, v ? v : "");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(r, rc, err);
}

static int print_kinds(vs_db_reader *r, FILE *out, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(vs_db_reader_sqlite(r),
	                            "SELECT kind, count(*) FROM ev GROUP BY kind ORDER BY kind", -1,
	                            &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned kind = (unsigned)sqlite3_column_int(st, 0);
		const char *name = vs_db_kind_name(kind);
		if (name)
			fprintf(out, "  %-21s %lld\n", name,
			        (long long)sqlite3_column_int64(st, 1));
		else
			fprintf(out, "  kind %-16u %lld\n", kind,
			        (long long)sqlite3_column_int64(st, 1));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(r, rc, err);
}

/* one "  proc N: ..." line for each process; *lost: their counted drops */
static int print_processes(vs_db_reader *r, FILE *out, uint32_t n, int64_t *lost, vs_error *err)
{
	for (uint32_t i = 0; i < n; i++) {
		vs_db_process p;
		int64_t ev;
		int ended, ret = vs_db_info_process(r, i, &p, &ev, &ended, err);
		if (ret < 0)
			return ret;
		fprintf(out, "  proc %u: pid %lld", p.proc, (long long)p.pid);
		if (p.parent_proc)
			fprintf(out, ", fork of proc %u after seq %llu", p.parent_proc,
			        (unsigned long long)p.fork_seq);
		fputs(", ", out);
		print_end(out, &p, ended);
		fprintf(out, ", %lld events", (long long)ev);
		if (p.lost)
			fprintf(out, ", %llu lost", (unsigned long long)p.lost);
		fputc('\n', out);
		*lost += (int64_t)p.lost;
	}
	return 0;
}

int vs_db_info_print(vs_db_reader *r, FILE *out, vs_error *err)
{
	vs_db_info_counts tot;
	int64_t lost = 0, ev;
	uint32_t n = vs_db_reader_process_count(r);
	vs_db_process p;
	int ret, ended;
	fprintf(out, "%-11s %s\n", "trace", vs_db_reader_path(r));
	const char *cause = vs_db_reader_meta(r, "incomplete_cause");
	if (vs_db_reader_complete(r))
		fprintf(out, "%-11s complete\n", "status");
	else
		fprintf(out, "%-11s incomplete (%s)\n", "status",
		        cause && *cause ? cause : "the recorder did not finish the trace");
	/* the file's own version (a format-2 trace is read as it is) */
	int64_t version = VS_DB_VERSION;
	if ((ret = ints(r, "PRAGMA user_version", &version, 1, err)) < 0)
		return ret;
	fprintf(out, "%-11s %lld\n", "format", (long long)version);
	if ((ret = print_meta(r, out, err)) < 0 || (ret = vs_db_info_counts_get(r, &tot, err)) < 0)
		return ret;
	fprintf(out, "%-11s %.6f s\n", "duration", (double)tot.duration_ns / 1e9);
	if (n) {
		if ((ret = vs_db_info_process(r, 0, &p, &ev, &ended, err)) < 0)
			return ret;
		fprintf(out, "%-11s ", "exit");
		if (ended && !p.signal)
			fprintf(out, "%d%s", p.exit_code, p.truncated ? ", truncated" : "");
		else
			print_end(out, &p, ended);
		fputc('\n', out);
	}
	fprintf(out, "%-11s %u\n", "processes", n);
	if ((ret = print_processes(r, out, n, &lost, err)) < 0)
		return ret;
	fprintf(out, "%-11s %lld\n", "threads", (long long)tot.threads);
	fprintf(out, "%-11s %lld\n", "variables", (long long)tot.variables);
	fprintf(out, "%-11s %lld\n", "errors", (long long)tot.errors);
	const char *counted = vs_db_reader_meta(r, "lost_counted");
	if (vs_db_reader_complete(r) || (counted && !strcmp(counted, "1")))
		fprintf(out, "%-11s %lld events\n", "lost", (long long)lost);
	else /* the events after the recorder's last commit were never counted */
		fprintf(out,
		        "%-11s unknown (the recording stopped early; %lld events known lost)\n",
		        "lost", (long long)lost);
	fprintf(out, "%-11s %lld\n", "events", (long long)tot.events);
	if (!tot.events) { /* as `vstrace record` warned */
		const char *prog = vs_db_reader_meta(r, "program");
		fprintf(out,
		        "%-11s no events: '%s' never loaded libvs (a wrong LD_LIBRARY_PATH, or a "
		        "program not linked with libvs?)\n",
		        "note", prog && *prog ? prog : "the program");
	}
	return print_kinds(r, out, err);
}
