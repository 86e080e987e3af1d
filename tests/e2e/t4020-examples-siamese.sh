#!/bin/sh
# t4020-examples-siamese.sh: make_template shares one tower; a trainable
# tf.Variable inside it fails on the second call (E23)
# shellcheck source=tests/e2e/lib-examples.sh
. "$(dirname "$0")/lib-examples.sh"
ex_check siamese siamese_bug_variable
ex_done
