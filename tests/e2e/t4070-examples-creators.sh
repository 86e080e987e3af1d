#!/bin/sh
# t4070-examples-creators.sh: creator chains run on creation only, custom
# getters on every get_variable; a creator that returns nothing fails
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check creators creators_bug_nodelegate
t_done
