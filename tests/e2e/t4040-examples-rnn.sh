#!/bin/sh
# t4040-examples-rnn.sh: an RNN unrolled under AUTO_REUSE shares its cell; a
# new input width on one step fails (E3)
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check rnn rnn_bug_shape
t_done
