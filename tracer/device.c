/* SPDX-License-Identifier: MIT */
/*
 * tracer/device.c - tf.device scopes (docs/semantics.md §5.3): device
 * specifications, their merging, the per-(graph, thread) device stack and
 * the eager one, and the device an op gets.
 *
 * A stack entry holds the merged, canonical device in effect while it is
 * the top: the entry's own spec over the one below it (a spec's fields win,
 * the fields it leaves out come from below, as TF's MergeDevice applied
 * innermost first), or "" for tf.device(None), which hides everything
 * below.  The current device is the top entry's, "" for an empty stack.
 * init_scope swaps a target's stack for a one-entry stack holding the
 * innermost non-empty device of the contexts it lifts out of (context.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tracer/rt.h"

/* the fields of a DeviceSpec; NULL/-1 = not given */
typedef struct dev_spec {
	char job[64], type[32];
	long replica, task, index; /* -1 unset */
	int has_job, has_type, index_any;
} dev_spec;

static void spec_init(dev_spec *d)
{
	memset(d, 0, sizeof *d);
	d->replica = d->task = d->index = -1;
}

static int parse_num(const char *s, long *out)
{
	if (!*s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 0)
		return 0;
	*out = v;
	return 1;
}

static void set_type(dev_spec *d, const char *type, size_t n, int upper)
{
	if (n >= sizeof d->type)
		n = sizeof d->type - 1;
	for (size_t i = 0; i < n; i++)
		d->type[i] = upper ? (char)toupper((unsigned char)type[i]) : type[i];
	d->type[n] = '\0';
	d->has_type = 1;
}

/* one '/'-separated component: job:J, replica:N, task:N, device:TYPE[:N],
 * cpu:N / gpu:N (legacy, upper-cased), TYPE:N; unknown ones are ignored */
static void parse_part(dev_spec *d, char *p)
{
	char *c1 = strchr(p, ':');
	if (!c1)
		return;
	*c1++ = '\0';
	char *c2 = strchr(c1, ':');
	if (c2)
		*c2++ = '\0';
	if (!strcmp(p, "job") && !c2) {
		snprintf(d->job, sizeof d->job, "%s", c1);
		d->has_job = 1;
	} else if (!strcmp(p, "replica") && !c2) {
		parse_num(c1, &d->replica);
	} else if (!strcmp(p, "task") && !c2) {
		parse_num(c1, &d->task);
	} else if (!strcmp(p, "device")) {
		set_type(d, c1, strlen(c1), 0);
		d->index_any = c2 && !strcmp(c2, "*");
		if (c2 && !d->index_any)
			parse_num(c2, &d->index);
	} else if (!c2) {
		int legacy = !strcasecmp(p, "cpu") || !strcasecmp(p, "gpu");
		set_type(d, p, strlen(p), legacy);
		d->index_any = !strcmp(c1, "*");
		if (!d->index_any)
			parse_num(c1, &d->index);
	}
}

static void spec_parse(dev_spec *d, const char *s)
{
	char buf[256];
	spec_init(d);
	snprintf(buf, sizeof buf, "%s", s ? s : "");
	char *save = NULL;
	for (char *p = strtok_r(buf, "/", &save); p; p = strtok_r(NULL, "/", &save))
		parse_part(d, p);
}

/* DeviceSpec.to_string(): /job:J/replica:N/task:N/device:TYPE:N */
static void spec_format(const dev_spec *d, char *buf, size_t n)
{
	size_t at = 0;
	buf[0] = '\0';
#define PUT(...) at += (size_t)snprintf(buf + at, at < n ? n - at : 0, __VA_ARGS__)
	if (d->has_job)
		PUT("/job:%s", d->job);
	if (d->replica >= 0)
		PUT("/replica:%ld", d->replica);
	if (d->task >= 0)
		PUT("/task:%ld", d->task);
	if (d->has_type) {
		if (d->index >= 0)
			PUT("/device:%s:%ld", d->type, d->index);
		else
			PUT("/device:%s:*", d->type);
	}
#undef PUT
}

/* spec's fields over base's (make_merged_spec: the inner spec wins) */
static rt_istr device_merge(const char *spec, const char *base)
{
	dev_spec s, b;
	spec_parse(&s, spec);
	spec_parse(&b, base);
	if (!s.has_job && b.has_job) {
		memcpy(s.job, b.job, sizeof s.job);
		s.has_job = 1;
	}
	if (s.replica < 0)
		s.replica = b.replica;
	if (s.task < 0)
		s.task = b.task;
	if (!s.has_type && b.has_type) {
		memcpy(s.type, b.type, sizeof s.type);
		s.has_type = 1;
		s.index = b.index;
		s.index_any = b.index_any;
	} else if (s.has_type && s.index < 0 && !s.index_any && b.has_type &&
	           !strcmp(s.type, b.type)) {
		s.index = b.index;
	}
	char out[512];
	spec_format(&s, out, sizeof out);
	return rt_intern_cstr(out);
}

rt_istr rt_device_top(const rt_vec *devs)
{
	return devs->n ? devs->items[devs->n - 1] : rt_empty();
}

rt_istr rt_device_current(rt_tls *t)
{
	if (t->is_eager)
		return rt_device_top(&t->eager_devs);
	rt_graph_thread *p = rt_graph_thread_get(t, rt_graph_default(t));
	return p ? rt_device_top(&p->devs) : rt_empty();
}

const char *vs_current_device(void)
{
	rt_tls *t = rt_tls_model();
	return t ? rt_device_current(t) : NULL;
}

int vs_device_at(vs_site site, vs_cm **out, const char *device, vs_error *err)
{
	(void)site;
	rt_tls *t = rt_tls_model();
	if (!t)
		return vs_error_nomem(err);
	if (!out)
		return vs_error_set(err, VS_ERR_INVALID, "no result pointer");
	rt_graph_thread *p = NULL;
	if (!t->is_eager && !(p = rt_graph_thread_get(t, rt_graph_default(t))))
		return vs_error_nomem(err);
	rt_vec *devs = p ? &p->devs : &t->eager_devs;
	rt_istr merged = device ? device_merge(device, rt_device_top(devs)) : rt_empty();
	vs_cm *cm = merged ? rt_cm_new(RT_CM_DEVICE) : NULL;
	if (!cm || rt_vec_push(devs, (void *)(uintptr_t)merged) < 0) {
		rt_cm_free(cm);
		return vs_error_nomem(err);
	}
	cm->device.graph_thread = p;
	cm->device.depth = devs->n - 1;
	*out = cm;
	return 0;
}

void rt_device_exit(rt_tls *t, vs_cm *cm)
{
	rt_vec *devs = cm->device.graph_thread ? &cm->device.graph_thread->devs : &t->eager_devs;
	if (devs->n > cm->device.depth)
		devs->n = cm->device.depth;
}
