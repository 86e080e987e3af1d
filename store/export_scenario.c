/* SPDX-License-Identifier: MIT */
/*
 * store/export_scenario.c - `vstrace export --format scenario`: a trace
 * turned back into a scenario program (docs/scenario-format.md) that
 * re-does the recorded calls, thread by thread in recorded order, with the
 * recorded outcomes as expectations.  `vstrace replay` runs it.
 *
 * How the events become steps (per thread, one flat step list):
 *  - a context a user entered (variable_scope, name_scope, as_default,
 *    init_scope, creator_scope, ...) is a step bound to `cm: cN` (N = the
 *    event's cm id) and its exit is `- exit: cN`, so contexts need no
 *    nesting and threads can hand over the baton anywhere;
 *  - the parts of a composite call (the graph push and name scope of a
 *    variable_scope, the name scope, creators and init_scope inside
 *    get_variable, the scope a template call enters) are not steps: a
 *    CTX_PUSH or NAME_SCOPE_ENTER waits (pending) until the next event
 *    shows whether a VARSCOPE_ENTER with the same cm follows;
 *  - get_variable / get_local_variable / Variable are written when they
 *    return, with `expect:` name and created (or the error's kind and
 *    message prefix), and the created variable bound as vN (N = its id)
 *    so a later reuse expects `same_as: vN`;
 *  - a template's function body is the steps of its first call that ran
 *    it (later calls re-run the same body; their recorded steps are only
 *    compared with it: quoted values that differ become parameters $pK,
 *    passed per call; a call that raised before doing anything makes the
 *    body start with a `raise: ... when: $fails`);
 *  - a direct _VariableStore.get_variable is a store_get_variable on a
 *    store bound as stN (var_store, or the default one captured);
 *  - custom getters and creators are declared with the behaviour their
 *    first call showed (how often they delegated; no delegation = a
 *    non-variable); what a behaviour did beyond that is approximated;
 *  - threads other than the first become `threads:` t<tid>, started
 *    where their THREAD_START is seen; `yield:` steps follow the recorded
 *    interleaving (deterministic), or `interleave: free`.
 * Arguments the trace does not carry (initializers, regularizers,
 * collections, devices, constraints) are left out, except where an
 * outcome tells them (a constant initializer from E5 or a shape-less
 * creation, a partitioner from its partitions, an initial value from the
 * variable made); the file's header says what is approximated, and
 * docs/recording.md lists it.
 *
 * Not streamed: the threads' step lists are built in memory (a scenario
 * is as long as the trace's calls).  map (optional) receives, per written
 * step with expectations, its line and the event it reproduces.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store/export.h"
#include "store/schema.h"
#include "vs/internal/util.h"
#include "vs/vs.h"

struct sb {
	char *s;
	size_t len, cap;
	int lines;
};

struct sx_map {
	size_t thread; /* index into sx.th, or SIZE_MAX for a function body */
	uint32_t proc; /* the event's process (an ancestor's, in a fork child's prefix) */
	size_t fn;
	int line; /* 0-based line in its buffer */
	uint64_t seq;
	uint16_t kind;
};

enum { ROLE_STEP = 1, ROLE_INTERNAL = 2 };
/* the error a getter or creator raised when the trace has no ERROR for it */
#define UNRECORDED "an error the trace does not record"
#define TGT_BODY SIZE_MAX
#define TGT_DISCARD (SIZE_MAX - 1)

struct sx_frame {
	uint16_t kind;
	uint8_t role;
	uint32_t cm;
	uint32_t scope_id; /* VARSCOPE_ENTER: the scope object entered */
};

/* a set of small ids (variables, scopes bound with `as:`) */
struct idset {
	uint8_t *v;
	size_t cap;
};

/* a user call in progress (get_variable / Variable) */
struct sx_call {
	int open;
	vs_event enter;
	int err_code;
	uint32_t err_msg, err_tf;
	uint32_t getter_label; /* the first labeled getter of the call */
	int beh_raised;        /* a getter or creator raised an error the trace lacks */
	int nparts;            /* partitions created */
	uint32_t part_shape;
	uint32_t made_shape, made_dtype; /* of the first variable it created */
	int made, made_resource;
	int ngetters;                 /* labeled getters called at the top of the chain */
	int depth;                    /* open creator/getter calls inside */
	uint32_t made_var, made_init; /* the first variable it created, its VAR_INFO initializer */
	int made_trainable;
	int behaved;  /* a labeled getter or creator took part (it may rewrite kwargs) */
	int has_args; /* its VAR_ARGS (trace format 3; none: every argument defaulted) */
	struct vs_evp_var_args args;
};

/* open creator or getter calls, to infer behaviours */
#define MAX_INNER 8
struct sx_beh_call {
	uint32_t label;
	int delegations;
	uint32_t name;
	uint32_t inner[MAX_INNER];   /* the names it delegated with */
	uint32_t reuse, inner_reuse; /* getters: the reuse it got and passed on */
};

struct sx_behave {
	uint32_t label;
	int is_creator;
	int delegations;
	int outcome;
	uint32_t variable; /* returned without delegating (a bound vN), else 0 */
	uint32_t name, inner[MAX_INNER];
	uint32_t reuse, inner_reuse;
	int raises;     /* raised an error of its own (not recorded) */
	int raise_code; /* ... or the recorded one it raised without delegating */
	uint32_t raise_msg;
	int inferred;
};

struct sx_thread {
	uint32_t tid;
	struct sb body;
	size_t target_fn; /* where steps go: TGT_BODY, TGT_DISCARD or a function index */
	struct sx_frame *fr;
	size_t nfr, capfr;
	vs_event pending[2];
	int npending;
	uint32_t last_exit_cm;
	int tmpl_scope; /* the next variable_scope is the template call's own */
	struct sx_call call;
	struct sx_beh_call *bc;
	size_t nbc, capbc;
	int err_code; /* an ERROR outside any call, for the next exit step */
	uint32_t err_msg, err_tf;
	uint64_t err_seq;
	int started, ended;
	size_t from; /* the thread that handed it the baton */
	/* the last yield it wrote: [ypos, yend) of its deferred text (ydef) or
	 * of the buffer of target yfn; still its last line when that buffer's
	 * length is yend (kept as indices: the arrays move when they grow) */
	int yset, ydef;
	size_t yfn, ypos, yend;
	struct sb deferred; /* yields made inside a call after it created: they follow the call */
	/* undo of the last variable_scope step (make_template create_scope_now) */
	size_t undo_len, undo_nmap;
	int undo_lines, undo_ok;
	/* a template call has done nothing yet / failed before doing anything */
	int tmpl_fresh, tmpl_failed;
	/* the later template call whose steps go to its function's alt buffer */
	size_t alt_fn;
	int alt_level;
	/* template call nesting: targets to restore */
	size_t tstack[16];
	int ntstack;
};

struct sx_fn {
	uint32_t template_id;
	struct sb body;
	int called;
	/* a call failed before its body did anything (a user error, such as a
	 * Python TypeError for an unexpected argument): the body raises it
	 * first, when the call's argument `fails` is true */
	int fail_code;
	uint32_t fail_msg;
	/* later calls that ran the same steps with other quoted values: the
	 * differing values are parameters $pK, passed per call (struct sx_param) */
	struct sb alt; /* the steps of the later call being recorded */
	struct sx_param *par;
	size_t npar, cappar;
	int nparams;
	int diverged; /* a later call ran other steps: not reproduced */
};

/* parameter k of a template body: the tok-th quoted value of its line-th
 * step line; call 0 = the definition (value from the body) */
struct sx_param {
	int k, line, tok;
	uint32_t call;
	char *val;
};

struct sx {
	vs_db_reader *r;
	uint32_t proc;         /* the exported process (strings are read as its) */
	uint32_t ev_proc;      /* the process whose events are being read */
	uint32_t nprefix;      /* fork ancestors whose prefix is re-done first */
	uint32_t chain[8];     /* those ancestors (root first), ... */
	uint64_t chain_seq[8]; /* ... each up to the event its child forked after */
	struct sx_thread *th;
	size_t nth, capth;
	size_t holder;
	struct sx_fn *fn;
	size_t nfn, capfn;
	struct sx_behave *beh;
	size_t nbeh, capbeh;
	struct sx_map *map;
	size_t nmap, capmap;
	struct idset vars;   /* variable ids bound as vN */
	struct idset scopes; /* scope ids bound as sN */
	struct idset stores; /* _VariableStore ids bound as stN */
	uint32_t *var_name;  /* variable id -> its name's string id ("a/v:0") */
	size_t capvn;
	uint32_t capture_after; /* a global graph made inside a call: capture it next */
	struct {
		uint32_t key;
		int shards, axis;
	} * parts; /* partitioned variables made */
	size_t nparts, capparts;
	char **nc; /* getters named by E9 (not callable) */
	size_t nnc, capnc;
	int approx_mid_call; /* a thread switch inside a call */
	int format;          /* the trace's format version (VAR_ARGS since 3) */
	/* the global graph's variables in creation order (name, collections
	 * strs), for the final collection expectation; coll_off: not written */
	uint32_t global_graph;
	struct {
		uint32_t name, cols;
	} * coll;
	size_t ncoll, capcoll;
	int coll_off;
	int eager;         /* decided at the first scope or call: 1 eager config */
	int last_err_code; /* the thread-independent last error, for template calls */
	uint32_t last_err_msg;
	int nomem;
};

/* ------------------------------------------------------------- text */

static void sb_printf(struct sx *x, struct sb *b, const char *fmt, ...) VS_PRINTF(3, 4);
static void sb_printf(struct sx *x, struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (!b)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || VS_GROW(b->s, b->cap, b->len + (size_t)n + 1) < 0) {
		x->nomem = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	for (int i = 0; i < n; i++)
		b->lines += b->s[b->len + (size_t)i] == '\n';
	b->len += (size_t)n;
}

/* s as a YAML double-quoted scalar (at most max bytes of it) */
static void sb_q(struct sx *x, struct sb *b, const char *s, size_t max)
{
	sb_printf(x, b, "\"");
	for (size_t i = 0; s && s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_printf(x, b, "\\%c", c);
		else if (c == '\n')
			sb_printf(x, b, "\\n");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(x, b, "\\x%02x", c);
		else
			sb_printf(x, b, "%c", c);
	}
	sb_printf(x, b, "\"");
}

static const char *str(struct sx *x, uint32_t id)
{
	const char *s = id ? vs_db_reader_string(x->r, x->proc, id) : NULL;
	return s ? s : "";
}

static struct sb *tg(struct sx *x, struct sx_thread *t)
{
	if (t->target_fn == TGT_BODY)
		return &t->body;
	if (t->target_fn == TGT_DISCARD)
		return t->alt_level && t->alt_level == t->ntstack ? &x->fn[t->alt_fn].alt : NULL;
	return &x->fn[t->target_fn].body;
}

static void add_map(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	struct sb *b = tg(x, t);
	if (!b || t->target_fn == TGT_DISCARD)
		return;
	if (VS_GROW(x->map, x->capmap, x->nmap + 1) < 0) {
		x->nomem = 1;
		return;
	}
	x->map[x->nmap].thread = (size_t)(t - x->th);
	x->map[x->nmap].proc = x->ev_proc;
	x->map[x->nmap].fn = t->target_fn;
	x->map[x->nmap].line = b->lines;
	x->map[x->nmap].seq = e->seq;
	x->map[x->nmap].kind = e->kind;
	x->nmap++;
}

/* a recorded shape as a scenario shape: "(2, 3)" (or "[2,3]") -> "[2, 3]",
 * "(2,)" -> "[2]", "?" or "None" dims -> "~", anything else "unknown" */
static void sb_shape(struct sx *x, struct sb *b, const char *s)
{
	char close;
	if (!s || (*s != '(' && *s != '[')) {
		sb_printf(x, b, "unknown");
		return;
	}
	close = *s == '(' ? ')' : ']';
	sb_printf(x, b, "[");
	for (s++; *s && *s != close; s++) {
		if (*s == '?')
			sb_printf(x, b, "~");
		else if (!strncmp(s, "None", 4))
			sb_printf(x, b, "~"), s += 3;
		else if (*s == ',' && s[1] == close)
			continue;
		else
			sb_printf(x, b, "%c", *s);
	}
	sb_printf(x, b, "]");
}

static const char *reuse_yaml(unsigned r)
{
	return r == VS_REUSE_TRUE    ? "true"
	       : r == VS_REUSE_FALSE ? "false"
	       : r == VS_REUSE_AUTO  ? "auto"
	                             : "none";
}

/* ------------------------------------------------------------- state */

static int idset_has(const struct idset *s, uint32_t id) { return id < s->cap && s->v[id]; }

static void idset_add(struct sx *x, struct idset *s, uint32_t id)
{
	if ((size_t)id >= s->cap) {
		size_t cap = 2 * (size_t)id + 64;
		uint8_t *nv = realloc(s->v, cap);
		if (!nv) {
			x->nomem = 1;
			return;
		}
		memset(nv + s->cap, 0, cap - s->cap);
		s->v = nv;
		s->cap = cap;
	}
	s->v[id] = 1;
}

static struct sx_thread *thread_of(struct sx *x, uint32_t tid)
{
	for (size_t i = 0; i < x->nth; i++)
		if (x->th[i].tid == tid)
			return &x->th[i];
	if (VS_GROW(x->th, x->capth, x->nth + 1) < 0) {
		x->nomem = 1;
		return NULL;
	}
	memset(&x->th[x->nth], 0, sizeof x->th[0]);
	x->th[x->nth].tid = tid;
	x->th[x->nth].target_fn = TGT_BODY;
	return &x->th[x->nth++];
}

static struct sx_fn *fn_of(struct sx *x, uint32_t template_id, size_t *idx)
{
	for (size_t i = 0; i < x->nfn; i++)
		if (x->fn[i].template_id == template_id) {
			*idx = i;
			return &x->fn[i];
		}
	if (VS_GROW(x->fn, x->capfn, x->nfn + 1) < 0) {
		x->nomem = 1;
		return NULL;
	}
	memset(&x->fn[x->nfn], 0, sizeof x->fn[0]);
	x->fn[x->nfn].template_id = template_id;
	*idx = x->nfn;
	return &x->fn[x->nfn++];
}

static struct sx_behave *beh_of(struct sx *x, uint32_t label, int is_creator)
{
	for (size_t i = 0; i < x->nbeh; i++)
		if (x->beh[i].label == label && x->beh[i].is_creator == is_creator)
			return &x->beh[i];
	if (VS_GROW(x->beh, x->capbeh, x->nbeh + 1) < 0) {
		x->nomem = 1;
		return NULL;
	}
	memset(&x->beh[x->nbeh], 0, sizeof x->beh[0]);
	x->beh[x->nbeh].label = label;
	x->beh[x->nbeh].is_creator = is_creator;
	return &x->beh[x->nbeh++];
}

static void push_frame(struct sx *x, struct sx_thread *t, uint16_t kind, int role, uint32_t cm)
{
	if (VS_GROW(t->fr, t->capfr, t->nfr + 1) < 0) {
		x->nomem = 1;
		return;
	}
	t->fr[t->nfr].kind = kind;
	t->fr[t->nfr].role = (uint8_t)role;
	t->fr[t->nfr].cm = cm;
	t->nfr++;
}

/* ------------------------------------------------------------- steps */

/* the innermost variable scope object open on t (0: the root scope) */
static uint32_t current_scope(const struct sx_thread *t, size_t below)
{
	for (size_t i = below; i > 0; i--)
		if (t->fr[i - 1].kind == VS_EV_VARSCOPE_ENTER)
			return t->fr[i - 1].scope_id;
	return 0;
}

static void varscope_step(struct sx *x, struct sx_thread *t, struct sb *b, const vs_event *e,
                          uint32_t cm)
{
	uint32_t cap = e->varscope.captured_scope;
	int by_ref = 0;
	if (cap) {
		/* re-entering a scope object: bound by an earlier entry, or the one
		 * current now (tf.get_variable_scope()), else by name */
		if (!idset_has(&x->scopes, cap) && current_scope(t, t->nfr - 1) == cap) {
			sb_printf(x, b, "- capture_scope: {as: s%u}\n", cap);
			idset_add(x, &x->scopes, cap);
		}
		by_ref = idset_has(&x->scopes, cap);
		if (!by_ref)
			sb_printf(x, b,
			          "# approximated: a captured scope object re-entered by name\n");
	}
	if (by_ref) {
		sb_printf(x, b, "- variable_scope: {scope: s%u", cap);
	} else {
		sb_printf(x, b, "- variable_scope: {%s: ",
		          (e->flags & VS_EVF_DEFAULT_NAME) ? "default_name" : "name");
		sb_q(x, b,
		     str(x, e->varscope.requested ? e->varscope.requested : e->varscope.full_name),
		     SIZE_MAX);
	}
	sb_printf(x, b, ", reuse: %s", reuse_yaml(e->varscope.reuse_asked));
	if (e->flags & VS_EVF_NO_AUX_NAME_SCOPE)
		sb_printf(x, b, ", auxiliary_name_scope: false");
	if (e->varscope.scope_id) { /* also in a template body: rebound per call */
		sb_printf(x, b, ", as: s%u", e->varscope.scope_id);
		idset_add(x, &x->scopes, e->varscope.scope_id);
	}
	sb_printf(x, b, ", cm: c%u}\n", cm);
	add_map(x, t, e);
	sb_printf(x, b, "  expect: {scope: ");
	sb_q(x, b, str(x, e->varscope.full_name), SIZE_MAX);
	sb_printf(x, b, "}\n");
}

static void step_ctx_begin(struct sx *x, struct sx_thread *t, const vs_event *e, int role)
{
	uint32_t cm = 0;
	struct sb *b = tg(x, t);
	switch (e->kind) {
	case VS_EV_CTX_PUSH: cm = e->ctx.cm; break;
	case VS_EV_NAME_SCOPE_ENTER: cm = e->name_scope.cm; break;
	case VS_EV_VARSCOPE_ENTER: cm = e->varscope.cm; break;
	case VS_EV_INIT_SCOPE_ENTER: cm = e->init_scope.cm; break;
	case VS_EV_CONTROL_DEPS_ENTER: cm = e->control_deps.cm; break;
	case VS_EV_CFLOW_ENTER: cm = e->cflow.cm; break;
	case VS_EV_TAPE_PUSH: cm = e->tape.cm; break;
	case VS_EV_TAPE_PAUSE: cm = e->tape_pause.cm; break;
	case VS_EV_CREATOR_SCOPE_ENTER: cm = e->creator_scope.cm; break;
	case VS_EV_EAGER_STORE_ENTER: cm = e->eager_store.cm; break;
	default: break;
	}
	push_frame(x, t, e->kind, role, cm);
	if (e->kind == VS_EV_VARSCOPE_ENTER && t->nfr)
		t->fr[t->nfr - 1].scope_id = e->varscope.scope_id;
	if (role != ROLE_STEP)
		return;
	switch (e->kind) {
	case VS_EV_CTX_PUSH:
		if (e->ctx.ctx_kind == VS_CTX_GRAPH)
			sb_printf(x, b, "- as_default: {graph: g%u, cm: c%u}\n", e->ctx.graph_id,
			          cm);
		else
			sb_printf(x, b, "- %s: {cm: c%u}\n",
			          e->ctx.ctx_kind == VS_CTX_EAGER ? "eager_mode" : "graph_mode",
			          cm);
		break;
	case VS_EV_NAME_SCOPE_ENTER:
		sb_printf(x, b, "- name_scope: {name: ");
		if (e->name_scope.requested)
			sb_q(x, b, str(x, e->name_scope.requested), SIZE_MAX);
		else
			sb_printf(x, b, "~");
		if (e->name_scope.default_name) {
			sb_printf(x, b, ", default_name: ");
			sb_q(x, b, str(x, e->name_scope.default_name), SIZE_MAX);
		}
		sb_printf(x, b, ", cm: c%u}\n", cm);
		break;
	case VS_EV_VARSCOPE_ENTER:
		t->undo_len = b ? b->len : 0;
		t->undo_lines = b ? b->lines : 0;
		t->undo_nmap = x->nmap;
		t->undo_ok = 1;
		varscope_step(x, t, b, e, cm);
		break;
	case VS_EV_INIT_SCOPE_ENTER: sb_printf(x, b, "- init_scope: {cm: c%u}\n", cm); break;
	case VS_EV_CONTROL_DEPS_ENTER:
		if (e->flags & VS_EVF_CLEARED)
			sb_printf(x, b, "- control_dependencies: {inputs: ~, cm: c%u}\n", cm);
		else
			sb_printf(x, b,
			          "- control_dependencies: {inputs: [], cm: c%u}"
			          "  # %u recorded inputs not reproduced\n",
			          cm, e->control_deps.n_inputs);
		break;
	case VS_EV_CFLOW_ENTER:
		sb_printf(x, b, "- %s: {cm: c%u}\n",
		          e->cflow.cflow_kind == VS_CFLOW_WHILE ? "while_loop" : "cond", cm);
		break;
	case VS_EV_TAPE_PUSH: sb_printf(x, b, "- gradient_tape: {cm: c%u}\n", cm); break;
	case VS_EV_TAPE_PAUSE: sb_printf(x, b, "- stop_recording: {cm: c%u}\n", cm); break;
	case VS_EV_CREATOR_SCOPE_ENTER:
		sb_printf(x, b, "- creator_scope: {creator: ");
		sb_q(x, b, str(x, e->creator_scope.label), SIZE_MAX);
		sb_printf(x, b, ", priority: %u, cm: c%u}\n", e->creator_scope.priority, cm);
		beh_of(x, e->creator_scope.label, 1);
		break;
	case VS_EV_EAGER_STORE_ENTER:
		sb_printf(x, b, "- eager_store_scope: {store: s%u, cm: c%u}\n",
		          e->eager_store.store_id, cm);
		break;
	default: break;
	}
}

/* the first line of an error message, before TF's "Originally defined at" */
static size_t msg_prefix_len(const char *m)
{
	const char *o = strstr(m, " Originally defined at");
	const char *nl = strchr(m, '\n');
	size_t n = strlen(m);
	if (o && (size_t)(o - m) < n)
		n = (size_t)(o - m);
	if (nl && (size_t)(nl - m) < n)
		n = (size_t)(nl - m);
	return n;
}

static void expect_error(struct sx *x, struct sb *b, int code, uint32_t msg)
{
	const char *m = str(x, msg);
	sb_printf(x, b, "error: {kind: %s, prefix: ", vs_err_name(code));
	sb_q(x, b, m, msg_prefix_len(m));
	sb_printf(x, b, "}");
}

static void stray_error(struct sx *x, struct sx_thread *t);

/* the cm id an exit event names (0 when its kind has none) */
static uint32_t exit_cm(const vs_event *e)
{
	switch (e->kind) {
	case VS_EV_CTX_POP: return e->ctx.cm;
	case VS_EV_NAME_SCOPE_EXIT: return e->name_scope.cm;
	case VS_EV_VARSCOPE_EXIT: return e->varscope.cm;
	case VS_EV_INIT_SCOPE_EXIT: return e->init_scope.cm;
	case VS_EV_CONTROL_DEPS_EXIT: return e->control_deps.cm;
	case VS_EV_CFLOW_EXIT: return e->cflow.cm;
	case VS_EV_TAPE_POP: return e->tape.cm;
	case VS_EV_TAPE_RESUME: return e->tape_pause.cm;
	case VS_EV_CREATOR_SCOPE_EXIT: return e->creator_scope.cm;
	case VS_EV_EAGER_STORE_EXIT: return e->eager_store.cm;
	default: return 0;
	}
}

/*
 * E17: a variable scope's exit failed (mis-nested).  The runtime emits the
 * ERROR, then that scope's own name-scope and graph exits (with its cm id),
 * but no VARSCOPE_EXIT: the scope stays entered.  So the first internal
 * exit after the ERROR names the scope the program tried to leave, which
 * need not be the innermost one; its VARSCOPE_EXIT comes with the exit
 * that succeeds later (written then, so last_exit_cm is cleared).
 */
static int failed_scope_exit(struct sx *x, struct sx_thread *t, const vs_event *e, size_t i)
{
	uint32_t cm = t->fr[i].cm;
	if (!t->err_code || t->err_tf != VS_TFE_SCOPE_NESTING || t->fr[i].role != ROLE_INTERNAL ||
	    e->kind == VS_EV_VARSCOPE_EXIT || !cm)
		return 0;
	size_t j = t->nfr;
	while (j > 0 && !(t->fr[j - 1].kind == VS_EV_VARSCOPE_ENTER && t->fr[j - 1].cm == cm))
		j--;
	if (j == 0 || t->fr[j - 1].role != ROLE_STEP)
		return 0;
	struct sb *b = tg(x, t);
	t->undo_ok = 0;
	sb_printf(x, b, "- exit: c%u\n", cm);
	add_map(x, t, e);
	sb_printf(x, b, "  expect: {");
	expect_error(x, b, t->err_code, t->err_msg);
	sb_printf(x, b, "}\n");
	t->err_code = 0;
	t->last_exit_cm = 0;
	return 1;
}

static void step_ctx_end(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	size_t i = t->nfr;
	uint32_t cm = exit_cm(e);
	/* the frame with the exit's cm id; by kind when the cm is unknown */
	while (i > 0 && t->fr[i - 1].kind + 1u != e->kind)
		i--;
	if (cm) {
		size_t j = t->nfr;
		while (j > 0 && !(t->fr[j - 1].cm == cm && t->fr[j - 1].kind + 1u == e->kind))
			j--;
		if (j)
			i = j;
	}
	if (i == 0)
		return;
	i--;
	cm = t->fr[i].cm;
	if (failed_scope_exit(x, t, e, i)) {
		/* the scope stays entered: its frame and its exit come later */
	} else if (t->fr[i].role == ROLE_STEP && (cm == 0 || cm != t->last_exit_cm)) {
		struct sb *b = tg(x, t);
		if (e->kind != VS_EV_VARSCOPE_EXIT)
			t->undo_ok = 0;
		sb_printf(x, b, "- exit: c%u\n", cm);
		if (t->err_code) {
			add_map(x, t, e);
			sb_printf(x, b, "  expect: {");
			expect_error(x, b, t->err_code, t->err_msg);
			sb_printf(x, b, "}\n");
			t->err_code = 0;
		}
		t->last_exit_cm = cm;
	} else if (t->err_code && t->fr[i].role == ROLE_STEP) {
		stray_error(x, t);
	}
	/* frames above it were left open by mis-nesting: they stay (TF keeps them) */
	memmove(&t->fr[i], &t->fr[i + 1], (t->nfr - i - 1) * sizeof t->fr[0]);
	t->nfr--;
}

static void flush_pending(struct sx *x, struct sx_thread *t)
{
	for (int i = 0; i < t->npending; i++)
		step_ctx_begin(x, t, &t->pending[i], ROLE_STEP);
	t->npending = 0;
}

/*
 * Initializers are not recorded, but two outcomes tell that a constant
 * tensor (with a shape) was passed: E5 (a shape given too), and a variable
 * created without a shape (its shape came from the value).  Both get a
 * value initializer of the recorded shape and dtype.
 */
/* The call failed because its initial value (a tensor, not a callable) was
 * made inside a cond or while_loop: TF's "Initializer for variable X/ is
 * from inside a control-flow construct" (not a catalogued E number). */
static int cflow_value_error(struct sx *x, const struct sx_thread *t)
{
	static const char pre[] = "Initializer for variable ";
	const char *m = t->call.err_code ? str(x, t->call.err_msg) : "";
	return !strncmp(m, pre, sizeof pre - 1) &&
	       strstr(m, " is from inside a control-flow construct") != NULL;
}

static void value_initializer(struct sx *x, struct sb *b, struct sx_thread *t, const vs_event *e,
                              unsigned outcome)
{
	const vs_event *in = &t->call.enter;
	uint32_t shape = 0, dtype = 0;
	if (cflow_value_error(x, t)) {
		sb_printf(x, b, ", initializer: {kind: value, value: 0}");
		return;
	}
	if (t->call.err_tf == VS_TFE_CONST_INIT_SHAPE) {
		shape = in->getvar_enter.shape;
		dtype = in->getvar_enter.dtype;
	} else if (!in->getvar_enter.shape && outcome == VS_OUT_CREATED) {
		shape = e->getvar_exit.shape;
		dtype = e->getvar_exit.dtype;
	}
	if (!shape || (*str(x, shape) != '(' && *str(x, shape) != '['))
		return;
	sb_printf(x, b, ", initializer: {kind: value, value: 0, dtype: %s, shape: ",
	          vs_db_dtype_name(dtype ? dtype : VS_DT_FLOAT32));
	sb_shape(x, b, str(x, shape));
	sb_printf(x, b, "}");
}

/* the dims of a recorded shape "(4, 2)" / "[4,2]" (unknown dims -1); count */
static int shape_dims(const char *s, long long *dims, int max)
{
	int n = 0;
	if (!s || (*s != '(' && *s != '['))
		return -1;
	for (s++; *s && *s != ')' && *s != ']' && n < max;) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s) {
			v = -1;
			while (*end && *end != ',' && *end != ')' && *end != ']')
				end++;
		}
		dims[n++] = v;
		s = end;
		while (*s == ',' || *s == ' ')
			s++;
	}
	return n;
}

/*
 * A partitioned get_variable: the partitioner is not recorded, but the
 * partitions it made are: their number is the shards, the dimension
 * where a partition's shape differs from the whole is the axis.  A reuse
 * takes what the creation showed; E10 is a partitioner that is not
 * callable.
 */
static void partitioner(struct sx *x, struct sb *b, struct sx_thread *t)
{
	const vs_event *in = &t->call.enter;
	int shards = 0, axis = 0;
	if (t->call.err_tf == VS_TFE_PARTITIONER_NOT_CALLABLE) {
		sb_printf(x, b, ", partitioner: not_callable");
		return;
	}
	if (t->call.nparts) {
		long long whole[VS_MAX_RANK], part[VS_MAX_RANK];
		int n = shape_dims(str(x, in->getvar_enter.shape), whole, VS_MAX_RANK);
		int m = shape_dims(str(x, t->call.part_shape), part, VS_MAX_RANK);
		shards = t->call.nparts;
		for (int i = 0; i < n && i < m; i++)
			if (whole[i] != part[i]) {
				axis = i;
				break;
			}
		if (VS_GROW(x->parts, x->capparts, x->nparts + 1) < 0) {
			x->nomem = 1;
			return;
		}
		x->parts[x->nparts].key = in->getvar_enter.full_name;
		x->parts[x->nparts].shards = shards;
		x->parts[x->nparts++].axis = axis;
	} else {
		for (size_t i = 0; i < x->nparts; i++)
			if (x->parts[i].key == in->getvar_enter.full_name) {
				shards = x->parts[i].shards;
				axis = x->parts[i].axis;
			}
	}
	if (!shards) /* none made yet (an error): any partitioner will do */
		shards = 2;
	sb_printf(x, b, ", partitioner: {shards: %d, axis: %d}", shards, axis);
}

/* E9 names the getter that is not callable: declare it so and pass it
 * (it was never called, so the trace has no label for it, only the text) */
static const char *not_callable_getter(struct sx *x, struct sx_thread *t)
{
	static const char pre[] = "Passed a custom_getter which is not callable: ";
	const char *m = str(x, t->call.err_msg), *name;
	if (t->call.err_tf != VS_TFE_GETTER_NOT_CALLABLE || strncmp(m, pre, sizeof pre - 1))
		return NULL;
	name = m + sizeof pre - 1;
	for (size_t i = 0; i < x->nnc; i++)
		if (!strcmp(x->nc[i], name))
			return x->nc[i];
	if (VS_GROW(x->nc, x->capnc, x->nnc + 1) < 0 || !(x->nc[x->nnc] = strdup(name))) {
		x->nomem = 1;
		return NULL;
	}
	return x->nc[x->nnc++];
}

static void call_begin(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	memset(&t->call, 0, sizeof t->call);
	t->call.open = 1;
	t->call.enter = *e;
	t->nbc = 0;
	t->undo_ok = 0;
}

/* An initializer recorded as text (VS_INIT_TEXT in vs/event.h, e.g.
 * "value(value=3, dtype=int32, shape=(2,))") as a scenario initializer:
 * the kind alone, or {kind, value, dtype, shape}. */
static void sb_init(struct sx *x, struct sb *b, const char *t)
{
	const char *open = strchr(t, '('), *v, *d, *sh;
	if (!open) {
		sb_printf(x, b, "%s", t);
		return;
	}
	sb_printf(x, b, "{kind: %.*s", (int)(open - t), t);
	if ((v = strstr(open, "value=")))
		sb_printf(x, b, ", value: %.*s", (int)strcspn(v + 6, ",)"), v + 6);
	if ((d = strstr(open, "dtype=")))
		sb_printf(x, b, ", dtype: %.*s", (int)strcspn(d + 6, ",)"), d + 6);
	if ((sh = strstr(open, "shape="))) {
		sb_printf(x, b, ", shape: ");
		sb_shape(x, b, sh + 6);
	}
	sb_printf(x, b, "}");
}

static const char *tristate_yaml(unsigned v) { return v == VS_TRUE ? "true" : "false"; }

/* The arguments VAR_ARGS recorded beyond the ENTER event (trace format 3),
 * as step keys; initializer only for get_variable (Variable's initial
 * value is written by variable_step). */
static void put_var_args(struct sx *x, struct sb *b, const struct vs_evp_var_args *a, int is_var)
{
	static const char *const syncs[] = {"auto", "none", "on_write", "on_read"};
	static const char *const aggs[] = {"none", "sum", "mean", "only_first_replica"};
	const char *reg = str(x, a->regularizer);
	if (a->initializer && !is_var) {
		sb_printf(x, b, ", initializer: ");
		sb_init(x, b, str(x, a->initializer));
	}
	if (a->regularizer) /* a C regularizer's label: whether it adds a loss is not recorded */
		sb_printf(x, b, ", regularizer: %s",
		          !strcmp(reg, "returns_none") ? "returns_none" : "adds_loss");
	if (VS_VARG_TRAINABLE(a->packed) && !is_var)
		sb_printf(x, b, ", trainable: %s", tristate_yaml(VS_VARG_TRAINABLE(a->packed)));
	if (a->packed & VS_VARG_COLLECTIONS) {
		const char *c = str(x, a->collections);
		sb_printf(x, b, ", collections: [");
		while (*c) {
			size_t n = strcspn(c, ",");
			sb_q(x, b, c, n);
			c += n + (c[n] == ',');
			sb_printf(x, b, "%s", *c ? ", " : "");
		}
		sb_printf(x, b, "]");
	}
	if (a->caching_device) {
		sb_printf(x, b, ", caching_device: ");
		sb_q(x, b, str(x, a->caching_device), SIZE_MAX);
	}
	if (VS_VARG_VALIDATE_SHAPE(a->packed))
		sb_printf(x, b, ", validate_shape: %s",
		          tristate_yaml(VS_VARG_VALIDATE_SHAPE(a->packed)));
	if (VS_VARG_USE_RESOURCE(a->packed))
		sb_printf(x, b, ", use_resource: %s",
		          tristate_yaml(VS_VARG_USE_RESOURCE(a->packed)));
	if (a->constraint) {
		sb_printf(x, b, ", constraint: ");
		sb_q(x, b, str(x, a->constraint), SIZE_MAX);
	}
	if (VS_VARG_SYNC(a->packed) && VS_VARG_SYNC(a->packed) < 4)
		sb_printf(x, b, ", synchronization: %s", syncs[VS_VARG_SYNC(a->packed)]);
	if (VS_VARG_AGG(a->packed) && VS_VARG_AGG(a->packed) < 4)
		sb_printf(x, b, ", aggregation: %s", aggs[VS_VARG_AGG(a->packed)]);
}

/* `- variable: {...` of a Variable() call (without the closing brace) */
static void variable_step(struct sx *x, struct sb *b, struct sx_thread *t)
{
	const vs_event *in = &t->call.enter;
	sb_printf(x, b, "- variable: {");
	if (in->variable_enter.requested) {
		sb_printf(x, b, "name: ");
		sb_q(x, b, str(x, in->variable_enter.requested), SIZE_MAX);
		sb_printf(x, b, ", ");
	}
	sb_printf(x, b, "trainable: %s", (in->flags & VS_EVF_TRAINABLE) ? "true" : "false");
	if (in->flags & VS_EVF_V2)
		sb_printf(x, b, ", v2: true");
	if (t->call.has_args && t->call.args.initializer) {
		sb_printf(x, b, ", initial_value: ");
		sb_init(x, b, str(x, t->call.args.initializer));
	} else if (t->call.made && t->call.made_shape &&
	           (*str(x, t->call.made_shape) == '(' || *str(x, t->call.made_shape) == '[')) {
		sb_printf(x, b, ", initial_value: {kind: value, value: 0, dtype: %s, shape: ",
		          vs_db_dtype_name(t->call.made_dtype ? t->call.made_dtype
		                                              : VS_DT_FLOAT32));
		sb_shape(x, b, str(x, t->call.made_shape));
		sb_printf(x, b, "}");
	} else if (cflow_value_error(x, t)) {
		sb_printf(x, b, ", initial_value: {kind: value, value: 0}");
	}
	if (t->call.has_args && VS_VARG_DTYPE(t->call.args.packed))
		sb_printf(x, b, ", dtype: %s",
		          vs_db_dtype_name(VS_VARG_DTYPE(t->call.args.packed)));
	if (t->call.made && !(in->flags & VS_EVF_V2) &&
	    !(t->call.has_args && VS_VARG_USE_RESOURCE(t->call.args.packed)))
		sb_printf(x, b, ", use_resource: %s", t->call.made_resource ? "true" : "false");
	if (t->call.has_args)
		put_var_args(x, b, &t->call.args, 1);
}

/* `- get_variable: {...` (or get_local_variable), without the closing brace */
static void get_variable_step(struct sx *x, struct sb *b, struct sx_thread *t, const vs_event *e,
                              unsigned outcome)
{
	const vs_event *in = &t->call.enter;
	const char *nc;
	if (in->flags & VS_EVF_STORE_CALL) {
		/* a store not made by var_store: the default one (of the call's
		 * context), captured where it is first used */
		uint32_t id = in->getvar_enter.store_id;
		if (!idset_has(&x->stores, id)) {
			sb_printf(x, b, "- capture_store: {as: st%u}\n", id);
			idset_add(x, &x->stores, id);
		}
		sb_printf(x, b, "- store_get_variable: {var_store: st%u, reuse: %s, name: ", id,
		          reuse_yaml(in->getvar_enter.reuse));
	} else {
		sb_printf(x, b, "- %s: {name: ",
		          (in->flags & VS_EVF_LOCAL) ? "get_local_variable" : "get_variable");
	}
	sb_q(x, b, str(x, in->getvar_enter.requested), SIZE_MAX);
	if (in->getvar_enter.shape) {
		sb_printf(x, b, ", shape: ");
		sb_shape(x, b, str(x, in->getvar_enter.shape));
	}
	if (in->getvar_enter.dtype)
		sb_printf(x, b, ", dtype: %s", vs_db_dtype_name(in->getvar_enter.dtype));
	if (t->call.has_args)
		put_var_args(x, b, &t->call.args, 0);
	if (t->call.has_args && t->call.args.initializer) {
		/* given */
	} else if (outcome == VS_OUT_CREATED && t->call.made_init && !t->call.behaved &&
	           t->target_fn == TGT_BODY && strncmp(str(x, t->call.made_init), "value", 5)) {
		/* the scope's default or TF's (not recorded on the scope): passed
		 * here (not in a template body, whose later calls only reuse) */
		sb_printf(x, b, ", initializer: ");
		sb_init(x, b, str(x, t->call.made_init));
	} else {
		value_initializer(x, b, t, e, outcome);
	}
	if (x->format < 3 && outcome == VS_OUT_CREATED && t->call.made && !t->call.behaved &&
	    t->target_fn == TGT_BODY) /* before VAR_ARGS: what the creation shows */
		sb_printf(x, b, ", trainable: %s", t->call.made_trainable ? "true" : "false");
	if (in->flags & VS_EVF_PARTITIONED)
		partitioner(x, b, t);
	if ((nc = not_callable_getter(x, t))) {
		sb_printf(x, b, ", custom_getter: ");
		sb_q(x, b, nc, SIZE_MAX);
	} else if (t->call.getter_label) {
		sb_printf(x, b, ", custom_getter: ");
		sb_q(x, b, str(x, t->call.getter_label), SIZE_MAX);
	}
}

/* The call's expectation line: its error, or created/same_as/name. */
static void call_expect(struct sx *x, struct sb *b, struct sx_thread *t, const vs_event *e,
                        unsigned outcome, uint32_t var)
{
	const vs_event *in = &t->call.enter;
	int is_var = in->kind == VS_EV_VARIABLE_ENTER, in_fn = t->target_fn != TGT_BODY;
	if (outcome == VS_OUT_ERROR && t->call.err_code && !in_fn) {
		add_map(x, t, e);
		sb_printf(x, b, "  expect: {");
		expect_error(x, b, t->call.err_code, t->call.err_msg);
		sb_printf(x, b, "}\n");
	} else if (outcome == VS_OUT_ERROR && t->call.beh_raised && !in_fn) {
		add_map(x, t, e);
		sb_printf(x, b,
		          "  expect: {error: {kind: RuntimeError, message: \"%s\"}}"
		          "  # approximated: a getter or creator raised an error the trace"
		          " does not record\n",
		          UNRECORDED);
	} else if (outcome == VS_OUT_CREATED || outcome == VS_OUT_REUSED) {
		const char *key = var < x->capvn && x->var_name[var] ? str(x, x->var_name[var])
		                                                     : NULL;
		/* a direct variable in a template body is named anew on each call */
		int named = key && *key && !(in->flags & VS_EVF_PARTITIONED) &&
		            !t->call.getter_label && !(is_var && in_fn);
		if (in_fn && !named)
			return;
		add_map(x, t, e);
		sb_printf(x, b, "  expect: {");
		if (!in_fn)
			sb_printf(x, b, "created: %s",
			          outcome == VS_OUT_CREATED ? "true" : "false");
		if (outcome == VS_OUT_REUSED && var && !in_fn && idset_has(&x->vars, var))
			sb_printf(x, b, ", same_as: v%u", var);
		if (named) {
			sb_printf(x, b, in_fn ? "name: " : ", name: ");
			sb_q(x, b, key, SIZE_MAX);
		}
		if (outcome == VS_OUT_CREATED && !in_fn && var && var == t->call.made_var &&
		    !(in->flags & VS_EVF_PARTITIONED) && !t->call.behaved) {
			/* what it was made with (VAR_CREATE, VAR_INFO) */
			const char *init = str(x, t->call.made_init);
			sb_printf(x, b, ", trainable: %s",
			          t->call.made_trainable ? "true" : "false");
			if (*init)
				sb_printf(x, b, ", initializer: %.*s", (int)strcspn(init, "("),
				          init);
		}
		sb_printf(x, b, "}\n");
	}
}

/* A get_variable / Variable call returned: its step and expectation. */
static void call_end(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	struct sb *b = tg(x, t);
	int is_var = t->call.enter.kind == VS_EV_VARIABLE_ENTER;
	unsigned outcome = is_var ? e->variable_exit.outcome : e->getvar_exit.outcome;
	uint32_t var = is_var ? e->variable_exit.variable : e->getvar_exit.variable;
	t->call.open = 0;
	if (is_var)
		variable_step(x, b, t);
	else
		get_variable_step(x, b, t, e, outcome);
	if (outcome == VS_OUT_CREATED && var && t->target_fn == TGT_BODY && b) {
		sb_printf(x, b, ", as: v%u", var);
		idset_add(x, &x->vars, var);
	}
	sb_printf(x, b, "}\n");
	if (t->call.ngetters > 1)
		sb_printf(x, b,
		          "  # approximated: %d custom getters were chained; only the first is"
		          " passed\n",
		          t->call.ngetters);
	call_expect(x, b, t, e, outcome, var);
}

/* a creator or getter call inside a user call: behaviour inference */
static void beh_call(struct sx *x, struct sx_thread *t, const vs_event *e, int is_creator)
{
	uint32_t label = is_creator ? e->creator_call.label : e->getter_call.label;
	if (t->nbc) {
		struct sx_beh_call *p = &t->bc[t->nbc - 1];
		if (p->delegations < MAX_INNER)
			p->inner[p->delegations] = is_creator ? e->creator_call.name
			                                      : e->getter_call.name;
		if (!is_creator && p->delegations == 0)
			p->inner_reuse = e->getter_call.reuse;
		p->delegations++;
	} else if (!is_creator && label) {
		if (!t->call.getter_label)
			t->call.getter_label = label;
	}
	if (!is_creator && label && t->nbc == 0)
		t->call.ngetters++;
	if (label)
		t->call.behaved = 1;
	if (label)
		beh_of(x, label, is_creator);
	if (VS_GROW(t->bc, t->capbc, t->nbc + 1) < 0) {
		x->nomem = 1;
		return;
	}
	memset(&t->bc[t->nbc], 0, sizeof t->bc[0]);
	t->bc[t->nbc].label = label;
	t->bc[t->nbc].name = is_creator ? e->creator_call.name : e->getter_call.name;
	t->bc[t->nbc].reuse = is_creator ? 0 : e->getter_call.reuse;
	t->nbc++;
}

static void beh_return(struct sx *x, struct sx_thread *t, const vs_event *e, int is_creator)
{
	struct sx_beh_call c;
	struct sx_behave *b;
	if (!t->nbc)
		return;
	c = t->bc[--t->nbc];
	if (!c.label || !(b = beh_of(x, c.label, is_creator)))
		return;
	/* an error raised by user code (a getter or creator) has no ERROR event */
	if ((is_creator ? e->creator_return.outcome : e->getter_return.outcome) == VS_OUT_ERROR &&
	    c.delegations == 0 && !t->call.err_code) {
		t->call.beh_raised = 1;
		if (!b->inferred)
			b->raises = 1;
	} else if ((is_creator ? e->creator_return.outcome : e->getter_return.outcome) ==
	                   VS_OUT_ERROR &&
	           c.delegations == 0 && !b->inferred) {
		/* it raised the error recorded inside it (e.g. tf.function's
		 * invalid_creator_scope): the behaviour raises the same */
		b->raise_code = t->call.err_code;
		b->raise_msg = t->call.err_msg;
	}
	if (b->inferred)
		return;
	b->inferred = 1;
	b->delegations = c.delegations;
	b->outcome = (int)(is_creator ? e->creator_return.outcome : e->getter_return.outcome);
	b->variable = is_creator ? e->creator_return.variable : e->getter_return.variable;
	b->name = c.name;
	memcpy(b->inner, c.inner, sizeof b->inner);
	b->reuse = c.reuse;
	b->inner_reuse = c.inner_reuse;
	if (!idset_has(&x->vars, b->variable))
		b->variable = 0;
}

/* ------------------------------------------------------------- events */

static const char *thread_name(uint32_t tid, char *buf, size_t cap)
{
	if (tid == 1)
		return "main";
	snprintf(buf, cap, "t%u", tid);
	return buf;
}

/* the thread with runtime id tid when the export has seen it, else NULL */
static struct sx_thread *known_thread(struct sx *x, uint32_t tid)
{
	for (size_t i = 0; tid && i < x->nth; i++)
		if (x->th[i].tid == tid)
			return &x->th[i];
	return NULL;
}

/* the buffer that holds p's last yield (NULL: none, or a discarded call's) */
static struct sb *yield_buf(struct sx *x, struct sx_thread *p)
{
	if (!p->yset)
		return NULL;
	if (p->ydef)
		return &p->deferred;
	return p->yfn == TGT_BODY ? &p->body : &x->fn[p->yfn].body;
}

/* inserts line (with its newline) into b at byte offset at */
static void sb_insert(struct sx *x, struct sb *b, size_t at, const char *line)
{
	size_t n = strlen(line);
	if (VS_GROW(b->s, b->cap, b->len + n + 1) < 0) {
		x->nomem = 1;
		return;
	}
	memmove(b->s + at + n, b->s + at, b->len - at + 1);
	memcpy(b->s + at, line, n);
	b->len += n;
	b->lines++;
}

/*
 * t's `start:` goes into the thread that created it (THREAD_START's
 * parent_tid), not into the baton holder: the child emits THREAD_START
 * itself, racing with its parent, so in a free (or busy) recording another
 * thread may hold the baton by then.  The parent must have run the start
 * before anyone yields to t: when it is not the holder, its text ends with
 * the yield that gave the baton away (everything before it has run), and
 * the start goes just before that yield.  A parent the trace does not name
 * (plain pthread_create) or a start seen first through another event: the
 * holder starts t, as it holds the baton now.  A parent without such a
 * yield (it has not run since it started) gets the baton to start t.
 */
static void switch_to(struct sx *x, struct sx_thread *t);
static void start_thread(struct sx *x, struct sx_thread *t, uint32_t parent_tid)
{
	char nm[16], line[32];
	struct sx_thread *h = &x->th[x->holder], *p;
	struct sb *yb;
	if (t->started || t->tid == 1)
		return;
	t->started = 1;
	p = known_thread(x, parent_tid);
	snprintf(line, sizeof line, "- start: %s\n", thread_name(t->tid, nm, sizeof nm));
	if (p && p != h && p != t && (yb = yield_buf(x, p)) && yb->len == p->yend) {
		sb_insert(x, yb, p->ypos, line);
		p->ypos += strlen(line);
		p->yend += strlen(line);
	} else if (p && p != h && p != t && !p->ended) {
		/* the parent has not held the baton since it started: it gets it
		 * now to start t (as it did, before t's first event) */
		switch_to(x, p);
		sb_printf(x, tg(x, p), "%s", line);
	} else if (h != t) {
		sb_printf(x, tg(x, h), "%s", line);
	}
}

/* The baton moves to t (deterministic interleaving): the holder yields. */
static void switch_to(struct sx *x, struct sx_thread *t)
{
	char nm[16];
	struct sb *yb;
	struct sx_thread *h = &x->th[x->holder];
	if (h == t)
		return;
	start_thread(x, t, 0);
	if (h->call.open || h->npending)
		x->approx_mid_call = 1;
	flush_pending(x, h);
	/* a call that already created its variable went first: the other
	 * thread's steps come after it (before it, they would create first) */
	h->ydef = h->call.open && h->call.made;
	h->yfn = h->target_fn;
	h->yset = h->ydef || h->target_fn != TGT_DISCARD;
	yb = h->ydef ? &h->deferred : tg(x, h);
	h->ypos = yb ? yb->len : 0;
	sb_printf(x, yb, "- yield: %s\n", thread_name(t->tid, nm, sizeof nm));
	h->yend = yb ? yb->len : 0;
	t->from = x->holder;
	x->holder = (size_t)(t - x->th);
}

/* a variable made inside the call: its name for later expectations, and
 * the first one's shape, dtype and kind for the step */
static void call_var_create(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	uint32_t v = e->var_create.variable;
	if (v >= x->capvn) {
		size_t cap = 2 * (size_t)v + 64;
		uint32_t *n = realloc(x->var_name, cap * sizeof *n);
		if (!n) {
			x->nomem = 1;
			return;
		}
		memset(n + x->capvn, 0, (cap - x->capvn) * sizeof *n);
		x->var_name = n;
		x->capvn = cap;
	}
	x->var_name[v] = e->var_create.name;
	if (t->call.enter.kind == VS_EV_GETVAR_ENTER &&
	    (t->call.enter.flags & VS_EVF_PARTITIONED) && !t->call.nparts++)
		t->call.part_shape = e->var_create.shape;
	if (!t->call.made) {
		t->call.made = 1;
		t->call.made_var = v;
		t->call.made_trainable = (e->flags & VS_EVF_TRAINABLE) != 0;
		t->call.made_shape = e->var_create.shape;
		t->call.made_dtype = e->var_create.dtype;
		t->call.made_resource = (e->flags & VS_EVF_RESOURCE) != 0;
	}
}

/* inside a get_variable / Variable call: only what the expectation needs */
static void in_call(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	switch (e->kind) {
	case VS_EV_ERROR:
		x->last_err_code = -(int)e->error.code;
		x->last_err_msg = e->error.message;
		if (!t->call.err_code) {
			t->call.err_code = -(int)e->error.code;
			t->call.err_msg = e->error.message;
			t->call.err_tf = e->error.tf_error;
		}
		break;
	case VS_EV_CREATOR_CALL: beh_call(x, t, e, 1); break;
	case VS_EV_GETTER_CALL: beh_call(x, t, e, 0); break;
	case VS_EV_CREATOR_RETURN: beh_return(x, t, e, 1); break;
	case VS_EV_GETTER_RETURN: beh_return(x, t, e, 0); break;
	case VS_EV_GRAPH_CREATE:
		if (e->flags & VS_EVF_GLOBAL_DEFAULT)
			x->capture_after = e->graph_create.graph_id;
		break;
	case VS_EV_VAR_CREATE: call_var_create(x, t, e); break;
	case VS_EV_VAR_INFO:
		if (t->call.made && e->var_info.variable == t->call.made_var)
			t->call.made_init = e->var_info.initializer;
		break;
	case VS_EV_VAR_ARGS:
		if (!t->call.depth && !t->call.has_args &&
		    e->var_args.call_id == (t->call.enter.kind == VS_EV_VARIABLE_ENTER
		                                    ? t->call.enter.variable_enter.call_id
		                                    : t->call.enter.getvar_enter.call_id)) {
			t->call.has_args = 1;
			t->call.args = e->var_args;
		}
		break;
	case VS_EV_GETVAR_ENTER:
	case VS_EV_VARIABLE_ENTER: t->call.depth++; break;
	case VS_EV_GETVAR_EXIT:
	case VS_EV_VARIABLE_EXIT:
		if (t->call.depth) {
			t->call.depth--;
		} else if (e->kind == t->call.enter.kind + 1u) {
			call_end(x, t, e);
			if (t->deferred.len) {
				sb_printf(x, tg(x, t), "%.*s", (int)t->deferred.len, t->deferred.s);
				t->deferred.len = 0;
			}
			if (x->capture_after) {
				sb_printf(x, tg(x, t), "- capture_graph: {as: g%u}\n",
				          x->capture_after);
				x->capture_after = 0;
			}
		}
		break;
	default: break;
	}
}

static void template_make(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	struct sb *b;
	size_t idx;
	if (!fn_of(x, e->template_make.template_id, &idx))
		return;
	b = tg(x, t);
	if ((e->flags & VS_EVF_CREATE_SCOPE_NOW) && t->undo_ok && b) {
		/* the scope make_template entered itself: make_template does it again */
		b->len = t->undo_len;
		b->lines = t->undo_lines;
		x->nmap = t->undo_nmap;
	}
	t->undo_ok = 0;
	sb_printf(x, b, "- make_template: {name: ");
	if (e->template_make.name)
		sb_q(x, b, str(x, e->template_make.name), SIZE_MAX);
	else
		sb_printf(x, b, "~");
	sb_printf(x, b, ", function: f%u, as: t%u", e->template_make.template_id,
	          e->template_make.template_id);
	if (e->flags & VS_EVF_CREATE_SCOPE_NOW)
		sb_printf(x, b, ", create_scope_now: true");
	if (e->template_make.unique_name) {
		sb_printf(x, b, ", unique_name: ");
		sb_q(x, b, str(x, e->template_make.unique_name), SIZE_MAX);
	}
	sb_printf(x, b, "}\n");
	if (e->flags & VS_EVF_HAS_GETTER)
		sb_printf(x, b, "  # approximated: the template's custom getter is not recorded\n");
}

/* the quoted values of a step line: [*s, *e) of the tok-th; -1 none */
static int quoted(const char *l, size_t n, int tok, size_t *qs, size_t *qe)
{
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (l[i] != '"')
			continue;
		size_t j = i + 1;
		while (j < n && l[j] != '"')
			j += l[j] == '\\' ? 2 : 1;
		if (j >= n)
			return -1;
		if (k++ == tok) {
			*qs = i;
			*qe = j + 1;
			return 0;
		}
		i = j;
	}
	return -1;
}

/* the line-th step line ("- ...") of b: start, length; -1 none */
static int step_line(const struct sb *b, int line, size_t *at, size_t *n)
{
	int k = 0;
	for (size_t i = 0; i < b->len;) {
		const char *nl = memchr(b->s + i, '\n', b->len - i);
		size_t len = nl ? (size_t)(nl - (b->s + i)) : b->len - i;
		if (b->s[i] == '-' && k++ == line) {
			*at = i;
			*n = len;
			return 0;
		}
		i += len + 1;
	}
	return -1;
}

static int add_param(struct sx *x, struct sx_fn *f, int k, int line, int tok, uint32_t call,
                     const char *v, size_t n)
{
	if (VS_GROW(f->par, f->cappar, f->npar + 1) < 0 || !(f->par[f->npar].val = malloc(n + 1))) {
		x->nomem = 1;
		return -1;
	}
	memcpy(f->par[f->npar].val, v, n);
	f->par[f->npar].val[n] = 0;
	f->par[f->npar].k = k;
	f->par[f->npar].line = line;
	f->par[f->npar].tok = tok;
	f->par[f->npar].call = call;
	f->npar++;
	return 0;
}

/* the parameter at (line, tok), -1 none */
static int param_at(const struct sx_fn *f, int line, int tok)
{
	for (size_t i = 0; i < f->npar; i++)
		if (f->par[i].call == 0 && f->par[i].line == line && f->par[i].tok == tok)
			return f->par[i].k;
	return -1;
}

/*
 * A later call of a template re-runs the body of its first: where it ran
 * the same steps with other quoted values (a name from an argument), those
 * values become parameters; other steps are not reproduced.
 */
static void compare_call(struct sx *x, struct sx_fn *f, uint32_t call)
{
	size_t a0, n0, a1, n1;
	int line = 0;
	for (; step_line(&f->body, line, &a0, &n0) == 0; line++) {
		const char *l0 = f->body.s + a0, *l1;
		if (step_line(&f->alt, line, &a1, &n1) < 0) {
			f->diverged = 1;
			return;
		}
		l1 = f->alt.s + a1;
		size_t p0 = 0, p1 = 0, s0, e0, s1, e1;
		int tok = 0;
		for (; quoted(l0, n0, tok, &s0, &e0) == 0; tok++) {
			if (quoted(l1, n1, tok, &s1, &e1) < 0 || s0 - p0 != s1 - p1 ||
			    memcmp(l0 + p0, l1 + p1, s0 - p0)) {
				f->diverged = 1;
				return;
			}
			if (e0 - s0 != e1 - s1 || memcmp(l0 + s0, l1 + s1, e0 - s0)) {
				int k = param_at(f, line, tok);
				if (k < 0 && ((k = ++f->nparams), add_param(x, f, k, line, tok, 0,
				                                            l0 + s0, e0 - s0) < 0))
					return;
				if (add_param(x, f, k, line, tok, call, l1 + s1, e1 - s1) < 0)
					return;
			}
			p0 = e0;
			p1 = e1;
		}
		if (n0 - p0 != n1 - p1 || memcmp(l0 + p0, l1 + p1, n0 - p0)) {
			f->diverged = 1;
			return;
		}
	}
	if (step_line(&f->alt, line, &a1, &n1) == 0)
		f->diverged = 1;
}

static void template_call(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	size_t idx;
	struct sx_fn *f = fn_of(x, e->template_enter.template_id, &idx);
	if (!f)
		return;
	if (t->ntstack < (int)(sizeof t->tstack / sizeof t->tstack[0]))
		t->tstack[t->ntstack] = t->target_fn;
	t->ntstack++;
	t->target_fn = f->called ? TGT_DISCARD : idx;
	if (f->called && !t->alt_level) {
		t->alt_level = t->ntstack;
		t->alt_fn = idx;
		f->alt.len = 0;
		f->alt.lines = 0;
	}
	f->called = 1;
	t->tmpl_scope = 1;
	t->tmpl_fresh = 1;
	t->tmpl_failed = 0;
}

/* The call step is written when the call returns (its body went to the
 * function), with the error that left it, if any. */
static void template_return(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	struct sb *b;
	size_t idx, was = t->target_fn;
	struct sx_fn *f = fn_of(x, e->template_exit.template_id, &idx);
	int failed = t->tmpl_failed && f;
	if (!t->ntstack)
		return;
	if (t->alt_level == t->ntstack) {
		if (f && !failed && t->alt_fn == idx)
			compare_call(x, f, e->template_exit.call_index);
		t->alt_level = 0;
	}
	t->ntstack--;
	if (t->ntstack < (int)(sizeof t->tstack / sizeof t->tstack[0]))
		t->target_fn = t->tstack[t->ntstack];
	t->tmpl_scope = 0;
	t->tmpl_fresh = t->tmpl_failed = 0;
	t->err_code = 0;
	b = tg(x, t);
	if (failed) {
		/* the body is the next call's that runs it */
		if (was == idx)
			f->called = 0;
		if (!f->fail_code) {
			f->fail_code = x->last_err_code;
			f->fail_msg = x->last_err_msg;
		}
	}
	/* completed by put_body: the call's arguments are known at the end */
	sb_printf(x, b, "- call: t%u@%u@%d\n", e->template_exit.template_id,
	          e->template_exit.call_index, failed);
	if (e->template_exit.outcome == VS_OUT_ERROR && x->last_err_code) {
		add_map(x, t, e);
		sb_printf(x, b, "  expect: {");
		expect_error(x, b, x->last_err_code, x->last_err_msg);
		sb_printf(x, b, "}\n");
	}
}

/* a context switch (eager_mode, graph_mode, as_default) open on t */
static int ctx_open(const struct sx_thread *t)
{
	for (size_t i = 0; i < t->nfr; i++)
		if (t->fr[i].kind == VS_EV_CTX_PUSH)
			return 1;
	for (int i = 0; i < t->npending; i++)
		if (t->pending[i].kind == VS_EV_CTX_PUSH)
			return 1;
	return 0;
}

static int is_pending_kind(const vs_event *e)
{
	return (e->kind == VS_EV_CTX_PUSH && e->ctx.ctx_kind == VS_CTX_GRAPH) ||
	       e->kind == VS_EV_NAME_SCOPE_ENTER;
}

static uint32_t pending_cm(const vs_event *e)
{
	return e->kind == VS_EV_CTX_PUSH ? e->ctx.cm : e->name_scope.cm;
}

static int closes(unsigned kind)
{
	switch (kind) {
	case VS_EV_CTX_POP:
	case VS_EV_INIT_SCOPE_EXIT:
	case VS_EV_CONTROL_DEPS_EXIT:
	case VS_EV_CFLOW_EXIT:
	case VS_EV_TAPE_POP:
	case VS_EV_TAPE_RESUME:
	case VS_EV_CREATOR_SCOPE_EXIT:
	case VS_EV_EAGER_STORE_EXIT:
	case VS_EV_NAME_SCOPE_EXIT:
	case VS_EV_VARSCOPE_EXIT: return 1;
	default: return 0;
	}
}

/*
 * An error outside any call is an exit's (E17, E18, E28: the ERROR comes
 * right before the *_EXIT) or a call's that failed before emitting its
 * own events; the latter is not reproduced, only noted.
 */
static void stray_error(struct sx *x, struct sx_thread *t)
{
	struct sb *b = tg(x, t);
	const char *m = str(x, t->err_msg);
	sb_printf(x, b, "# not reproduced: a call that recorded no arguments raised %s: ",
	          vs_err_name(t->err_code));
	for (size_t i = 0; i < msg_prefix_len(m) && i < 160; i++)
		sb_printf(x, b, "%c", m[i] == '\n' ? ' ' : m[i]);
	sb_printf(x, b, "\n");
	t->err_code = 0;
}

/* A graph, eager store or op made at step level. */
static void object_step(struct sx *x, struct sb *b, const vs_event *e)
{
	switch (e->kind) {
	case VS_EV_GRAPH_CREATE:
		if (e->flags & VS_EVF_GLOBAL_DEFAULT)
			sb_printf(x, b, "- capture_graph: {as: g%u}\n", e->graph_create.graph_id);
		else
			sb_printf(x, b, "- %s: {as: g%u}\n",
			          (e->flags & VS_EVF_BUILDING_FUNCTION) ? "func_graph" : "graph",
			          e->graph_create.graph_id);
		break;
	case VS_EV_VAR_STORE_NEW:
		sb_printf(x, b, "- var_store: {as: st%u}\n", e->var_store_new.store_id);
		idset_add(x, &x->stores, e->var_store_new.store_id);
		break;
	case VS_EV_EAGER_STORE_NEW:
		sb_printf(x, b, "- eager_store: {as: s%u", e->eager_store_new.store_id);
		if (e->eager_store_new.copied_from)
			sb_printf(x, b, ", from: s%u", e->eager_store_new.copied_from);
		sb_printf(x, b, "}\n");
		break;
	case VS_EV_OP_CREATE: {
		const char *n = str(x, e->op_create.name), *slash = strrchr(n, '/');
		sb_printf(x, b, "- op: {type: ");
		sb_q(x, b, str(x, e->op_create.type), SIZE_MAX);
		sb_printf(x, b, ", name: ");
		sb_q(x, b, slash ? slash + 1 : n, SIZE_MAX);
		sb_printf(x, b, "}\n");
		break;
	}
	default: break;
	}
}

/* The kinds that are steps of their own at step level. */
static void step_event(struct sx *x, struct sx_thread *t, const vs_event *e)
{
	struct sb *b = tg(x, t);
	if (t->tmpl_fresh && e->kind == VS_EV_ERROR) {
		/* raised by the template's function before it did anything */
		x->last_err_code = -(int)e->error.code;
		x->last_err_msg = e->error.message;
		t->tmpl_fresh = 0;
		t->tmpl_failed = 1;
		return;
	}
	if (!(e->kind == VS_EV_VARSCOPE_ENTER && t->tmpl_scope))
		t->tmpl_fresh = 0;
	switch (e->kind) {
	case VS_EV_VARSCOPE_ENTER:
		for (int i = 0; i < t->npending; i++)
			step_ctx_begin(x, t, &t->pending[i], ROLE_INTERNAL);
		t->npending = 0;
		step_ctx_begin(x, t, e, t->tmpl_scope ? ROLE_INTERNAL : ROLE_STEP);
		t->tmpl_scope = 0;
		break;
	case VS_EV_CTX_PUSH:
	case VS_EV_INIT_SCOPE_ENTER:
	case VS_EV_CONTROL_DEPS_ENTER:
	case VS_EV_CFLOW_ENTER:
	case VS_EV_TAPE_PUSH:
	case VS_EV_TAPE_PAUSE:
	case VS_EV_CREATOR_SCOPE_ENTER:
	case VS_EV_EAGER_STORE_ENTER:
	case VS_EV_NAME_SCOPE_ENTER: step_ctx_begin(x, t, e, ROLE_STEP); break;
	case VS_EV_CTX_POP:
	case VS_EV_INIT_SCOPE_EXIT:
	case VS_EV_CONTROL_DEPS_EXIT:
	case VS_EV_CFLOW_EXIT:
	case VS_EV_TAPE_POP:
	case VS_EV_TAPE_RESUME:
	case VS_EV_CREATOR_SCOPE_EXIT:
	case VS_EV_EAGER_STORE_EXIT:
	case VS_EV_NAME_SCOPE_EXIT:
	case VS_EV_VARSCOPE_EXIT: step_ctx_end(x, t, e); break;
	case VS_EV_GETVAR_ENTER:
	case VS_EV_VARIABLE_ENTER: call_begin(x, t, e); break;
	case VS_EV_TEMPLATE_MAKE: template_make(x, t, e); break;
	case VS_EV_TEMPLATE_CALL_ENTER: template_call(x, t, e); break;
	case VS_EV_TEMPLATE_CALL_EXIT: template_return(x, t, e); break;
	case VS_EV_REUSE_VARIABLES: {
		/* on the current scope, or on a scope object bound earlier */
		uint32_t id = e->reuse_variables.scope_id;
		if (id && id != current_scope(t, t->nfr) && idset_has(&x->scopes, id))
			sb_printf(x, b, "- reuse_variables: s%u\n", id);
		else
			sb_printf(x, b, "- reuse_variables:\n");
		break;
	}
	case VS_EV_RESET_GRAPH: sb_printf(x, b, "- reset_default_graph:\n"); break;
	case VS_EV_GRAPH_CREATE:
	case VS_EV_EAGER_STORE_NEW:
	case VS_EV_VAR_STORE_NEW:
	case VS_EV_OP_CREATE: object_step(x, b, e); break;
	case VS_EV_ERROR:
		x->last_err_code = -(int)e->error.code;
		x->last_err_msg = e->error.message;
		if (t->err_code)
			stray_error(x, t);
		t->err_code = -(int)e->error.code;
		t->err_tf = e->error.tf_error;
		t->err_msg = e->error.message;
		t->err_seq = e->seq;
		break;
	case VS_EV_LOST:
		sb_printf(x, b, "# %u events lost here: the steps they held are missing\n",
		          e->lost.count_lo);
		break;
	default: break;
	}
}

/* Who holds the baton after t ends, as scenario/sched.c decides: the
 * thread that handed it to t, or along the ended ones' own chain, else main
 * (the first thread). */
static size_t baton_return(const struct sx *x, const struct sx_thread *t)
{
	size_t to = t->from;
	for (size_t n = 0; n < x->nth && x->th[to].ended; n++)
		to = x->th[to].from;
	return x->th[to].ended ? 0 : to;
}

/* what the final collection expectation needs from e */
static void note_collections(struct sx *x, const vs_event *e)
{
	if (e->kind == VS_EV_GRAPH_CREATE && (e->flags & VS_EVF_GLOBAL_DEFAULT) && !x->global_graph)
		x->global_graph = e->graph_create.graph_id;
	else if (e->kind == VS_EV_RESET_GRAPH || e->kind == VS_EV_LOST)
		x->coll_off = 1;
	if (e->kind != VS_EV_VAR_CREATE || !e->var_create.graph_id ||
	    e->var_create.graph_id != x->global_graph || !e->var_create.collections)
		return;
	if (VS_GROW(x->coll, x->capcoll, x->ncoll + 1) < 0) {
		x->nomem = 1;
		return;
	}
	x->coll[x->ncoll].name = e->var_create.name;
	x->coll[x->ncoll++].cols = e->var_create.collections;
}

static void one_event(struct sx *x, const vs_event *e)
{
	struct sx_thread *t;
	note_collections(x, e);
	if (e->kind == VS_EV_SITE || e->kind == VS_EV_PROCESS_START || e->kind == VS_EV_PROCESS_END)
		return;
	if (!(t = thread_of(x, e->tid)))
		return;
	if (e->kind == VS_EV_THREAD_START) {
		start_thread(x, t, e->thread_start.parent_tid);
		return;
	}
	if (e->kind == VS_EV_THREAD_END) {
		flush_pending(x, t);
		if (t->err_code)
			stray_error(x, t);
		t->ended = 1;
		if (x->holder == (size_t)(t - x->th))
			x->holder = baton_return(x, t);
		return;
	}
	/* the runtime's default mode, from the first call of the first thread
	 * that tells it outside any eager_mode/as_default: get_variable and
	 * make_template carry an EAGER flag; a variable_scope with its name
	 * scope enters its graph first in graph mode (a pending CTX_PUSH), not
	 * when eager (a template's own scope has neither: it does not tell) */
	if (!x->eager && t->tid == 1 && !t->call.open && !ctx_open(t) &&
	    (e->kind == VS_EV_GETVAR_ENTER || e->kind == VS_EV_TEMPLATE_MAKE))
		x->eager = (e->flags & VS_EVF_EAGER) ? 1 : -1;
	else if (!x->eager && t->tid == 1 && !t->call.open && e->kind == VS_EV_VARSCOPE_ENTER &&
	         t->npending)
		x->eager = ctx_open(t) ? -1 : 1;
	switch_to(x, t);
	if (t->call.open) {
		in_call(x, t, e);
		return;
	}
	/* only the nesting errors of an exit belong to the exit that follows */
	if (t->err_code && e->kind != VS_EV_ERROR &&
	    (!closes(e->kind) ||
	     (t->err_tf != VS_TFE_SCOPE_NESTING && t->err_tf != VS_TFE_CREATOR_NESTING &&
	      t->err_tf != VS_TFE_STACK_NESTING)))
		stray_error(x, t);
	if (t->npending &&
	    !((e->kind == VS_EV_NAME_SCOPE_ENTER || e->kind == VS_EV_VARSCOPE_ENTER) &&
	      (e->kind == VS_EV_NAME_SCOPE_ENTER ? e->name_scope.cm : e->varscope.cm) ==
	              pending_cm(&t->pending[0])))
		flush_pending(x, t);
	if (is_pending_kind(e)) {
		if (t->npending == 2)
			flush_pending(x, t);
		t->pending[t->npending++] = *e;
		return;
	}
	step_event(x, t, e);
}

/* ------------------------------------------------------------- output */

/* a template call with its arguments: `fails` when the body can raise
 * before doing anything, the parameters' values of this call */
static void put_call(struct sx *x, struct sb *o, const char *indent, unsigned id, unsigned call,
                     int failed)
{
	size_t idx;
	const struct sx_fn *f = fn_of(x, id, &idx);
	if (!f || (!f->fail_code && !f->nparams)) {
		sb_printf(x, o, "%s- call: t%u\n", indent, id);
		return;
	}
	sb_printf(x, o, "%s- call: {template: t%u, args: {", indent, id);
	if (f->fail_code)
		sb_printf(x, o, "fails: %s%s", failed ? "true" : "false", f->nparams ? ", " : "");
	for (int k = 1; k <= f->nparams; k++) {
		const char *v = NULL;
		for (size_t i = 0; i < f->npar; i++)
			if (f->par[i].k == k &&
			    (f->par[i].call == call || (!v && f->par[i].call == 0)))
				v = f->par[i].val;
		sb_printf(x, o, "p%d: %s%s", k, v ? v : "~", k < f->nparams ? ", " : "");
	}
	sb_printf(x, o, "}}\n");
}

/* a template body with its parameters ($pK) in place of the values */
static void put_fn_body(struct sx *x, struct sb *o, const struct sx_fn *f)
{
	int line = -1;
	size_t i = 0;
	while (i < f->body.len) {
		const char *l = f->body.s + i, *nl = memchr(l, '\n', f->body.len - i);
		size_t n = nl ? (size_t)(nl - l) : f->body.len - i, p = 0, qs, qe;
		unsigned id = 0, call = 0;
		int end = 0, failed = 0;
		if (*l == '-')
			line++;
		if (sscanf(l, "- call: t%u@%u@%d%n", &id, &call, &failed, &end) == 3 &&
		    l[end] == '\n') {
			put_call(x, o, "    ", id, call, failed);
		} else {
			sb_printf(x, o, "    ");
			for (int tok = 0; *l == '-' && quoted(l, n, tok, &qs, &qe) == 0; tok++) {
				int k = param_at(f, line, tok);
				if (k < 0)
					continue;
				sb_printf(x, o, "%.*s$p%d", (int)(qs - p), l + p, k);
				p = qe;
			}
			sb_printf(x, o, "%.*s\n", (int)(n - p), l + p);
		}
		i += n + 1;
	}
}

/* b's lines, each prefixed with indent, appended to o; returns the line
 * (0-based) of o where b's first line went */
static int put_body(struct sx *x, struct sb *o, const struct sb *b, const char *indent)
{
	int first = o->lines;
	size_t i = 0;
	while (i < b->len) {
		const char *nl = memchr(b->s + i, '\n', b->len - i);
		size_t n = nl ? (size_t)(nl - (b->s + i)) + 1 : b->len - i;
		unsigned id = 0, call = 0;
		int end = 0, failed = 0;
		if (sscanf(b->s + i, "- call: t%u@%u@%d%n", &id, &call, &failed, &end) == 3 &&
		    b->s[i + end] == '\n')
			put_call(x, o, indent, id, call, failed);
		else
			sb_printf(x, o, "%s%.*s", indent, (int)n, b->s + i);
		i += n;
	}
	return first;
}

/* A behaviour that delegated under other names: suffixes, or a prefix and
 * suffix around one delegation, or a fixed name.  0 when the names did
 * not change. */
static int put_renames(struct sx *x, struct sb *o, const struct sx_behave *b)
{
	const char *outer = str(x, b->name);
	size_t n = strlen(outer);
	int same = 1, suffixes = 1;
	for (int i = 0; i < b->delegations; i++) {
		const char *in = str(x, b->inner[i]);
		same &= !strcmp(in, outer);
		suffixes &= !strncmp(in, outer, n);
	}
	if (same)
		return 0;
	if (suffixes && b->delegations > 1) {
		sb_printf(x, o, ": {suffixes: [");
		for (int i = 0; i < b->delegations; i++) {
			sb_printf(x, o, i ? ", " : "");
			sb_q(x, o, str(x, b->inner[i]) + n, SIZE_MAX);
		}
		sb_printf(x, o, "]}\n");
		return 1;
	}
	if (b->delegations == 1) {
		const char *in = str(x, b->inner[0]), *at = n ? strstr(in, outer) : NULL;
		if (at) {
			sb_printf(x, o, ": {name_prefix: ");
			sb_q(x, o, in, (size_t)(at - in));
			sb_printf(x, o, ", name_suffix: ");
			sb_q(x, o, at + n, SIZE_MAX);
		} else {
			sb_printf(x, o, ": {set: {name: ");
			sb_q(x, o, in, SIZE_MAX);
			sb_printf(x, o, "}");
		}
		sb_printf(x, o, "}\n");
		return 1;
	}
	return 0;
}

static void put_behaves(struct sx *x, struct sb *o, int creators)
{
	int any = 0;
	for (size_t i = 0; !creators && i < x->nnc; i++) {
		if (!any++)
			sb_printf(x, o, "getters:\n");
		sb_printf(x, o, "  ");
		sb_q(x, o, x->nc[i], SIZE_MAX);
		sb_printf(x, o, ": {not_callable: true}\n");
	}
	for (size_t i = 0; i < x->nbeh; i++) {
		const struct sx_behave *b = &x->beh[i];
		if (b->is_creator != creators)
			continue;
		if (!any++)
			sb_printf(x, o, creators ? "creators:\n" : "getters:\n");
		sb_printf(x, o, "  ");
		sb_q(x, o, str(x, b->label), SIZE_MAX);
		if (b->raises) {
			sb_printf(x, o, ": {error: {kind: RuntimeError, message: \"%s\"}}\n",
			          UNRECORDED);
			continue;
		}
		if (b->raise_code) {
			const char *m = str(x, b->raise_msg);
			sb_printf(x, o,
			          ": {error: {kind: %s, message: ", vs_err_name(b->raise_code));
			sb_q(x, o, m, msg_prefix_len(m));
			sb_printf(x, o, "}}\n");
			continue;
		}
		if (b->inferred && !creators && b->delegations == 1 && b->reuse != b->inner_reuse) {
			sb_printf(x, o, ": {set: {reuse: %s}}\n", reuse_yaml(b->inner_reuse));
			continue;
		}
		if (b->inferred && b->delegations >= 1 && b->delegations <= MAX_INNER &&
		    put_renames(x, o, b))
			continue;
		if (!b->inferred || b->delegations == 1)
			sb_printf(x, o, ": ~\n");
		else if (b->delegations == 0 && b->variable)
			sb_printf(x, o, ": {return: v%u}\n", b->variable);
		else if (b->delegations == 0)
			sb_printf(x, o, ": {delegate: false}\n");
		else
			sb_printf(x, o, ": {repeat: %d}\n", b->delegations);
	}
}

/* The whole file into o; the map entries get their final 1-based lines. */
/* the file's header comment: its origin and what it approximates */
static void put_header(struct sx *x, struct sb *o, const char *prog)
{
	vs_db_process p;
	sb_printf(x, o, "# exported by `vstrace export --format scenario` from a trace of ");
	sb_q(x, o, prog ? prog : "?", 200);
	sb_printf(x, o,
	          ", process %u.\n"
	          "# It re-does the recorded calls per thread in recorded order; the recorded\n"
	          "# outcomes are its expectations. Approximated: device scopes (not\n"
	          "# recorded), what a custom getter or creator did beyond delegating, and\n"
	          "# what a template's later calls did (they re-run the body of its first\n"
	          "# call); a trace before format 3 also lacks the calls' initializers,\n"
	          "# regularizers, collections and constraints. See docs/recording.md.\n",
	          x->proc);
	if (vs_db_reader_process(x->r, x->proc - 1, &p, NULL) == 0 && p.parent_proc)
		sb_printf(x, o,
		          "# process %u is a fork of process %u after its event #%llu: the steps\n"
		          "# first re-do what %s before the fork (its state at the fork)\n",
		          x->proc, p.parent_proc, (unsigned long long)p.fork_seq,
		          x->nprefix > 1 ? "its ancestors did" : "the parent did");
	if (x->approx_mid_call)
		sb_printf(x, o,
		          "# approximated: threads switched inside a call; here they switch"
		          " between steps\n");
}

/*
 * The end of the main steps: the default graph's collections hold the
 * global graph's variables in creation order, as the recording made them
 * (VAR_CREATE's collections).  Written for one thread only (threads may
 * create in another order when run freely), with the global graph still
 * the default (no reset, no context left open), nothing lost, and no
 * custom getter or creator (their declared behaviours are approximations)
 * nor template call that is not reproduced.
 */
static void put_collections(struct sx *x, struct sb *o)
{
	char keys[16][64];
	int nk = 0, any = 0;
	if (x->coll_off || x->nth != 1 || !x->ncoll || ctx_open(&x->th[0]) || x->ncoll > 256 ||
	    x->nbeh || x->nnc)
		return;
	for (size_t i = 0; i < x->nfn; i++)
		if (x->fn[i].diverged)
			return;
	for (size_t i = 0; i < x->ncoll; i++)
		for (const char *c = str(x, x->coll[i].cols); *c;) {
			size_t n = strcspn(c, ","), k = 0;
			while ((int)k < nk && (strlen(keys[k]) != n || strncmp(keys[k], c, n)))
				k++;
			if ((int)k == nk) {
				if (nk == 16 || n >= sizeof keys[0])
					return; /* too many to spell out */
				memcpy(keys[nk], c, n);
				keys[nk++][n] = '\0';
			}
			c += n + (c[n] == ',');
		}
	sb_printf(x, o, "  - check:\n    expect: {collection: {");
	for (int k = 0; k < nk; k++) {
		sb_printf(x, o, "%s", k ? ", " : "");
		sb_q(x, o, keys[k], SIZE_MAX);
		sb_printf(x, o, ": [");
		any = 0;
		for (size_t i = 0; i < x->ncoll; i++) {
			const char *c = str(x, x->coll[i].cols);
			size_t len = strlen(keys[k]);
			for (; *c; c += strcspn(c, ",") + (c[strcspn(c, ",")] == ','))
				if (strcspn(c, ",") == len && !strncmp(c, keys[k], len)) {
					sb_printf(x, o, "%s", any++ ? ", " : "");
					sb_q(x, o, str(x, x->coll[i].name), SIZE_MAX);
					break;
				}
		}
		sb_printf(x, o, "]");
	}
	sb_printf(x, o, "}}\n");
}

static void assemble(struct sx *x, struct sb *o, const vs_db_scn_opts *opts)
{
	const char *prog = vs_db_reader_meta(x->r, "program");
	int *fn_at = calloc(x->nfn + 1, sizeof *fn_at), *th_at = calloc(x->nth + 1, sizeof *th_at);
	char nm[16];
	if (!fn_at || !th_at) {
		x->nomem = 1;
		goto done;
	}
	put_header(x, o, prog);
	sb_printf(x, o, "scenario: ");
	sb_q(x, o, prog ? prog : "trace", 200);
	sb_printf(x, o, "\ninterleave: %s\n", opts && opts->free ? "free" : "deterministic");
	if (x->eager == 1)
		sb_printf(x, o, "config: {eager: true}\n");
	put_behaves(x, o, 0);
	put_behaves(x, o, 1);
	if (x->nfn)
		sb_printf(x, o, "functions:\n");
	for (size_t i = 0; i < x->nfn; i++) {
		const struct sx_fn *f = &x->fn[i];
		sb_printf(x, o, "  f%u:%s\n", f->template_id,
		          f->body.len || f->fail_code ? "" : " []");
		if (f->fail_code) {
			const char *m = str(x, f->fail_msg);
			sb_printf(x, o,
			          "    - raise: {error: %s, message: ", vs_err_name(f->fail_code));
			sb_q(x, o, m, msg_prefix_len(m));
			sb_printf(x, o, ", when: $fails}\n");
		}
		if (f->nparams && !f->diverged) {
			fn_at[i] = o->lines;
			put_fn_body(x, o, f);
		} else {
			fn_at[i] = put_body(x, o, &f->body, "    ");
		}
	}
	if (x->nth > 1)
		sb_printf(x, o, "threads:\n");
	for (size_t i = 0; i < x->nth; i++) {
		if (x->th[i].tid == 1)
			continue;
		sb_printf(x, o, "  %s:%s\n", thread_name(x->th[i].tid, nm, sizeof nm),
		          x->th[i].body.len ? "" : " []");
		th_at[i] = put_body(x, o, &x->th[i].body, "    ");
	}
	sb_printf(x, o, "steps:");
	for (size_t i = 0; i < x->nth; i++)
		if (x->th[i].tid == 1 && x->th[i].body.len) {
			sb_printf(x, o, "\n");
			th_at[i] = put_body(x, o, &x->th[i].body, "  ");
			put_collections(x, o);
			goto mapped;
		}
	sb_printf(x, o, " []\n");
mapped:
	for (size_t i = 0; i < x->nmap; i++) {
		struct sx_map *m = &x->map[i];
		m->line += 1 + (m->fn == TGT_BODY ? th_at[m->thread] : fn_at[m->fn]);
	}
done:
	free(fn_at);
	free(th_at);
}

static void sx_free(struct sx *x)
{
	for (size_t i = 0; i < x->nth; i++) {
		free(x->th[i].body.s);
		free(x->th[i].deferred.s);
		free(x->th[i].fr);
		free(x->th[i].bc);
	}
	free(x->th);
	for (size_t i = 0; i < x->nfn; i++) {
		free(x->fn[i].body.s);
		free(x->fn[i].alt.s);
		for (size_t j = 0; j < x->fn[i].npar; j++)
			free(x->fn[i].par[j].val);
		free(x->fn[i].par);
	}
	free(x->fn);
	free(x->beh);
	free(x->map);
	free(x->vars.v);
	free(x->var_name);
	free(x->parts);
	free(x->coll);
	for (size_t i = 0; i < x->nnc; i++)
		free(x->nc[i]);
	free(x->nc);
	free(x->scopes.v);
	free(x->stores.v);
}

/* x->chain: the fork ancestors of x->proc, root first, each with the seq
 * its child forked after */
static int fork_chain(struct sx *x, vs_error *err)
{
	vs_db_process p;
	uint32_t n = vs_db_reader_process_count(x->r), proc = x->proc;
	uint32_t anc[8];
	uint64_t at[8];
	int k = 0, rc;
	while (proc && proc <= n) {
		if ((rc = vs_db_reader_process(x->r, proc - 1, &p, err)) < 0)
			return rc;
		if (!p.parent_proc || !p.fork_seq)
			break;
		if (k == (int)(sizeof anc / sizeof anc[0]))
			return vs_error_set(err, VS_ERR_FORMAT,
			                    "'%s': process %u: fork chain deeper than %d",
			                    vs_db_reader_path(x->r), x->proc, k);
		anc[k] = p.parent_proc;
		at[k++] = p.fork_seq;
		proc = p.parent_proc;
	}
	x->nprefix = (uint32_t)k;
	for (int i = 0; i < k; i++) {
		x->chain[i] = anc[k - 1 - i];
		x->chain_seq[i] = at[k - 1 - i];
	}
	return 0;
}

int vs_db_export_scenario(vs_db_reader *r, const vs_db_scn_opts *opts, FILE *out,
                          vs_db_scn_line **map, size_t *nmap, vs_error *err)
{
	struct sx x;
	struct sb o = {0};
	const char *fmt;
	vs_db_cursor *c = NULL;
	vs_event e;
	int rc;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.proc = opts && opts->proc ? opts->proc : 1;
	fmt = vs_db_reader_meta(r, "format_version");
	x.format = fmt ? atoi(fmt) : 0;
	if (map)
		*map = NULL;
	if (nmap)
		*nmap = 0;
	if ((rc = fork_chain(&x, err)) < 0)
		return rc;
	/* the first thread holds the baton: make it exist first */
	if (!thread_of(&x, 1))
		x.nomem = 1;
	/* a fork child starts from its parent's state at the fork: the
	 * ancestors' events up to each fork come first (as vscheck replays) */
	for (uint32_t k = 0; k <= x.nprefix && !x.nomem && rc >= 0; k++) {
		x.ev_proc = k < x.nprefix ? x.chain[k] : x.proc;
		if ((rc = vs_db_cursor_open(r, &c, x.ev_proc, k < x.nprefix ? x.chain_seq[k] : 0,
		                            err)) < 0)
			break;
		while (!x.nomem && (rc = vs_db_cursor_next(c, &e, err)) == 1)
			one_event(&x, &e);
		vs_db_cursor_close(c);
		c = NULL;
	}
	for (size_t i = 0; i < x.nth && !x.nomem; i++) {
		struct sx_thread *t = &x.th[i];
		if (t->deferred.len) /* a call the trace never saw return */
			sb_printf(&x, tg(&x, t), "%.*s", (int)t->deferred.len, t->deferred.s);
		flush_pending(&x, &x.th[i]);
		if (x.th[i].err_code)
			stray_error(&x, &x.th[i]);
	}
	if (!x.nomem && rc >= 0)
		assemble(&x, &o, opts);
	if (x.nomem) {
		rc = vs_error_nomem(err);
	} else if (rc >= 0) {
		rc = 0;
		if (o.len && fwrite(o.s, 1, o.len, out) != o.len)
			rc = vs_error_set(err, VS_ERR_IO, "cannot write the export");
		else if (fflush(out) != 0)
			rc = vs_error_set(err, VS_ERR_IO, "cannot write the export");
	}
	if (rc == 0 && map && x.nmap) {
		*map = calloc(x.nmap, sizeof **map);
		if (!*map) {
			rc = vs_error_nomem(err);
		} else {
			for (size_t i = 0; i < x.nmap; i++) {
				(*map)[i].line = x.map[i].line;
				(*map)[i].seq = x.map[i].seq;
				(*map)[i].kind = x.map[i].kind;
				(*map)[i].tid = x.th[x.map[i].thread].tid;
				(*map)[i].proc = x.map[i].proc;
			}
			*nmap = x.nmap;
		}
	}
	free(o.s);
	sx_free(&x);
	return rc;
}
