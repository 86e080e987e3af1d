#!/bin/sh
# t4030-examples-towers.sh: tower threads share the graph's store through the
# captured scope; threads that skip it collide (E1)
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check towers towers_bug_noreenter
t_done
