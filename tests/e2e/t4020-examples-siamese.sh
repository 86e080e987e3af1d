#!/bin/sh
# t4020-examples-siamese.sh: make_template shares one tower; a trainable
# tf.Variable inside it fails on the second call (E23)
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check siamese siamese_bug_variable
t_done
