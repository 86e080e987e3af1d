#!/bin/sh
# t4060-examples-funcgraph.sh: variables made while tracing a function are
# lifted to the outer graph unless lifting is off
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check funcgraph funcgraph_bug_nolift
t_done
