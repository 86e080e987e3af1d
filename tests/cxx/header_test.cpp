// SPDX-License-Identifier: MIT
// tests/cxx/header_test.cpp - the public headers used from C++ (compiled
// by tests/e2e/t5100-cxx-header.sh with -Wall -Wextra -pedantic -Werror):
// every header includes, the call-site and literal macros work, and the
// C functions link (extern "C").  Prints the variables it made with their
// shapes and initializers, then a TensorFlow error.
#include <vs/error.h>
#include <vs/event.h>
#include <vs/sink.h>
#include <vs/vs.h>

#include <cstdio>

static void show(const vs_var *v)
{
	char shape[64];
	vs_shape_format(vs_var_shape(v), shape, sizeof shape);
	std::printf("%s %s\n", vs_var_name(v), shape);
}

int main()
{
	vs_error err;
	vs_cm *foo;
	vs_var *v, *w, *c, *again;
	vs_shape kept = vs_make_shape({2, 3});
	vs_var_opts o{};
	o.shape = &kept; // a named shape outlives the statement
	if (vs_variable_scope(&foo, "foo", NULL, &err) < 0 || vs_get_variable(&v, "v", &o, &err) < 0)
		return 1;
	// literal macros: temporaries valid until the end of the full expression
	if (vs_get_variable(&w, "w", (o.shape = VS_SHAPE(4), o.initializer = VS_INIT(VS_INIT_ZEROS), &o),
	                    &err) < 0)
		return 1;
	if (vs_get_variable(&c, "c", (o.shape = VS_SCALAR, o.initializer = VS_INIT_CONST(0.5), &o),
	                    &err) < 0)
		return 1;
	show(v);
	show(w);
	show(c);
	o.shape = &kept;
	o.initializer = NULL;
	if (vs_get_variable(&again, "v", &o, &err) < 0)
		std::printf("%s: %s\n", vs_err_name(err.code), err.msg);
	vs_exit(foo, &err);
	vs_runtime_shutdown();
	return 0;
}
