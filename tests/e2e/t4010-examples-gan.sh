#!/bin/sh
# t4010-examples-gan.sh: the GAN shares its discriminator; forgetting
# reuse=True (E1) or poisoning the root scope (E2 at the optimizer) dies like
# TF
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
ex_check gan gan_bug_noreuse gan_bug_rootreuse
t_done
