#!/bin/sh
# t4050-examples-eager.sh: eager get_variable shares only inside an
# EagerVariableStore; without one every call makes new variables
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check eager eager_bug_nostore
t_done
