/* SPDX-License-Identifier: MIT */
/*
 * examples/rnn_bug_shape.c - rnn.c feeding back the wrong thing.
 *
 * From the second step on, the loop feeds the cell the previous step's
 * output distribution (VOCAB wide) instead of the embedded character
 * (EMBED wide).  Under AUTO_REUSE the cell asks for rnn_cell/W_xh with a
 * new shape and TensorFlow stops with "Trying to share variable
 * rnn_cell/W_xh, but specified shape (65, 128) and found shape (32, 128)."
 * The same message appears when a notebook builds a model twice in one
 * graph with another input size.  Only the line marked BUG differs from
 * rnn.c.
 */
#include "common.h"
#include "layers.h"

enum { VOCAB = 65, EMBED = 32, HIDDEN = 128, STEPS = 3 };

/* h_t = tanh(x_t W_xh + h_{t-1} W_hh + b) for an input of input_dim features */
static int rnn_cell(int64_t input_dim, vs_error *err)
{
	const vs_var_opts w_xh_opts = {.shape = VS_SHAPE(input_dim, HIDDEN)};
	const vs_var_opts w_hh_opts = {.shape = VS_SHAPE(HIDDEN, HIDDEN)};
	const vs_var_opts b_opts = {.shape = VS_SHAPE(HIDDEN), .initializer = VS_INIT(VS_INIT_ZEROS)};
	vs_cm *scope = NULL;
	vs_var *w_xh = NULL, *w_hh = NULL, *b = NULL;
	int rc = vs_variable_scope(&scope, "rnn_cell", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                           err);
	if (rc)
		return rc;
	rc = vs_get_variable(&w_xh, "W_xh", &w_xh_opts, err);
	if (!rc) {
		ex_report(w_xh);
		rc = vs_get_variable(&w_hh, "W_hh", &w_hh_opts, err);
	}
	if (!rc) {
		ex_report(w_hh);
		rc = vs_get_variable(&b, "b", &b_opts, err);
	}
	if (!rc)
		ex_report(b);
	return ex_leave(scope, rc, err);
}

/* logits_t = h_t W + b over the vocabulary, shared the same way */
static int output_layer(vs_error *err)
{
	vs_cm *scope = NULL;
	int rc = vs_variable_scope(&scope, "output", &(vs_varscope_opts){.reuse = VS_REUSE_AUTO},
	                           err);
	if (rc)
		return rc;
	return ex_leave(scope, ex_dense("softmax", HIDDEN, VOCAB, NULL, err), err);
}

static int build(vs_error *err)
{
	vs_var *embedding = NULL;
	int rc;

	ex_step("embedding = tf.get_variable(\"embedding\", [VOCAB, EMBED])");
	rc = vs_get_variable(&embedding, "embedding", &(vs_var_opts){.shape = VS_SHAPE(VOCAB, EMBED)},
	                     err);
	if (rc)
		return rc;
	ex_report(embedding);
	for (int t = 0; t < STEPS && !rc; t++) {
		/* the input of every step is the embedded previous character */
		int64_t input_dim = t == 0 ? EMBED : VOCAB; /* BUG: feeds back the logits */
		ex_step("step %d", t);
		rc = rnn_cell(input_dim, err);
		if (!rc)
			rc = output_layer(err);
	}
	return rc;
}

int main(void)
{
	vs_error err;
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (!rc)
		rc = build(&err);
	return ex_finish(rc, &err);
}
