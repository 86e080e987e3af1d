/* SPDX-License-Identifier: MIT */
/*
 * tests/realworld/bugs/b28-seq2seq-model-twice.c - the chatbot course builds
 * its seq2seq model once per use in one graph.
 *
 * source: https://github.com/lcdevelop/ChatBotCourse/issues/11
 * get_model() calls embedding_attention_seq2seq(), whose variables live in
 * the scope "embedding_attention_seq2seq".  The script calls get_model()
 * for training and calls it again to predict, in the same default graph
 * and without reuse: "Variable embedding_attention_seq2seq/rnn/
 * embedding_wrapper/embedding already exists, disallowed".  The line to fix
 * is the second get_model() call (reuse the first model, or build it under
 * reuse=True).
 */
#include "examples/common.h"

/* legacy_seq2seq.embedding_attention_seq2seq(): encoder embedding + cell */
static int embedding_attention_seq2seq(vs_error *err)
{
	vs_cm *top = NULL, *rnn = NULL;
	vs_var *v = NULL;
	int rc = vs_variable_scope(&top, "embedding_attention_seq2seq", NULL, err);
	if (rc < 0)
		return rc;
	rc = vs_variable_scope(&rnn, "rnn", NULL, err);
	if (rc >= 0) {
		rc = vs_get_variable(&v, "embedding_wrapper/embedding",
		                     &(vs_var_opts){.shape = VS_SHAPE(40000, 512)}, err);
		if (rc >= 0)
			rc = vs_get_variable(&v, "gru_cell/kernel",
			                     &(vs_var_opts){.shape = VS_SHAPE(1024, 1024)}, err);
		rc = ex_leave(rnn, rc, err);
	}
	return ex_leave(top, rc, err);
}

/* get_model(): placeholders, the model, the loss */
static int get_model(vs_error *err)
{
	return embedding_attention_seq2seq(err);
}

int main(void)
{
	vs_error err;
	int rc;

	vs_error_init(&err);
	rc = ex_configure(EX_GRAPH, &err);
	if (rc >= 0)
		rc = get_model(&err); /* train */
	if (rc >= 0)
		rc = get_model(&err); /* predict: EXPECT: any */
	return ex_finish(rc, &err);
}
