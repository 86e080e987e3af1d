/* SPDX-License-Identifier: MIT */
/*
 * python/_vs.c - vstrace._vs, the CPython extension over libvs.
 *
 * A thin layer: the pure-Python package (python/vstrace/) normalises TF's
 * keyword arguments and calls these functions with plain values (handles
 * are the C pointers as Python ints, dtypes and reuse values are the enum
 * numbers of vs/event.h).  This file does three things Python cannot:
 *
 *  - the call site and call stack: every libvs call gets the first Python
 *    frame outside the shim (file, line, function) as its site, and the
 *    Python frames outside the shim around it as its stack (symbolic frames,
 *    vs_trace_frame_push; see "Python call stacks" below).  File and function
 *    names are interned for the life of the process, because libvs keys call
 *    sites by pointer;
 *  - errors: a failing libvs call raises TF's exception class with TF's
 *    message (VS_ERR_VALUE -> ValueError, ...);
 *  - callbacks: custom getters, variable creators, partitioners,
 *    regularizers and template functions are Python callables that libvs
 *    calls through trampolines.  A Python exception raised inside one is
 *    parked while libvs unwinds and re-raised unchanged when the outer call
 *    returns.
 *
 * The GIL is released around every libvs call that may block on a runtime
 * mutex or call back into Python, so Python threads cannot deadlock on the
 * GIL and a libvs lock.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>
#include <time.h>

#include "tracer/map.h"
#include "vs/sink.h"
#include "vs/vs.h"

#define MAX_COLLECTIONS 16

static PyObject *g_shim_prefixes; /* tuple of str: files of the shim */
static PyObject *g_intern;        /* str -> bytes kept for the process's life */
static PyObject *g_var_factory;   /* callable(handle) -> Variable object */
static PyObject *g_getter_dispatch;
static PyObject *g_creator_dispatch;
static PyObject *g_reg_loss; /* callable(loss): REGULARIZATION_LOSSES */
static PyObject *g_keep;     /* callables libvs keeps pointers to */

/* the Python exception of a callback, parked while libvs unwinds */
static _Thread_local PyObject *pend_type, *pend_val, *pend_tb;

/* ------------------------------------------------------------------ sites */
struct code_info {
	int shim; /* a file of the shim package: never a frame of its own */
	int stop; /* a file of the interpreter's launchers: the stack ends */
	const char *file;
	const char *func;
};

static const char *intern_str(PyObject *s)
{
	PyObject *b = PyDict_GetItemWithError(g_intern, s);
	if (!b) {
		if (PyErr_Occurred())
			return NULL;
		b = PyUnicode_AsUTF8String(s);
		if (!b)
			return NULL;
		int rc = PyDict_SetItem(g_intern, s, b);
		Py_DECREF(b);
		if (rc < 0)
			return NULL;
	}
	return PyBytes_AS_STRING(b);
}

/*
 * The extension's two pointer-keyed tables (code object -> code_info,
 * vs_var * -> its Python object) are libvs's pointer map (tracer/map.h;
 * this module links libvs in).  Each holds a reference to the Python
 * object of every entry, so an address cannot be reused while it is a key.
 * map_clear empties one: the map is detached first, because dropping a
 * reference may run Python code that uses the map again.
 */
static void map_clear(rt_map *m, void (*drop)(const void *key, intptr_t val))
{
	rt_map old = *m;
	*m = (rt_map){0};
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			drop(old.slots[i].key, old.slots[i].val);
	rt_map_free(&old);
}

/*
 * code object -> code_info (PyMem), keyed by pointer: hashing a code object
 * by value costs more than the whole libvs call.
 */
static rt_map g_codes;

/*
 * Files whose frames end a Python stack: the interpreter's launchers around
 * the program (`python3 -m` and runpy.run_path, a thread's bootstrap).  What
 * calls them is the interpreter, not the program.
 */
static const char *const stop_suffixes[] = {"<frozen runpy>", "/runpy.py", "/threading.py"};

static int is_stop_file(PyObject *fn)
{
	for (size_t i = 0; i < sizeof stop_suffixes / sizeof *stop_suffixes; i++) {
		PyObject *suf = PyUnicode_FromString(stop_suffixes[i]);
		Py_ssize_t r = suf ? PyUnicode_Tailmatch(fn, suf, 0, PY_SSIZE_T_MAX, 1) : -1;
		Py_XDECREF(suf);
		if (r != 0)
			return (int)r;
	}
	return 0;
}

static int code_info_make(PyCodeObject *co, struct code_info *ci)
{
	memset(ci, 0, sizeof *ci);
	PyObject *fn = co->co_filename, *name = co->co_name;
	if (g_shim_prefixes && PyUnicode_Check(fn)) {
		Py_ssize_t n = PyTuple_GET_SIZE(g_shim_prefixes);
		for (Py_ssize_t i = 0; i < n && !ci->shim; i++) {
			Py_ssize_t r = PyUnicode_Tailmatch(fn, PyTuple_GET_ITEM(g_shim_prefixes, i),
			                                   0, PY_SSIZE_T_MAX, -1);
			if (r < 0)
				return -1;
			ci->shim = (int)r;
		}
	}
	if (!ci->shim && PyUnicode_Check(fn) && (ci->stop = is_stop_file(fn)) < 0)
		return -1;
	if (!ci->shim) {
		ci->file = PyUnicode_Check(fn) ? intern_str(fn) : NULL;
		ci->func = PyUnicode_Check(name) ? intern_str(name) : NULL;
		if (PyErr_Occurred())
			return -1;
	}
	return 0;
}

static int code_info_get(PyCodeObject *co, struct code_info *ci)
{
	const struct code_info *known = (const struct code_info *)rt_map_get(&g_codes, co, 0);
	if (known) {
		*ci = *known;
		return 0;
	}
	if (code_info_make(co, ci) < 0)
		return -1;
	struct code_info *kept = PyMem_Malloc(sizeof *kept);
	if (!kept || rt_map_put(&g_codes, co, (intptr_t)kept) < 0) {
		PyMem_Free(kept);
		PyErr_NoMemory();
		return -1;
	}
	*kept = *ci;
	Py_INCREF(co);
	return 0;
}

static void code_drop(const void *co, intptr_t ci)
{
	PyMem_Free((struct code_info *)ci);
	Py_DECREF((PyObject *)co);
}

static void code_table_clear(void) { map_clear(&g_codes, code_drop); }

/*
 * Python call stacks.  libvs records a call's stack from symbolic frames
 * while the calling thread has pushed some (vs/sink.h vs_trace_frame_push):
 * the call's site, then the pushed frames innermost first.  So every call
 * from Python pushes the Python frames outside the shim that enclose its
 * site (outermost first, up to the configured depth, ending at the
 * interpreter's launchers), under a marker frame of line 0 that names the
 * outermost function and is not itself a frame.  The marker keeps the stack
 * symbolic even for a call from module level: the machine stack of a call
 * from here is CPython's and says nothing about the program.
 *
 * The frames stay pushed after the call: each thread keeps a mirror of what
 * it pushed, and the next call pops and pushes only where its stack differs
 * (a loop calling get_variable from one line pushes nothing).  A frame is
 * compared by code object and instruction offset; its line number is only
 * computed when it is pushed.  A callback into Python (getter, creator,
 * template function, ...) marks the mirror and restores it before it
 * returns, so the rest of the outer call keeps the outer call's stack.
 */
#define PYSTK_MAX 64 /* vs_trace_frame_push's limit */

struct pyframe {
	PyCodeObject *co; /* NULL for the marker; held by the code table */
	int lasti;
	vs_site at;         /* file, line, function of the frame */
	const char *callee; /* the function it called (the next frame's) */
};

struct pystack {
	unsigned n;
	struct pyframe f[PYSTK_MAX];
};

static _Thread_local struct pystack t_pushed;

static int frame_lasti(PyFrameObject *f)
{
#if PY_VERSION_HEX >= 0x030B0000
	return PyFrame_GetLasti(f);
#else
	return f->f_lasti;
#endif
}

static int same_frame(const struct pyframe *a, const struct pyframe *b)
{
	return a->co == b->co && a->lasti == b->lasti && a->callee == b->callee;
}

/* Makes the pushed frames want[0..n) (outermost first); frames[i] is the
 * frame object of want[i] (NULL for the marker), for its line number. */
static void pystack_sync(const struct pyframe *want, PyFrameObject *const *frames, unsigned n)
{
	struct pystack *p = &t_pushed;
	unsigned keep = 0;
	while (keep < n && keep < p->n && same_frame(&want[keep], &p->f[keep]))
		keep++;
	while (p->n > keep) {
		vs_trace_frame_pop();
		p->n--;
	}
	for (unsigned i = keep; i < n; i++) {
		struct pyframe fr = want[i];
		if (frames[i])
			fr.at.line = PyFrame_GetLineNumber(frames[i]);
		if (vs_trace_frame_push(fr.at, fr.callee, NULL) < 0)
			break;
		p->f[p->n++] = fr;
	}
}

/* In a callback into Python: the pushed frames are copied on entry and
 * restored before it returns (pystack_restore). */
#define PYSTACK_MARK                   \
	struct pystack pystack_saved_; \
	pystack_saved_.n = t_pushed.n; \
	memcpy(pystack_saved_.f, t_pushed.f, t_pushed.n * sizeof *t_pushed.f)
#define PYSTACK_BACK pystack_restore(&pystack_saved_)

/* The pushed frames are restored to a copy made before a callback. */
static void pystack_restore(const struct pystack *saved)
{
	struct pystack *p = &t_pushed;
	unsigned keep = 0;
	while (keep < saved->n && keep < p->n && same_frame(&saved->f[keep], &p->f[keep]))
		keep++;
	while (p->n > keep) {
		vs_trace_frame_pop();
		p->n--;
	}
	for (unsigned i = keep; i < saved->n; i++) {
		if (vs_trace_frame_push(saved->f[i].at, saved->f[i].callee, NULL) < 0)
			break;
		p->f[p->n++] = saved->f[i];
	}
}

/*
 * The Python frames outside the shim enclosing the site's frame f (up to
 * max of them), pushed as the thread's symbolic frames under the marker;
 * func is the site's function.  Steals the reference to f.
 */
/*
 * f's code object and what is known of it (*ci).  The pointer stays valid
 * after f is gone: the code table holds a reference.  A code object that
 * cannot be looked up (out of memory) counts as the shim's, so its frames
 * are skipped.
 */
static PyCodeObject *frame_code(PyFrameObject *f, struct code_info *ci)
{
	PyCodeObject *co = PyFrame_GetCode(f);
	int rc = code_info_get(co, ci);
	Py_DECREF(co);
	if (rc < 0) {
		PyErr_Clear();
		*ci = (struct code_info){.shim = 1};
	}
	return co;
}

static void py_push_stack(PyFrameObject *f, const char *func, unsigned max)
{
	PyFrameObject *objs[PYSTK_MAX];
	struct pyframe fr[PYSTK_MAX];
	unsigned k = 0;
	PyFrameObject *b = f ? PyFrame_GetBack(f) : NULL;
	Py_XDECREF(f);
	while (b && k < max && k < PYSTK_MAX - 1) {
		struct code_info ci;
		PyCodeObject *co = frame_code(b, &ci);
		if (ci.stop)
			break;
		if (!ci.shim) {
			fr[k] = (struct pyframe){co, frame_lasti(b), {ci.file, 0, ci.func}, NULL};
			objs[k++] = b;
			b = PyFrame_GetBack(b);
			continue;
		}
		PyFrameObject *next = PyFrame_GetBack(b);
		Py_DECREF(b);
		b = next;
	}
	Py_XDECREF(b);
	/* outermost first, under the marker; each frame names the function it
	 * called: the next frame's, the site's for the innermost */
	struct pyframe want[PYSTK_MAX];
	PyFrameObject *wobj[PYSTK_MAX];
	want[0] = (struct pyframe){NULL, 0, VS_NOSITE, k ? fr[k - 1].at.func : func};
	wobj[0] = NULL;
	for (unsigned i = 0; i < k; i++) {
		want[i + 1] = fr[k - 1 - i];
		want[i + 1].callee = k - 1 - i > 0 ? fr[k - 2 - i].at.func : func;
		wobj[i + 1] = objs[k - 1 - i];
	}
	pystack_sync(want, wobj, k + 1);
	for (unsigned i = 0; i < k; i++)
		Py_DECREF(objs[i]);
}

/* The first frame outside the shim, as a libvs call site; with stacks on
 * while a sink is attached, the frames around it become the call's stack. */
static vs_site py_site(void)
{
	vs_site s = VS_NOSITE;
	PyFrameObject *f = PyEval_GetFrame();
	Py_XINCREF(f);
	while (f) {
		struct code_info ci;
		frame_code(f, &ci);
		if (!ci.shim) {
			s.file = ci.file;
			s.func = ci.func;
			s.line = PyFrame_GetLineNumber(f);
			break;
		}
		PyFrameObject *b = PyFrame_GetBack(f);
		Py_DECREF(f);
		f = b;
	}
	unsigned depth = vs_trace_enabled() ? vs_trace_stack_depth() : 0;
	if (depth > 0)
		py_push_stack(f, s.func, depth - 1); /* frame 0 is the site itself */
	else
		Py_XDECREF(f);
	return s;
}

/* ----------------------------------------------------------------- errors */
static void park_exception(void)
{
	Py_XDECREF(pend_type);
	Py_XDECREF(pend_val);
	Py_XDECREF(pend_tb);
	PyErr_Fetch(&pend_type, &pend_val, &pend_tb);
}

static void drop_parked(void)
{
	Py_CLEAR(pend_type);
	Py_CLEAR(pend_val);
	Py_CLEAR(pend_tb);
}

/* Parks the current Python exception and turns it into a vs_error. */
static int py_fail(vs_error *err)
{
	PyObject *t = PyErr_Occurred();
	int code = VS_ERR_RUNTIME;
	if (t && PyErr_GivenExceptionMatches(t, PyExc_ValueError))
		code = VS_ERR_VALUE;
	else if (t && PyErr_GivenExceptionMatches(t, PyExc_TypeError))
		code = VS_ERR_TYPE;
	else if (t && PyErr_GivenExceptionMatches(t, PyExc_AttributeError))
		code = VS_ERR_ATTRIBUTE;
	else if (t && PyErr_GivenExceptionMatches(t, PyExc_NotImplementedError))
		code = VS_ERR_NOT_IMPLEMENTED;
	else if (t && PyErr_GivenExceptionMatches(t, PyExc_AssertionError))
		code = VS_ERR_ASSERTION;
	park_exception();
	const char *msg = "";
	PyObject *s = pend_val ? PyObject_Str(pend_val) : NULL;
	if (s)
		msg = PyUnicode_AsUTF8(s);
	PyErr_Clear();
	vs_error_set(err, code, "%s", msg ? msg : "");
	Py_XDECREF(s);
	return code;
}

static PyObject *raise_vs(const vs_error *err)
{
	if (pend_type) {
		PyErr_Restore(pend_type, pend_val, pend_tb);
		pend_type = pend_val = pend_tb = NULL;
		return NULL;
	}
	PyObject *cls;
	switch (err->code) {
	case VS_ERR_VALUE: cls = PyExc_ValueError; break;
	case VS_ERR_TYPE: cls = PyExc_TypeError; break;
	case VS_ERR_ASSERTION: cls = PyExc_AssertionError; break;
	case VS_ERR_NOT_IMPLEMENTED: cls = PyExc_NotImplementedError; break;
	case VS_ERR_ATTRIBUTE: cls = PyExc_AttributeError; break;
	case VS_ERR_NOMEM: return PyErr_NoMemory();
	case VS_ERR_RUNTIME: cls = PyExc_RuntimeError; break;
	default:
		PyErr_Format(PyExc_RuntimeError, "vstrace: %s: %s", vs_err_name(err->code),
		             err->msg);
		return NULL;
	}
	PyErr_SetString(cls, err->msg);
	return NULL;
}

/*
 * Runs a libvs call; a success discards a parked exception.  The GIL is
 * released around it once a second thread has called into this module: a
 * thread that blocks on a runtime mutex must not hold the GIL the mutex's
 * holder may need for a callback.  While only one thread has ever called
 * in, no other thread can be inside libvs, and keeping the GIL saves the
 * switch (any thread that arrives later releases it before calling in).
 * The counter is only touched with the GIL held.
 */
static _Thread_local int t_entered;
static int g_entered_threads;

static inline int release_gil(void)
{
	if (!t_entered) {
		t_entered = 1;
		g_entered_threads++;
	}
	return g_entered_threads > 1;
}

#define VS_CALL(rc, expr)                                    \
	do {                                                 \
		if (release_gil()) {                         \
			Py_BEGIN_ALLOW_THREADS(rc) = (expr); \
			Py_END_ALLOW_THREADS                 \
		} else {                                     \
			(rc) = (expr);                       \
		}                                            \
		if ((rc) >= 0)                               \
			drop_parked();                       \
	} while (0)

/* ------------------------------------------------------------ conversions */
static PyObject *ptr_obj(const void *p)
{
	if (!p)
		Py_RETURN_NONE;
	return PyLong_FromVoidPtr((void *)p);
}

static void *obj_ptr(PyObject *o)
{
	if (o == Py_None)
		return NULL;
	return PyLong_AsVoidPtr(o);
}

static const char *opt_str(PyObject *o)
{
	if (o == Py_None)
		return NULL;
	if (!PyUnicode_Check(o)) {
		PyErr_SetString(PyExc_TypeError, "expected a str or None");
		return NULL;
	}
	return intern_str(o); /* libvs copies, but a stable pointer is cheap */
}

static vs_tristate tristate(PyObject *o)
{
	if (o == Py_None)
		return VS_UNSET;
	return PyObject_IsTrue(o) ? VS_TRUE : VS_FALSE;
}

/* shape: None (not given) -> NULL; "?" -> unknown rank; a sequence of ints/None */
static int to_shape(PyObject *o, vs_shape *s, const vs_shape **out)
{
	*out = NULL;
	if (o == Py_None)
		return 0;
	if (PyUnicode_Check(o)) {
		s->rank = -1;
		*out = s;
		return 0;
	}
	PyObject *seq = PySequence_Fast(o, "shape must be a sequence");
	if (!seq)
		return -1;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
	if (n > VS_MAX_RANK) {
		Py_DECREF(seq);
		PyErr_Format(PyExc_ValueError, "vstrace models shapes of rank <= %d", VS_MAX_RANK);
		return -1;
	}
	s->rank = (int)n;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *d = PySequence_Fast_GET_ITEM(seq, i);
		s->dims[i] = d == Py_None ? VS_DIM_UNKNOWN : PyLong_AsLongLong(d);
		if (s->dims[i] == -1 && PyErr_Occurred()) {
			Py_DECREF(seq);
			return -1;
		}
	}
	Py_DECREF(seq);
	*out = s;
	return 0;
}

static PyObject *shape_obj(const vs_shape *s)
{
	if (!s)
		Py_RETURN_NONE;
	if (s->rank < 0)
		return PyUnicode_FromString("?");
	PyObject *t = PyTuple_New(s->rank);
	for (int i = 0; t && i < s->rank; i++) {
		PyObject *d = s->dims[i] < 0 ? Py_NewRef(Py_None) : PyLong_FromLongLong(s->dims[i]);
		PyTuple_SET_ITEM(t, i, d);
	}
	return t;
}

/* initializer: None, or (kind, value, dtype, shape) */
struct init_buf {
	vs_initializer init;
	vs_shape shape;
};

static int to_init(PyObject *o, struct init_buf *b, const vs_initializer **out)
{
	*out = NULL;
	if (o == Py_None)
		return 0;
	PyObject *shape;
	int kind, dtype;
	double value;
	memset(b, 0, sizeof *b);
	if (!PyArg_ParseTuple(o, "idiO", &kind, &value, &dtype, &shape))
		return -1;
	b->init.kind = (vs_init_kind)kind;
	b->init.value = value;
	b->init.dtype = (vs_dtype)dtype;
	if (to_shape(shape, &b->shape, &b->init.shape) < 0)
		return -1;
	*out = &b->init;
	return 0;
}

static PyObject *init_obj(const vs_initializer *i)
{
	if (!i)
		Py_RETURN_NONE;
	PyObject *sh = shape_obj(i->shape);
	if (!sh)
		return NULL;
	return Py_BuildValue("(idiN)", (int)i->kind, i->value, (int)i->dtype, sh);
}

static int to_strv(PyObject *o, const char **v, const char *const **out)
{
	*out = NULL;
	if (o == Py_None)
		return 0;
	PyObject *seq = PySequence_Fast(o, "collections must be a list");
	if (!seq)
		return -1;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
	if (n >= MAX_COLLECTIONS) {
		Py_DECREF(seq);
		PyErr_SetString(PyExc_ValueError, "too many collections");
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		v[i] = opt_str(PySequence_Fast_GET_ITEM(seq, i));
		if (!v[i]) {
			Py_DECREF(seq);
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "collection keys must be str");
			return -1;
		}
	}
	v[n] = NULL;
	Py_DECREF(seq);
	*out = v;
	return 0;
}

static PyObject *strv_obj(const char *const *v)
{
	if (!v)
		Py_RETURN_NONE;
	PyObject *l = PyList_New(0);
	for (size_t i = 0; l && v[i]; i++) {
		PyObject *s = PyUnicode_FromString(v[i]);
		if (!s || PyList_Append(l, s) < 0) {
			Py_XDECREF(s);
			Py_DECREF(l);
			return NULL;
		}
		Py_DECREF(s);
	}
	return l;
}

static const char *label_of(PyObject *o)
{
	PyObject *n = PyObject_GetAttrString(o, "__name__");
	if (!n) {
		PyErr_Clear();
		n = PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
	}
	const char *s = n && PyUnicode_Check(n) ? intern_str(n) : "callable";
	Py_XDECREF(n);
	if (!s)
		PyErr_Clear();
	return s ? s : "callable";
}

static int keep(PyObject *o) { return PyList_Append(g_keep, o); }

/* -------------------------------------------------------------- variables */
/* vs_var * -> its Python object (cleared by runtime_reset, when the pointers die) */
static rt_map g_vars;

static void var_drop(const void *v, intptr_t o)
{
	(void)v;
	Py_DECREF((PyObject *)o);
}

static void var_table_clear(void) { map_clear(&g_vars, var_drop); }

static PyObject *var_obj(vs_var *v)
{
	if (!v)
		Py_RETURN_NONE;
	PyObject *known = (PyObject *)rt_map_get(&g_vars, v, 0);
	if (known)
		return Py_NewRef(known);
	if (!g_var_factory) {
		PyErr_SetString(PyExc_RuntimeError, "vstrace._vs: no variable factory");
		return NULL;
	}
	PyObject *k = PyLong_FromVoidPtr(v);
	PyObject *o = k ? PyObject_CallOneArg(g_var_factory, k) : NULL;
	Py_XDECREF(k);
	if (!o)
		return NULL;
	/* the factory may have run Python code that made this very variable */
	if ((known = (PyObject *)rt_map_get(&g_vars, v, 0))) {
		Py_DECREF(o);
		return Py_NewRef(known);
	}
	if (rt_map_put(&g_vars, v, (intptr_t)o) < 0) {
		Py_DECREF(o);
		return PyErr_NoMemory();
	}
	return Py_NewRef(o); /* one reference for the map, one for the caller */
}

/* Python object -> vs_var* (a Variable has _h), NULL with no error for others */
static vs_var *obj_var(PyObject *o)
{
	if (o == Py_None)
		return NULL;
	PyObject *h = PyObject_GetAttrString(o, "_h");
	if (!h) {
		PyErr_Clear();
		return NULL;
	}
	vs_var *v = PyLong_AsVoidPtr(h);
	Py_DECREF(h);
	if (PyErr_Occurred()) {
		PyErr_Clear();
		return NULL;
	}
	return v;
}

/* -------------------------------------------------------- regularizers etc */
static int reg_tramp(void *ud, vs_var *v)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PYSTACK_MARK;
	int added = 1;
	PyObject *vo = var_obj(v);
	PyObject *r = vo ? PyObject_CallOneArg((PyObject *)ud, vo) : NULL;
	if (!r) {
		PyErr_WriteUnraisable((PyObject *)ud);
	} else {
		added = r != Py_None;
		if (added && g_reg_loss) { /* the Python layer files the loss tensor */
			PyObject *x = PyObject_CallOneArg(g_reg_loss, r);
			if (!x)
				PyErr_WriteUnraisable(g_reg_loss);
			Py_XDECREF(x);
		}
		Py_DECREF(r);
	}
	Py_XDECREF(vo);
	PYSTACK_BACK;
	PyGILState_Release(g);
	return added;
}

static int part_tramp(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts,
                      int max_parts)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PYSTACK_MARK;
	int n = -1;
	PyObject *sh = shape_obj(shape);
	PyObject *r = sh ? PyObject_CallFunction((PyObject *)ud, "Oi", sh, (int)dtype) : NULL;
	if (r && PyList_Check(r)) {
		n = (int)PyList_GET_SIZE(r);
		for (int i = 0; i < n && i < max_parts; i++)
			parts[i] = PyLong_AsLongLong(PyList_GET_ITEM(r, i));
		if (n > max_parts)
			n = max_parts;
	}
	if (PyErr_Occurred())
		PyErr_WriteUnraisable((PyObject *)ud);
	Py_XDECREF(r);
	Py_XDECREF(sh);
	PYSTACK_BACK;
	PyGILState_Release(g);
	return n;
}

static const vs_regularizer *to_reg(PyObject *o, vs_regularizer *r)
{
	if (o == Py_None)
		return NULL;
	*r = (vs_regularizer){reg_tramp, o, label_of(o)};
	return r;
}

/* str(o), interned: how TF's messages print a non-callable argument */
static const char *str_label(PyObject *o)
{
	PyObject *s = PyObject_Str(o);
	const char *l = s ? intern_str(s) : NULL;
	Py_XDECREF(s);
	if (!l)
		PyErr_Clear();
	return l ? l : "?";
}

/*
 * partitioner: a callable(shape, dtype) -> list or non-list from the Python
 * layer; anything else is "not callable" (fn NULL), labelled str(o).
 */
static const vs_partitioner *to_part(PyObject *o, vs_partitioner *p)
{
	if (o == Py_None)
		return NULL;
	if (!PyCallable_Check(o))
		*p = (vs_partitioner){NULL, NULL, str_label(o)};
	else
		*p = (vs_partitioner){part_tramp, o, label_of(o)};
	return p;
}

static const vs_constraint *to_constraint(PyObject *o, vs_constraint *c)
{
	if (o == Py_None)
		return NULL;
	c->label = label_of(o);
	return c;
}

/* ---------------------------------------------------------------- getters */
typedef struct {
	PyObject_HEAD vs_getter_next *next; /* NULL once the getter returned */
	void *kind; /* NULL: getter; non-NULL: creator (vs_creator_next *) */
} NextObject;

static PyTypeObject NextType;

/* the next() handed to a getter (getter_next) or a creator (creator_next) */
static NextObject *next_new(vs_getter_next *getter_next, vs_creator_next *creator_next)
{
	NextObject *no = PyObject_New(NextObject, &NextType);
	if (no) {
		no->next = getter_next;
		no->kind = creator_next;
	}
	return no;
}

/*
 * The end of a getter's or creator's Python call: its next() is retired (a
 * call kept past the return fails), and r, what the callable returned
 * (NULL: it raised), becomes *out: NULL when it is not a variable.
 */
static int tramp_done(NextObject *no, PyObject *r, vs_var **out, vs_error *err)
{
	no->next = NULL;
	no->kind = NULL;
	Py_DECREF(no);
	if (!r)
		return py_fail(err);
	*out = obj_var(r);
	Py_DECREF(r);
	return 0;
}

static int getter_tramp(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                        vs_error *err)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PYSTACK_MARK;
	int rc;
	*out = NULL;
	NextObject *no = next_new(next, NULL);
	if (!no) {
		rc = py_fail(err);
	} else {
		PyObject *reg = a->regularizer && a->regularizer->fn == reg_tramp
		                        ? a->regularizer->ud
		                        : Py_None;
		PyObject *part = a->partitioner && a->partitioner->fn == part_tramp
		                         ? a->partitioner->ud
		                         : Py_None;
		PyObject *r = PyObject_CallFunction(g_getter_dispatch, "OOsNiNOiiNzOiiOii",
		                                    (PyObject *)ud, (PyObject *)no, a->name,
		                                    shape_obj(a->shape), (int)a->dtype,
		                                    init_obj(a->initializer), reg, (int)a->reuse,
		                                    (int)a->trainable, strv_obj(a->collections),
		                                    a->caching_device, part, (int)a->validate_shape,
		                                    (int)a->use_resource,
		                                    a->constraint ? Py_True : Py_None,
		                                    (int)a->synchronization, (int)a->aggregation);
		rc = tramp_done(no, r, out, err);
	}
	PYSTACK_BACK;
	PyGILState_Release(g);
	return rc;
}

static const vs_getter *to_getter(PyObject *o, vs_getter *g)
{
	if (o == Py_None)
		return NULL;
	if (!PyCallable_Check(o)) /* E9, labelled str(o) */
		*g = (vs_getter){NULL, NULL, str_label(o)};
	else
		*g = (vs_getter){getter_tramp, o, label_of(o)};
	return g;
}

/* --------------------------------------------------------------- creators */
static int creator_tramp(vs_var **out, vs_creator_next *next, const vs_creator_args *a, void *ud,
                         vs_error *err)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PYSTACK_MARK;
	int rc;
	*out = NULL;
	NextObject *no = next_new(NULL, next);
	if (!no) {
		rc = py_fail(err);
	} else {
		PyObject *r = PyObject_CallFunction(g_creator_dispatch, "OOzNiNziiziNiii",
		                                    (PyObject *)ud, (PyObject *)no, a->name,
		                                    init_obj(a->initial_value), (int)a->trainable,
		                                    strv_obj(a->collections), a->caching_device,
		                                    (int)a->validate_shape, (int)a->dtype,
		                                    a->constraint ? a->constraint->label : NULL,
		                                    (int)a->use_resource, shape_obj(a->shape),
		                                    (int)a->synchronization, (int)a->aggregation,
		                                    a->v2);
		rc = tramp_done(no, r, out, err);
	}
	PYSTACK_BACK;
	PyGILState_Release(g);
	return rc;
}

/* next(name, shape, dtype, init, reg, reuse, trainable, collections,
 *      caching_device, partitioner, validate_shape, use_resource, constraint,
 *      synchronization, aggregation) for getters;
 * next(name, init, trainable, collections, caching_device, validate_shape,
 *      dtype, use_resource, shape, synchronization, aggregation, v2) for creators */
static PyObject *next_call_getter(NextObject *self, PyObject *args)
{
	PyObject *name, *shape, *init, *reg, *trainable, *colls, *cdev, *part, *vshape, *useres,
		*constr;
	int dtype, reuse, sync, agg;
	if (!PyArg_ParseTuple(args, "OOiOOiOOOOOOOii", &name, &shape, &dtype, &init, &reg, &reuse,
	                      &trainable, &colls, &cdev, &part, &vshape, &useres, &constr, &sync,
	                      &agg))
		return NULL;
	vs_shape sb;
	struct init_buf ib;
	const char *cv[MAX_COLLECTIONS];
	vs_regularizer rb;
	vs_partitioner pb;
	vs_constraint cb;
	vs_getter_args a = {0};
	a.name = opt_str(name);
	if (PyErr_Occurred() || to_shape(shape, &sb, &a.shape) < 0 ||
	    to_init(init, &ib, &a.initializer) < 0 || to_strv(colls, cv, &a.collections) < 0)
		return NULL;
	a.dtype = (vs_dtype)dtype;
	a.regularizer = to_reg(reg, &rb);
	a.reuse = (vs_reuse)reuse;
	a.trainable = tristate(trainable);
	a.caching_device = opt_str(cdev);
	a.partitioner = to_part(part, &pb);
	a.validate_shape = tristate(vshape);
	a.use_resource = tristate(useres);
	a.constraint = to_constraint(constr, &cb);
	a.synchronization = (vs_sync)sync;
	a.aggregation = (vs_agg)agg;
	if (PyErr_Occurred())
		return NULL;
	if (!self->next) {
		PyErr_SetString(PyExc_RuntimeError,
		                "getter called after its custom getter returned");
		return NULL;
	}
	vs_error err;
	vs_var *v = NULL;
	int rc;
	vs_error_init(&err);
	VS_CALL(rc, vs_getter_next_call(self->next, &v, &a, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

static PyObject *next_call_creator(NextObject *self, PyObject *args)
{
	PyObject *name, *init, *trainable, *colls, *cdev, *vshape, *useres, *shape, *constr;
	int dtype, sync, agg, v2;
	if (!PyArg_ParseTuple(args, "OOOOOOiOOOiii", &name, &init, &trainable, &colls, &cdev,
	                      &vshape, &dtype, &useres, &shape, &constr, &sync, &agg, &v2))
		return NULL;
	vs_shape sb;
	struct init_buf ib;
	const char *cv[MAX_COLLECTIONS];
	vs_constraint cb;
	vs_creator_args a = {0};
	a.name = opt_str(name);
	if (PyErr_Occurred() || to_shape(shape, &sb, &a.shape) < 0 ||
	    to_init(init, &ib, &a.initial_value) < 0 || to_strv(colls, cv, &a.collections) < 0)
		return NULL;
	a.trainable = tristate(trainable);
	a.caching_device = opt_str(cdev);
	a.validate_shape = tristate(vshape);
	a.dtype = (vs_dtype)dtype;
	a.use_resource = tristate(useres);
	a.constraint = to_constraint(constr, &cb);
	a.synchronization = (vs_sync)sync;
	a.aggregation = (vs_agg)agg;
	a.v2 = v2;
	if (PyErr_Occurred())
		return NULL;
	vs_creator_next *next = self->kind;
	if (!next) {
		PyErr_SetString(PyExc_RuntimeError,
		                "next_creator called after its creator returned");
		return NULL;
	}
	vs_error err;
	vs_var *v = NULL;
	int rc;
	vs_error_init(&err);
	VS_CALL(rc, vs_creator_next_call(next, &v, &a, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

static PyMethodDef next_methods[] = {
	{"call_getter", (PyCFunction)next_call_getter, METH_VARARGS, NULL},
	{"call_creator", (PyCFunction)next_call_creator, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyTypeObject NextType = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "vstrace._vs.Next",
	.tp_basicsize = sizeof(NextObject),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_methods = next_methods,
	.tp_new = NULL,
};

/* ------------------------------------------------------- module functions */
#define ERR_DECL      \
	vs_error err; \
	int rc;       \
	vs_error_init(&err)

static PyObject *cm_result(int rc, vs_cm *cm, const vs_error *err)
{
	if (rc < 0)
		return raise_vs(err);
	return ptr_obj(cm);
}

static PyObject *m_exit(PyObject *self, PyObject *arg)
{
	ERR_DECL;
	vs_cm *cm = obj_ptr(arg);
	if (PyErr_Occurred())
		return NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_exit_at(site, cm, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

static PyObject *m_cm_info(PyObject *self, PyObject *arg)
{
	vs_cm *cm = obj_ptr(arg);
	if (PyErr_Occurred())
		return NULL;
	PyObject *vs = ptr_obj(vs_cm_varscope(cm));
	return Py_BuildValue("(zN)", vs_cm_name(cm), vs);
}

/* variable_scope(name, scope, default_name, reuse, init, dtype, getter,
 *                partitioner, regularizer, caching_device, use_resource,
 *                constraint, auxiliary_name_scope, bad_aux) */
static PyObject *m_variable_scope(PyObject *self, PyObject *args)
{
	PyObject *name, *scope, *dname, *init, *getter, *part, *reg, *cdev, *useres, *constr, *aux;
	int reuse, dtype, bad_aux;
	if (!PyArg_ParseTuple(args, "OOOiOiOOOOOOOi", &name, &scope, &dname, &reuse, &init, &dtype,
	                      &getter, &part, &reg, &cdev, &useres, &constr, &aux, &bad_aux))
		return NULL;
	struct init_buf ib;
	vs_getter gb;
	vs_partitioner pb;
	vs_regularizer rb;
	vs_constraint cb;
	vs_varscope_opts o = {0};
	const char *n = opt_str(name);
	o.default_name = opt_str(dname);
	o.scope = obj_ptr(scope);
	o.reuse = (vs_reuse)reuse;
	if (PyErr_Occurred() || to_init(init, &ib, &o.initializer) < 0)
		return NULL;
	o.dtype = (vs_dtype)dtype;
	o.custom_getter = to_getter(getter, &gb);
	o.partitioner = to_part(part, &pb);
	o.regularizer = to_reg(reg, &rb);
	o.caching_device = opt_str(cdev);
	o.use_resource = tristate(useres);
	o.constraint = to_constraint(constr, &cb);
	o.auxiliary_name_scope = tristate(aux);
	o.bad_auxiliary_name_scope = bad_aux;
	if (PyErr_Occurred())
		return NULL;
	if ((getter != Py_None && keep(getter) < 0) || (part != Py_None && keep(part) < 0) ||
	    (reg != Py_None && keep(reg) < 0))
		return NULL;
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_variable_scope_at(site, &cm, n, &o, &err));
	return cm_result(rc, cm, &err);
}

static PyObject *m_name_scope(PyObject *self, PyObject *args)
{
	PyObject *name, *dname;
	int values_given;
	if (!PyArg_ParseTuple(args, "OOi", &name, &dname, &values_given))
		return NULL;
	vs_name_scope_opts o = {opt_str(dname), values_given};
	const char *n = opt_str(name);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_name_scope_at(site, &cm, n, &o, &err));
	return cm_result(rc, cm, &err);
}

/* simple context managers without arguments: which = 0 init_scope, 1 cond,
 * 2 while_loop, 3 eager_mode, 4 graph_mode, 5 gradient_tape, 6 stop_recording */
static PyObject *m_enter(PyObject *self, PyObject *arg)
{
	long which = PyLong_AsLong(arg);
	if (which == -1 && PyErr_Occurred())
		return NULL;
	static int (*const fns[])(vs_site, vs_cm **, vs_error *) = {
		vs_init_scope_at, vs_cond_at,          vs_while_loop_at,     vs_eager_mode_at,
		vs_graph_mode_at, vs_gradient_tape_at, vs_stop_recording_at,
	};
	if (which < 0 || which >= (long)(sizeof fns / sizeof fns[0])) {
		PyErr_SetString(PyExc_ValueError, "bad context manager");
		return NULL;
	}
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	VS_CALL(rc, fns[which](site, &cm, &err));
	return cm_result(rc, cm, &err);
}

static PyObject *m_graph_as_default(PyObject *self, PyObject *arg)
{
	vs_graph *g = obj_ptr(arg);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_graph_as_default_at(site, &cm, g, &err));
	return cm_result(rc, cm, &err);
}

/* control_dependencies(None | list of op handles, None for non-ops) */
static PyObject *m_control_dependencies(PyObject *self, PyObject *arg)
{
	vs_op *ops[64];
	size_t n = 0;
	vs_op *const *in = NULL;
	if (arg != Py_None) {
		PyObject *seq = PySequence_Fast(arg, "control inputs must be a list");
		if (!seq)
			return NULL;
		Py_ssize_t k = PySequence_Fast_GET_SIZE(seq);
		for (Py_ssize_t i = 0; i < k && n < 64; i++)
			ops[n++] = obj_ptr(PySequence_Fast_GET_ITEM(seq, i));
		Py_DECREF(seq);
		if (PyErr_Occurred())
			return NULL;
		in = ops;
	}
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_control_dependencies_at(site, &cm, in, n, &err));
	return cm_result(rc, cm, &err);
}

static PyObject *m_creator_scope(PyObject *self, PyObject *args)
{
	PyObject *fn;
	int prio, has_prio;
	if (!PyArg_ParseTuple(args, "Oii", &fn, &has_prio, &prio))
		return NULL;
	if (keep(fn) < 0)
		return NULL;
	vs_creator c = {fn == Py_None ? NULL : creator_tramp, fn, label_of(fn)};
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_site site = py_site();
	if (has_prio)
		VS_CALL(rc, vs_variable_creator_scope_prio_at(site, &cm, &c, prio, &err));
	else
		VS_CALL(rc, vs_variable_creator_scope_at(site, &cm, &c, &err));
	return cm_result(rc, cm, &err);
}

/* get_variable(local, name, shape, dtype, init, reg, trainable, collections,
 *   caching_device, partitioner, validate_shape, use_resource, getter,
 *   constraint, synchronization, aggregation) */
static PyObject *m_get_variable(PyObject *self, PyObject *const *a, Py_ssize_t na)
{
	if (na != 16) {
		PyErr_SetString(PyExc_TypeError, "get_variable takes 16 arguments");
		return NULL;
	}
	int local = PyObject_IsTrue(a[0]);
	const char *name = opt_str(a[1]);
	if (!name) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError, "name must be a str");
		return NULL;
	}
	vs_shape sb;
	struct init_buf ib;
	const char *cv[MAX_COLLECTIONS];
	vs_regularizer rb;
	vs_partitioner pb;
	vs_getter gb;
	vs_constraint cb;
	vs_var_opts o = {0};
	if (to_shape(a[2], &sb, &o.shape) < 0)
		return NULL;
	o.dtype = (vs_dtype)PyLong_AsLong(a[3]);
	if (PyErr_Occurred() || to_init(a[4], &ib, &o.initializer) < 0)
		return NULL;
	o.regularizer = to_reg(a[5], &rb);
	o.trainable = tristate(a[6]);
	if (to_strv(a[7], cv, &o.collections) < 0)
		return NULL;
	o.caching_device = opt_str(a[8]);
	o.partitioner = to_part(a[9], &pb);
	o.validate_shape = tristate(a[10]);
	o.use_resource = tristate(a[11]);
	o.custom_getter = to_getter(a[12], &gb);
	o.constraint = to_constraint(a[13], &cb);
	o.synchronization = (vs_sync)PyLong_AsLong(a[14]);
	o.aggregation = (vs_agg)PyLong_AsLong(a[15]);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	if (local)
		VS_CALL(rc, vs_get_local_variable_at(site, &v, name, &o, &err));
	else
		VS_CALL(rc, vs_get_variable_at(site, &v, name, &o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

/*
 * tf.get_variable itself, with TF 1.15's signature: the common call (no
 * initializer, regularizer, partitioner, getter or constraint objects, a
 * shape of ints, a DType or None) is converted here, so the call costs no
 * Python frame; anything else goes to the Python layer's full conversion
 * (g_slow_get_variable), which calls m_get_variable.
 */
static PyObject *g_slow_get_variable;
static PyObject *g_str_vs; /* "_vs" */

static int fast_shape(PyObject *o, vs_shape *s, const vs_shape **out)
{
	*out = NULL;
	if (o == Py_None)
		return 1;
	if (!PyList_CheckExact(o) && !PyTuple_CheckExact(o))
		return 0;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
	if (n > VS_MAX_RANK)
		return 0;
	PyObject **items = PySequence_Fast_ITEMS(o);
	s->rank = (int)n;
	for (Py_ssize_t i = 0; i < n; i++) {
		if (items[i] == Py_None) {
			s->dims[i] = VS_DIM_UNKNOWN;
		} else if (PyLong_CheckExact(items[i])) {
			int over = 0;
			s->dims[i] = PyLong_AsLongLongAndOverflow(items[i], &over);
			if (over || s->dims[i] < 0)
				return 0;
		} else {
			return 0;
		}
	}
	*out = s;
	return 1;
}

static const char *const gv_kw[] = {"name",           "shape",           "dtype",
                                    "initializer",    "regularizer",     "trainable",
                                    "collections",    "caching_device",  "partitioner",
                                    "validate_shape", "use_resource",    "custom_getter",
                                    "constraint",     "synchronization", "aggregation"};
#define GV_NARGS 15
static PyObject *g_gv_kw[GV_NARGS]; /* the keyword names, interned */

/* vectorcall arguments -> a[GV_NARGS] (borrowed), TF's defaults for the rest */
static int gv_parse(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **a)
{
	for (int i = 1; i < GV_NARGS; i++)
		a[i] = Py_None;
	a[0] = NULL;
	a[9] = Py_True;
	if (nargs > GV_NARGS) {
		PyErr_Format(PyExc_TypeError,
		             "get_variable() takes at most %d arguments (%zd given)", GV_NARGS,
		             nargs);
		return -1;
	}
	for (Py_ssize_t i = 0; i < nargs; i++)
		a[i] = args[i];
	Py_ssize_t nk = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
	for (Py_ssize_t k = 0; k < nk; k++) {
		PyObject *key = PyTuple_GET_ITEM(kwnames, k);
		int j = 0;
		while (j < GV_NARGS && g_gv_kw[j] != key)
			j++;
		for (int m = 0; j == GV_NARGS && m < GV_NARGS; m++)
			if (PyUnicode_Compare(key, g_gv_kw[m]) == 0)
				j = m;
		if (j == GV_NARGS) {
			PyErr_Format(PyExc_TypeError,
			             "get_variable() got an unexpected keyword argument '%U'", key);
			return -1;
		}
		if (j < nargs) {
			PyErr_Format(PyExc_TypeError,
			             "get_variable() got multiple values for argument '%U'", key);
			return -1;
		}
		a[j] = args[nargs + k];
	}
	if (!a[0]) {
		PyErr_SetString(PyExc_TypeError,
		                "get_variable() missing 1 required positional argument: 'name'");
		return -1;
	}
	return 0;
}

static PyObject *m_tf_get_variable(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
	PyObject *a[GV_NARGS];
	if (gv_parse(args, nargs, kwnames, a) < 0)
		return NULL;
	vs_shape sb;
	vs_var_opts o = {0};
	int fast = PyUnicode_CheckExact(a[0]) && a[3] == Py_None && a[4] == Py_None &&
	           a[8] == Py_None && a[11] == Py_None && a[12] == Py_None &&
	           (a[13] == Py_None || PyLong_CheckExact(a[13])) &&
	           (a[14] == Py_None || PyLong_CheckExact(a[14])) && (a[6] == Py_None) &&
	           fast_shape(a[1], &sb, &o.shape);
	if (fast && a[2] != Py_None) {
		PyObject *d = PyObject_GetAttr(a[2], g_str_vs);
		if (!d || !PyLong_CheckExact(d)) {
			PyErr_Clear();
			fast = 0;
		} else {
			o.dtype = (vs_dtype)PyLong_AsLong(d);
		}
		Py_XDECREF(d);
	}
	if (!fast) {
		PyObject *full[16] = {Py_False};
		for (int i = 0; i < 15; i++)
			full[i + 1] = a[i];
		return PyObject_Vectorcall(g_slow_get_variable, full, 16, NULL);
	}
	const char *name = intern_str(a[0]);
	if (!name)
		return NULL;
	o.trainable = tristate(a[5]);
	o.caching_device = opt_str(a[7]);
	o.validate_shape = tristate(a[9]);
	o.use_resource = tristate(a[10]);
	o.synchronization = a[13] == Py_None ? VS_SYNC_AUTO : (vs_sync)PyLong_AsLong(a[13]);
	o.aggregation = a[14] == Py_None ? VS_AGG_NONE : (vs_agg)PyLong_AsLong(a[14]);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_get_variable_at(site, &v, name, &o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

/* variable(v2, name, init, trainable, collections, validate_shape,
 *          caching_device, dtype, constraint, use_resource, sync, agg, shape,
 *          no_lifting) */
static PyObject *m_variable(PyObject *self, PyObject *args)
{
	PyObject *name, *init, *trainable, *colls, *vshape, *cdev, *constr, *useres, *shape;
	int v2, dtype, sync, agg, nolift;
	if (!PyArg_ParseTuple(args, "iOOOOOOiOOiiOi", &v2, &name, &init, &trainable, &colls,
	                      &vshape, &cdev, &dtype, &constr, &useres, &sync, &agg, &shape,
	                      &nolift))
		return NULL;
	vs_shape sb;
	struct init_buf ib;
	const char *cv[MAX_COLLECTIONS];
	vs_constraint cb;
	vs_creator_args a = {0};
	a.v2 = v2;
	a.name = opt_str(name);
	if (PyErr_Occurred() || to_init(init, &ib, &a.initial_value) < 0 ||
	    to_strv(colls, cv, &a.collections) < 0 || to_shape(shape, &sb, &a.shape) < 0)
		return NULL;
	a.trainable = tristate(trainable);
	a.validate_shape = tristate(vshape);
	a.caching_device = opt_str(cdev);
	a.dtype = (vs_dtype)dtype;
	a.constraint = to_constraint(constr, &cb);
	a.use_resource = tristate(useres);
	a.synchronization = (vs_sync)sync;
	a.aggregation = (vs_agg)agg;
	a.no_lifting = nolift;
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_variable_at(site, &v, &a, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

/* (name, op_name, store_key, shape, dtype, trainable, resource, graph, id,
 *  nparts, init, caching_device) */
static PyObject *m_var_info(PyObject *self, PyObject *arg)
{
	vs_var *v = obj_ptr(arg);
	if (!v) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "no variable");
		return NULL;
	}
	return Py_BuildValue("(zzzNiiiNkkNz)", vs_var_name(v), vs_var_op_name(v),
	                     vs_var_store_key(v), shape_obj(vs_var_shape(v)), (int)vs_var_dtype(v),
	                     vs_var_trainable(v), vs_var_is_resource(v), ptr_obj(vs_var_graph(v)),
	                     (unsigned long)vs_var_id(v), (unsigned long)vs_var_num_partitions(v),
	                     init_obj(vs_var_initializer(v)), vs_var_caching_device(v));
}

static PyObject *m_var_partitions(PyObject *self, PyObject *arg)
{
	vs_var *v = obj_ptr(arg);
	if (PyErr_Occurred())
		return NULL;
	size_t n = vs_var_num_partitions(v);
	PyObject *l = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; l && i < n; i++) {
		PyObject *o = var_obj(vs_var_partition(v, i));
		if (!o) {
			Py_CLEAR(l);
			break;
		}
		PyList_SET_ITEM(l, (Py_ssize_t)i, o);
	}
	return l;
}

static PyObject *var_list(vs_var **vars, size_t n)
{
	PyObject *l = PyList_New((Py_ssize_t)n);
	for (size_t i = 0; l && i < n; i++) {
		PyObject *o = var_obj(vars[i]);
		if (!o) {
			Py_CLEAR(l);
			break;
		}
		PyList_SET_ITEM(l, (Py_ssize_t)i, o);
	}
	return l;
}

static PyObject *m_collection(PyObject *self, PyObject *args)
{
	PyObject *g;
	const char *key;
	if (!PyArg_ParseTuple(args, "Os", &g, &key))
		return NULL;
	vs_graph *gr = obj_ptr(g);
	if (PyErr_Occurred())
		return NULL;
	size_t n = vs_collection_size(gr, key);
	PyObject *l = PyList_New(0);
	for (size_t i = 0; l && i < n; i++) {
		PyObject *o = var_obj(vs_collection_get(gr, key, i));
		if (!o || PyList_Append(l, o) < 0)
			Py_CLEAR(l);
		Py_XDECREF(o);
	}
	return l;
}

static PyObject *m_varscope_collection(PyObject *self, PyObject *args)
{
	PyObject *s;
	const char *key;
	if (!PyArg_ParseTuple(args, "Os", &s, &key))
		return NULL;
	vs_varscope *sc = obj_ptr(s);
	if (PyErr_Occurred())
		return NULL;
	size_t n = vs_varscope_collection(sc, key, NULL, 0);
	vs_var **vars = PyMem_Malloc((n + 1) * sizeof *vars);
	if (!vars)
		return PyErr_NoMemory();
	n = vs_varscope_collection(sc, key, vars, n);
	PyObject *l = var_list(vars, n);
	PyMem_Free(vars);
	return l;
}

/* ------------------------------------------------------------ var scopes */
static PyObject *m_get_variable_scope(PyObject *self, PyObject *unused)
{
	return ptr_obj(vs_get_variable_scope());
}

/* (name, original_name_scope, reuse, dtype, init, use_resource, caching_device, id) */
static PyObject *m_varscope_info(PyObject *self, PyObject *arg)
{
	vs_varscope *s = obj_ptr(arg);
	if (!s) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "no variable scope");
		return NULL;
	}
	const vs_constraint *c = vs_varscope_constraint(s);
	return Py_BuildValue("(zziiNizkz)", vs_varscope_name(s), vs_varscope_original_name_scope(s),
	                     (int)vs_varscope_reuse(s), (int)vs_varscope_dtype(s),
	                     init_obj(vs_varscope_initializer(s)), (int)vs_varscope_use_resource(s),
	                     vs_varscope_caching_device(s), (unsigned long)vs_varscope_id(s),
	                     c ? c->label : NULL);
}

static PyObject *m_varscope_reuse_variables(PyObject *self, PyObject *arg)
{
	vs_varscope *s = obj_ptr(arg);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_varscope_reuse_variables_at(site, s, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

/* varscope_set(h, what, value): what in initializer, dtype, use_resource,
 * caching_device, partitioner, custom_getter */
static PyObject *m_varscope_set(PyObject *self, PyObject *args)
{
	PyObject *h, *val;
	const char *what;
	if (!PyArg_ParseTuple(args, "OsO", &h, &what, &val))
		return NULL;
	vs_varscope *s = obj_ptr(h);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	struct init_buf ib;
	const vs_initializer *init;
	vs_partitioner pb;
	vs_getter gb;
	if (!strcmp(what, "initializer")) {
		if (to_init(val, &ib, &init) < 0)
			return NULL;
		rc = vs_varscope_set_initializer(s, init, &err);
	} else if (!strcmp(what, "dtype")) {
		rc = vs_varscope_set_dtype(s, (vs_dtype)PyLong_AsLong(val), &err);
	} else if (!strcmp(what, "use_resource")) {
		rc = vs_varscope_set_use_resource(s, PyObject_IsTrue(val), &err);
	} else if (!strcmp(what, "caching_device")) {
		rc = vs_varscope_set_caching_device(s, opt_str(val), &err);
	} else if (!strcmp(what, "partitioner")) {
		if (val != Py_None && keep(val) < 0)
			return NULL;
		rc = vs_varscope_set_partitioner(s, to_part(val, &pb), &err);
	} else if (!strcmp(what, "custom_getter")) {
		if (val != Py_None && keep(val) < 0)
			return NULL;
		rc = vs_varscope_set_custom_getter(s, to_getter(val, &gb), &err);
	} else {
		PyErr_Format(PyExc_AttributeError, "cannot set %s", what);
		return NULL;
	}
	if (PyErr_Occurred())
		return NULL;
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

/* ------------------------------------------------------- graphs and ops */
static PyObject *m_graph_new(PyObject *self, PyObject *args)
{
	PyObject *name;
	int func;
	if (!PyArg_ParseTuple(args, "Oi", &name, &func))
		return NULL;
	const char *n = opt_str(name);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_graph *g = NULL;
	vs_site site = py_site();
	if (func)
		VS_CALL(rc, vs_func_graph_new_at(site, &g, n, &err));
	else
		VS_CALL(rc, vs_graph_new_at(site, &g, n, &err));
	if (rc < 0)
		return raise_vs(&err);
	return ptr_obj(g);
}

static PyObject *m_default_graph(PyObject *self, PyObject *unused)
{
	return ptr_obj(vs_default_graph());
}

/* (name, id, building_function, outer) */
static PyObject *m_graph_info(PyObject *self, PyObject *arg)
{
	vs_graph *g = obj_ptr(arg);
	if (!g) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "no graph");
		return NULL;
	}
	return Py_BuildValue("(zkiN)", vs_graph_name(g), (unsigned long)vs_graph_id(g),
	                     vs_graph_building_function(g), ptr_obj(vs_graph_outer(g)));
}

static PyObject *m_reset_default_graph(PyObject *self, PyObject *unused)
{
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_reset_default_graph_at(site, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

/* (executing_eagerly, in_control_flow, tape_recording, control_inputs) */
static PyObject *m_context_info(PyObject *self, PyObject *unused)
{
	return Py_BuildValue("(iiin)", vs_executing_eagerly(), vs_in_control_flow(),
	                     vs_tape_recording(), (Py_ssize_t)vs_control_inputs_count());
}

static PyObject *m_get_name_scope(PyObject *self, PyObject *unused)
{
	const char *s = vs_get_name_scope();
	return PyUnicode_FromString(s ? s : "");
}

static PyObject *m_unique_name(PyObject *self, PyObject *args)
{
	const char *name;
	int mark;
	if (!PyArg_ParseTuple(args, "si", &name, &mark))
		return NULL;
	char buf[1024];
	ERR_DECL;
	rc = vs_unique_name(name, mark, buf, sizeof buf, &err);
	if (rc < 0)
		return raise_vs(&err);
	return PyUnicode_FromString(buf);
}

/* op(type, name) -> (handle, name) */
static PyObject *m_op(PyObject *self, PyObject *args)
{
	const char *type;
	PyObject *name;
	if (!PyArg_ParseTuple(args, "sO", &type, &name))
		return NULL;
	const char *n = opt_str(name);
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_op *op = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_op_at(site, &op, type, n, &err));
	if (rc < 0)
		return raise_vs(&err);
	return Py_BuildValue("(Ns)", ptr_obj(op), vs_op_name(op));
}

/* ------------------------------------------------------------- templates */
struct tmpl_call {
	PyObject *args, *kwargs, *result;
};

static int tmpl_tramp(void *ud, void *call_arg, vs_error *err)
{
	PyGILState_STATE g = PyGILState_Ensure();
	PYSTACK_MARK;
	struct tmpl_call *c = call_arg;
	int rc = 0;
	c->result = PyObject_Call((PyObject *)ud, c->args, c->kwargs);
	if (!c->result)
		rc = py_fail(err);
	PYSTACK_BACK;
	PyGILState_Release(g);
	return rc;
}

static PyObject *m_make_template(PyObject *self, PyObject *args)
{
	PyObject *name, *fn, *uname, *getter;
	int now;
	if (!PyArg_ParseTuple(args, "OOiOO", &name, &fn, &now, &uname, &getter))
		return NULL;
	vs_getter gb;
	vs_template_opts o = {now, opt_str(uname), to_getter(getter, &gb)};
	const char *n = opt_str(name);
	if (PyErr_Occurred() || keep(fn) < 0 || (getter != Py_None && keep(getter) < 0))
		return NULL;
	ERR_DECL;
	vs_template *t = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_make_template_at(site, &t, n, tmpl_tramp, fn, &o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return ptr_obj(t);
}

static PyObject *m_template_call(PyObject *self, PyObject *args)
{
	PyObject *h, *a, *kw;
	if (!PyArg_ParseTuple(args, "OOO", &h, &a, &kw))
		return NULL;
	vs_template *t = obj_ptr(h);
	if (PyErr_Occurred())
		return NULL;
	struct tmpl_call c = {a, kw == Py_None ? NULL : kw, NULL};
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_template_call_at(site, t, &c, &err));
	if (rc < 0) {
		Py_XDECREF(c.result);
		return raise_vs(&err);
	}
	return c.result ? c.result : Py_NewRef(Py_None);
}

/* (name, varscope, varscope_name, calls) */
static PyObject *m_template_info(PyObject *self, PyObject *arg)
{
	vs_template *t = obj_ptr(arg);
	if (!t) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "no template");
		return NULL;
	}
	return Py_BuildValue("(zNzk)", vs_template_name(t), ptr_obj(vs_template_variable_scope(t)),
	                     vs_template_variable_scope_name(t),
	                     (unsigned long)vs_template_calls(t));
}

/* The variables a template or an eager store holds, as a list: args are
 * (handle, which); get is vs_template_variables or
 * vs_eager_store_variables through the adapters below. */
typedef size_t vars_getter(const void *owner, vs_tmpl_vars which, vs_var **out, size_t cap);

static PyObject *variables_of(PyObject *args, vars_getter *get)
{
	PyObject *h;
	int which;
	if (!PyArg_ParseTuple(args, "Oi", &h, &which))
		return NULL;
	const void *owner = obj_ptr(h);
	if (PyErr_Occurred())
		return NULL;
	size_t n = get(owner, (vs_tmpl_vars)which, NULL, 0);
	vs_var **vars = PyMem_Malloc((n + 1) * sizeof *vars);
	if (!vars)
		return PyErr_NoMemory();
	n = get(owner, (vs_tmpl_vars)which, vars, n);
	PyObject *l = var_list(vars, n);
	PyMem_Free(vars);
	return l;
}

static size_t template_vars(const void *t, vs_tmpl_vars which, vs_var **out, size_t cap)
{
	return vs_template_variables(t, which, out, cap);
}

static PyObject *m_template_variables(PyObject *self, PyObject *args)
{
	return variables_of(args, template_vars);
}

/* ---------------------------------------------------------- eager stores */
/* eager_store(op, handle): op 0 new(from), 1 copy(h), 2 as_default(h) */
static PyObject *m_eager_store(PyObject *self, PyObject *args)
{
	int op;
	PyObject *h;
	if (!PyArg_ParseTuple(args, "iO", &op, &h))
		return NULL;
	vs_eager_store *s = obj_ptr(h), *out = NULL;
	vs_cm *cm = NULL;
	if (PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_site site = py_site();
	if (op == 0)
		VS_CALL(rc, vs_eager_store_new_at(site, &out, s, &err));
	else if (op == 1)
		VS_CALL(rc, vs_eager_store_copy_at(site, &out, s, &err));
	else
		VS_CALL(rc, vs_eager_store_as_default_at(site, &cm, s, &err));
	if (rc < 0)
		return raise_vs(&err);
	return op == 2 ? ptr_obj(cm) : ptr_obj(out);
}

static size_t eager_store_vars(const void *s, vs_tmpl_vars which, vs_var **out, size_t cap)
{
	return vs_eager_store_variables(s, which, out, cap);
}

static PyObject *m_eager_store_variables(PyObject *self, PyObject *args)
{
	return variables_of(args, eager_store_vars);
}

/* ----------------------------------------------------------------- layers */
typedef struct {
	PyObject_HEAD vs_layer l;
} LayerObject;

static int layer_init(LayerObject *self, PyObject *args, PyObject *kw)
{
	PyObject *base, *scope, *trainable;
	int reuse, dtype;
	if (!PyArg_ParseTuple(args, "OOiOi", &base, &scope, &reuse, &trainable, &dtype))
		return -1;
	memset(&self->l, 0, sizeof self->l);
	self->l.base_name = opt_str(base);
	if (PyLong_Check(scope)) /* a VariableScope handle */
		self->l.scope_from = obj_ptr(scope);
	else
		self->l.scope_name = opt_str(scope);
	self->l.reuse = (vs_reuse)reuse;
	self->l.trainable = tristate(trainable);
	self->l.dtype = (vs_dtype)dtype;
	return PyErr_Occurred() ? -1 : 0;
}

static PyObject *layer_init_scope(LayerObject *self, PyObject *unused)
{
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_init_at(site, &self->l, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

static PyObject *layer_call_enter(LayerObject *self, PyObject *unused)
{
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_call_enter_at(site, &self->l, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

static PyObject *layer_call_exit(LayerObject *self, PyObject *arg)
{
	int ok = PyObject_IsTrue(arg);
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_call_exit_at(site, &self->l, ok, &err));
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

/* add_weight(name, shape, dtype, init, reg, trainable, constraint, sync, agg) */
static PyObject *layer_add_weight(LayerObject *self, PyObject *args)
{
	PyObject *name, *shape, *init, *reg, *trainable, *constr;
	int dtype, sync, agg;
	if (!PyArg_ParseTuple(args, "OOiOOOOii", &name, &shape, &dtype, &init, &reg, &trainable,
	                      &constr, &sync, &agg))
		return NULL;
	vs_shape sb;
	struct init_buf ib;
	vs_regularizer rb;
	vs_constraint cb;
	vs_var_opts o = {0};
	const char *n = opt_str(name);
	if (PyErr_Occurred() || to_shape(shape, &sb, &o.shape) < 0 ||
	    to_init(init, &ib, &o.initializer) < 0)
		return NULL;
	o.dtype = (vs_dtype)dtype;
	o.regularizer = to_reg(reg, &rb);
	o.trainable = tristate(trainable);
	o.constraint = to_constraint(constr, &cb);
	o.synchronization = (vs_sync)sync;
	o.aggregation = (vs_agg)agg;
	if (reg != Py_None && keep(reg) < 0)
		return NULL;
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_add_weight_at(site, &v, &self->l, n, &o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

/* kwargs of the builds: use_bias, kernel_initializer, ... as _vs tuples */
struct lopts_buf {
	vs_layer_opts o;
	struct init_buf ib[6];
	vs_regularizer rb[4];
};

static int to_lopts(PyObject *kw, struct lopts_buf *b)
{
	static const char *const inits[] = {
		"kernel_initializer", "bias_initializer",        "beta_initializer",
		"gamma_initializer",  "moving_mean_initializer", "moving_variance_initializer"};
	static const char *const regs[] = {"kernel_regularizer", "bias_regularizer",
	                                   "beta_regularizer", "gamma_regularizer"};
	const vs_initializer **ip[] = {&b->o.kernel_initializer,
	                               &b->o.bias_initializer,
	                               &b->o.beta_initializer,
	                               &b->o.gamma_initializer,
	                               &b->o.moving_mean_initializer,
	                               &b->o.moving_variance_initializer};
	const vs_regularizer **rp[] = {&b->o.kernel_regularizer, &b->o.bias_regularizer,
	                               &b->o.beta_regularizer, &b->o.gamma_regularizer};
	memset(&b->o, 0, sizeof b->o);
	if (!kw)
		return 0;
	for (size_t i = 0; i < 6; i++) {
		PyObject *v = PyDict_GetItemString(kw, inits[i]);
		if (v && to_init(v, &b->ib[i], ip[i]) < 0)
			return -1;
	}
	for (size_t i = 0; i < 4; i++) {
		PyObject *v = PyDict_GetItemString(kw, regs[i]);
		if (v && v != Py_None) {
			if (keep(v) < 0)
				return -1;
			*rp[i] = to_reg(v, &b->rb[i]);
		}
	}
	PyObject *v;
	if ((v = PyDict_GetItemString(kw, "use_bias")))
		b->o.use_bias = tristate(v);
	if ((v = PyDict_GetItemString(kw, "center")))
		b->o.center = tristate(v);
	if ((v = PyDict_GetItemString(kw, "scale")))
		b->o.scale = tristate(v);
	return PyErr_Occurred() ? -1 : 0;
}

static PyObject *layer_weights(vs_layer *l) { return var_list(l->weights, l->nweights); }

static PyObject *layer_dense(LayerObject *self, PyObject *args, PyObject *kw)
{
	long long in_dim, units;
	if (!PyArg_ParseTuple(args, "LL", &in_dim, &units))
		return NULL;
	struct lopts_buf b;
	if (to_lopts(kw, &b) < 0)
		return NULL;
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_dense_build_at(site, &self->l, in_dim, units, &b.o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return layer_weights(&self->l);
}

static PyObject *layer_conv(LayerObject *self, PyObject *args, PyObject *kw)
{
	PyObject *ks;
	long long in_ch, filters;
	int transpose;
	if (!PyArg_ParseTuple(args, "OLLi", &ks, &in_ch, &filters, &transpose))
		return NULL;
	vs_shape k;
	const vs_shape *kp;
	if (to_shape(ks, &k, &kp) < 0 || !kp || k.rank < 1) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "bad kernel_size");
		return NULL;
	}
	struct lopts_buf b;
	if (to_lopts(kw, &b) < 0)
		return NULL;
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_conv_build_at(site, &self->l, k.rank, k.dims, in_ch, filters,
	                                   transpose, &b.o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return layer_weights(&self->l);
}

static PyObject *layer_batch_norm(LayerObject *self, PyObject *args, PyObject *kw)
{
	long long ch;
	if (!PyArg_ParseTuple(args, "L", &ch))
		return NULL;
	struct lopts_buf b;
	if (to_lopts(kw, &b) < 0)
		return NULL;
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_layer_batch_norm_build_at(site, &self->l, ch, &b.o, &err));
	if (rc < 0)
		return raise_vs(&err);
	return layer_weights(&self->l);
}

static PyObject *layer_get_scope(LayerObject *self, void *unused) { return ptr_obj(self->l.scope); }

static PyObject *layer_get_built(LayerObject *self, void *unused)
{
	return PyBool_FromLong(self->l.built);
}

static PyObject *layer_get_weights(LayerObject *self, void *unused)
{
	return layer_weights(&self->l);
}

static PyObject *layer_get_dtype(LayerObject *self, void *unused)
{
	return PyLong_FromLong((long)self->l.dtype);
}

/* the layer's dtype, known from its first input (TF: Layer._dtype) */
static int layer_set_dtype(LayerObject *self, PyObject *v, void *unused)
{
	long d = v ? PyLong_AsLong(v) : -1;
	if (d < 0 || d >= VS_DT__COUNT) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError, "bad dtype");
		return -1;
	}
	self->l.dtype = (vs_dtype)d;
	return 0;
}

static PyMethodDef layer_methods[] = {
	{"init_scope", (PyCFunction)layer_init_scope, METH_NOARGS, NULL},
	{"call_enter", (PyCFunction)layer_call_enter, METH_NOARGS, NULL},
	{"call_exit", (PyCFunction)layer_call_exit, METH_O, NULL},
	{"add_weight", (PyCFunction)layer_add_weight, METH_VARARGS, NULL},
	{"dense", (PyCFunction)(void (*)(void))layer_dense, METH_VARARGS | METH_KEYWORDS, NULL},
	{"conv", (PyCFunction)(void (*)(void))layer_conv, METH_VARARGS | METH_KEYWORDS, NULL},
	{"batch_norm", (PyCFunction)(void (*)(void))layer_batch_norm, METH_VARARGS | METH_KEYWORDS,
         NULL},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef layer_getset[] = {
	{"scope", (getter)layer_get_scope, NULL, NULL, NULL},
	{"built", (getter)layer_get_built, NULL, NULL, NULL},
	{"weights", (getter)layer_get_weights, NULL, NULL, NULL},
	{"dtype", (getter)layer_get_dtype, (setter)layer_set_dtype, NULL, NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject LayerType = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "vstrace._vs.Layer",
	.tp_basicsize = sizeof(LayerObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
	.tp_doc = "Layer(base_name, scope name or VariableScope handle, reuse, trainable, dtype)",
	.tp_methods = layer_methods,
	.tp_getset = layer_getset,
	.tp_init = (initproc)layer_init,
	.tp_new = PyType_GenericNew,
};

/* ------------------------------------------------------------- optimizers */
typedef struct {
	PyObject_HEAD vs_optimizer o;
} OptimizerObject;

static int opt_init(OptimizerObject *self, PyObject *args, PyObject *kw)
{
	int kind, centered;
	PyObject *name;
	if (!PyArg_ParseTuple(args, "iOi", &kind, &name, &centered))
		return -1;
	vs_optimizer_free(&self->o);
	memset(&self->o, 0, sizeof self->o);
	self->o.kind = (vs_optimizer_kind)kind;
	self->o.name = opt_str(name);
	self->o.centered = centered;
	return PyErr_Occurred() ? -1 : 0;
}

static void opt_dealloc(OptimizerObject *self)
{
	vs_optimizer_free(&self->o);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *opt_create_slots(OptimizerObject *self, PyObject *arg)
{
	PyObject *seq = PySequence_Fast(arg, "var_list must be a list");
	if (!seq)
		return NULL;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
	vs_var **vars = PyMem_Malloc(((size_t)n + 1) * sizeof *vars);
	if (!vars) {
		Py_DECREF(seq);
		return PyErr_NoMemory();
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		vars[i] = obj_var(PySequence_Fast_GET_ITEM(seq, i));
		if (!vars[i]) {
			PyMem_Free(vars);
			Py_DECREF(seq);
			PyErr_SetString(PyExc_TypeError, "var_list holds a non-variable");
			return NULL;
		}
	}
	Py_DECREF(seq);
	ERR_DECL;
	vs_site site = py_site();
	VS_CALL(rc, vs_optimizer_create_slots_at(site, &self->o, vars, (size_t)n, &err));
	PyMem_Free(vars);
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

static PyMethodDef opt_methods[] = {
	{"create_slots", (PyCFunction)opt_create_slots, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static PyTypeObject OptimizerType = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "vstrace._vs.Optimizer",
	.tp_basicsize = sizeof(OptimizerObject),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "Optimizer(kind, name, centered): a vs_optimizer",
	.tp_methods = opt_methods,
	.tp_init = (initproc)opt_init,
	.tp_dealloc = (destructor)opt_dealloc,
	.tp_new = PyType_GenericNew,
};

/* slot_create(primary, op_name, init) */
static PyObject *m_slot_create(PyObject *self, PyObject *args)
{
	PyObject *pv, *init;
	const char *op_name;
	if (!PyArg_ParseTuple(args, "OsO", &pv, &op_name, &init))
		return NULL;
	vs_var *p = obj_var(pv);
	struct init_buf ib;
	const vs_initializer *i;
	if (!p || to_init(init, &ib, &i) < 0 || !i) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_TypeError,
			                "slot of a non-variable or without initializer");
		return NULL;
	}
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_slot_create_at(site, &v, p, op_name, i, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

static PyObject *m_ema_average(PyObject *self, PyObject *args)
{
	PyObject *pv;
	const char *name;
	if (!PyArg_ParseTuple(args, "Os", &pv, &name))
		return NULL;
	vs_var *p = obj_var(pv);
	if (!p) {
		PyErr_SetString(PyExc_TypeError, "moving average of a non-variable");
		return NULL;
	}
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_ema_average_at(site, &v, p, name, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

static PyObject *m_global_step(PyObject *self, PyObject *unused)
{
	ERR_DECL;
	vs_var *v = NULL;
	vs_site site = py_site();
	VS_CALL(rc, vs_get_or_create_global_step_at(site, &v, &err));
	if (rc < 0)
		return raise_vs(&err);
	return var_obj(v);
}

/* ---------------------------------------------------------------- runtime */
static PyObject *m_runtime_reset(PyObject *self, PyObject *unused)
{
	vs_runtime_reset();
	var_table_clear();
	if (PyList_SetSlice(g_keep, 0, PyList_GET_SIZE(g_keep), NULL) < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *m_runtime_configure(PyObject *self, PyObject *args)
{
	PyObject *eager, *useres;
	if (!PyArg_ParseTuple(args, "OO", &eager, &useres))
		return NULL;
	vs_runtime_opts o = {tristate(eager), tristate(useres)};
	ERR_DECL;
	rc = vs_runtime_configure(&o, &err);
	if (rc < 0)
		return raise_vs(&err);
	Py_RETURN_NONE;
}

static PyObject *m_trace_flush(PyObject *self, PyObject *unused)
{
	Py_BEGIN_ALLOW_THREADS vs_trace_flush();
	Py_END_ALLOW_THREADS Py_RETURN_NONE;
}

/*
 * bench_get_variable(n): the C side of bench/bench_python.py - n calls of
 * vs_get_variable("v", shape (4,)) on the reuse path of an AUTO_REUSE
 * scope "bench_c", at one C call site; returns the nanoseconds they took.
 */
static PyObject *m_bench_get_variable(PyObject *self, PyObject *arg)
{
	long n = PyLong_AsLong(arg);
	if (n < 0 && PyErr_Occurred())
		return NULL;
	ERR_DECL;
	vs_cm *cm = NULL;
	vs_var *v = NULL;
	struct timespec a, b;
	const vs_var_opts o = {.shape = VS_SHAPE(4)};
	rc = vs_variable_scope(&cm, "bench_c", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO}, &err);
	if (rc < 0)
		return raise_vs(&err);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n && rc == 0; i++)
		rc = vs_get_variable(&v, "v", &o, &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (rc < 0) {
		vs_exit(cm, NULL);
		return raise_vs(&err);
	}
	if (vs_exit(cm, &err) < 0)
		return raise_vs(&err);
	return PyLong_FromLongLong((long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
	                           (b.tv_nsec - a.tv_nsec));
}

static PyObject *m_setup(PyObject *self, PyObject *args)
{
	PyObject *prefixes, *factory, *gd, *cd, *rl, *slow;
	if (!PyArg_ParseTuple(args, "O!OOOOO", &PyTuple_Type, &prefixes, &factory, &gd, &cd, &rl,
	                      &slow))
		return NULL;
	Py_XSETREF(g_slow_get_variable, Py_NewRef(slow));
	Py_XSETREF(g_shim_prefixes, Py_NewRef(prefixes));
	Py_XSETREF(g_var_factory, Py_NewRef(factory));
	Py_XSETREF(g_getter_dispatch, Py_NewRef(gd));
	Py_XSETREF(g_creator_dispatch, Py_NewRef(cd));
	Py_XSETREF(g_reg_loss, Py_NewRef(rl));
	code_table_clear();
	Py_RETURN_NONE;
}

static PyObject *m_site(PyObject *self, PyObject *unused)
{
	vs_site s = py_site();
	return Py_BuildValue("(ziz)", s.file, s.line, s.func);
}

static PyMethodDef methods[] = {
	{"setup", m_setup, METH_VARARGS,
         "setup(shim_prefixes, var_factory, getter_dispatch, creator_dispatch, reg_loss, "
         "get_variable)"},
	{"bench_get_variable", m_bench_get_variable, METH_O, "C get_variable loop (bench)"},
	{"site", m_site, METH_NOARGS, "the call site libvs would get: (file, line, func)"},
	{"exit", m_exit, METH_O, "leave an entered context manager"},
	{"cm_info", m_cm_info, METH_O, "(name scope, varscope) of an entered cm"},
	{"variable_scope", m_variable_scope, METH_VARARGS, NULL},
	{"name_scope", m_name_scope, METH_VARARGS, NULL},
	{"enter", m_enter, METH_O, NULL},
	{"graph_as_default", m_graph_as_default, METH_O, NULL},
	{"control_dependencies", m_control_dependencies, METH_O, NULL},
	{"creator_scope", m_creator_scope, METH_VARARGS, NULL},
	{"get_variable", (PyCFunction)(void (*)(void))m_get_variable, METH_FASTCALL, NULL},
	{"variable", m_variable, METH_VARARGS, NULL},
	{"tf_get_variable", (PyCFunction)(void (*)(void))m_tf_get_variable,
         METH_FASTCALL | METH_KEYWORDS, "tf.get_variable (TF 1.15's signature)"},
	{"var_info", m_var_info, METH_O, NULL},
	{"var_partitions", m_var_partitions, METH_O, NULL},
	{"collection", m_collection, METH_VARARGS, NULL},
	{"varscope_collection", m_varscope_collection, METH_VARARGS, NULL},
	{"get_variable_scope", m_get_variable_scope, METH_NOARGS, NULL},
	{"varscope_info", m_varscope_info, METH_O, NULL},
	{"varscope_reuse_variables", m_varscope_reuse_variables, METH_O, NULL},
	{"varscope_set", m_varscope_set, METH_VARARGS, NULL},
	{"graph_new", m_graph_new, METH_VARARGS, NULL},
	{"default_graph", m_default_graph, METH_NOARGS, NULL},
	{"graph_info", m_graph_info, METH_O, NULL},
	{"reset_default_graph", m_reset_default_graph, METH_NOARGS, NULL},
	{"context_info", m_context_info, METH_NOARGS, NULL},
	{"get_name_scope", m_get_name_scope, METH_NOARGS, NULL},
	{"unique_name", m_unique_name, METH_VARARGS, NULL},
	{"op", m_op, METH_VARARGS, NULL},
	{"make_template", m_make_template, METH_VARARGS, NULL},
	{"template_call", m_template_call, METH_VARARGS, NULL},
	{"template_info", m_template_info, METH_O, NULL},
	{"template_variables", m_template_variables, METH_VARARGS, NULL},
	{"eager_store", m_eager_store, METH_VARARGS, NULL},
	{"eager_store_variables", m_eager_store_variables, METH_VARARGS, NULL},
	{"slot_create", m_slot_create, METH_VARARGS, NULL},
	{"ema_average", m_ema_average, METH_VARARGS, NULL},
	{"global_step", m_global_step, METH_NOARGS, NULL},
	{"runtime_reset", m_runtime_reset, METH_NOARGS, NULL},
	{"runtime_configure", m_runtime_configure, METH_VARARGS, NULL},
	{"trace_flush", m_trace_flush, METH_NOARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	"vstrace._vs",
	"libvs for Python (internal: use vstrace.tf)",
	-1,
	methods,
	NULL,
	NULL,
	NULL,
	NULL,
};

PyMODINIT_FUNC PyInit__vs(void);
PyMODINIT_FUNC PyInit__vs(void)
{
	if (PyType_Ready(&NextType) < 0 || PyType_Ready(&LayerType) < 0 ||
	    PyType_Ready(&OptimizerType) < 0)
		return NULL;
	g_intern = PyDict_New();
	g_str_vs = PyUnicode_InternFromString("_vs");
	for (int i = 0; i < GV_NARGS; i++)
		if (!(g_gv_kw[i] = PyUnicode_InternFromString(gv_kw[i])))
			return NULL;
	g_keep = PyList_New(0);
	if (!g_intern || !g_keep || !g_str_vs)
		return NULL;
	PyObject *m = PyModule_Create(&module);
	if (!m)
		return NULL;
	if (PyModule_AddIntConstant(m, "MAX_RANK", VS_MAX_RANK) < 0 ||
	    PyModule_AddObjectRef(m, "Layer", (PyObject *)&LayerType) < 0 ||
	    PyModule_AddObjectRef(m, "Optimizer", (PyObject *)&OptimizerType) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
