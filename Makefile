# vstrace - top-level Makefile.
#
#   make                      libvs (static + shared), vstrace, vscheck, examples
#                             (builds only: installs nothing)
#   make deps                 install the system packages the build and the
#                             tests need (scripts/install-deps.sh; root/sudo
#                             only when something is missing)
#   make check                deps, then every test: unit (CUnit), scenarios,
#                             end to end, real-world corpus, Python
#   make python [PYTHON=python3]   the vstrace Python package in $(B)/python (docs/python.md)
#   make demo                 deps, then record two examples, check them,
#                             query a trace
#   make SANITIZE=address,undefined check      (or SANITIZE=thread)
#   make check-valgrind [UNIT_ARGS=suite...]   unit tests under valgrind
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make bench                run the benchmarks (bench/)
#   make bench-peers          vstrace record against uftrace and LTTng-UST on
#                             one workload (bench/peers/; installs them; root)
#   make format               clang-format -i every source (.clang-format)
#   make check-format         list the files `make format` would change; fails
#                             when there is one
#   make check-lint           check-format, and no function over 80 lines
#   make fuzz [FUZZ_TIME=60]  the libFuzzer targets, each for FUZZ_TIME s (fuzz/)
#
# Sources are found by directory, so a new module file needs no edit here:
#   tracer/*.c   -> libvs          (the runtime; never links SQLite or libyaml)
#   store/*.c    -> libvsstore     (SQLite trace format, writer, reader, recorder)
#   scenario/*.c -> libvsscen      (YAML scenario programs)
#   checker/*.c rules/*.c -> libvscheck
#   cli/vstrace.c cli/cmd_*.c -> vstrace;  cli/vscheck.c -> vscheck
#   tests/unit/test_*.c -> one CUnit runner; its suite table is generated.
# Objects go to $(B) (build/, or build/san-<list> with SANITIZE), so several
# configurations can coexist.  A flag change rebuilds (see $(B)/.flags).

PREFIX ?= /usr/local
DESTDIR ?=
SANITIZE ?=
V ?= 0

ifeq ($(SANITIZE),)
B ?= build
else
B ?= build/san-$(subst $(comma),-,$(SANITIZE))
endif
comma := ,

CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

# The curated warning list (one place).  -Wno-unused-parameter: callbacks
# (getters, creators, sink ops) have fixed signatures.
WARNINGS := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 \
            -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
            -Wpointer-arith -Wvla -Wundef -Wcast-qual -Wwrite-strings

# The one version string (vstrace --version, vscheck --version, reports).
VERSION := 0.1.0
SOVERSION := 0

OPT ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) $(WARNINGS) -fPIC -fvisibility=hidden \
               -Iinclude -I. -I$(B)/tests
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_LDFLAGS := -fsanitize=$(SANITIZE)
endif

PKGS := sqlite3 yaml-0.1 cunit
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CFLAGS := $(BASE_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(SAN_LDFLAGS) $(LDFLAGS)
LIBS_RT := -lpthread -lrt
LIBS_SQL := -lsqlite3
LIBS_YAML := -lyaml
LIBS_CUNIT := -lcunit
LIBS_DW := -ldw -lelf

ifeq ($(V),0)
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
else
Q :=
say =
endif

# ---------------------------------------------------------------- sources
TRACER_SRC := $(sort $(wildcard tracer/*.c))
STORE_SRC := $(sort $(wildcard store/*.c))
SCEN_SRC := $(sort $(wildcard scenario/*.c))
CHECK_SRC := $(sort $(wildcard checker/*.c rules/*.c))
VSTRACE_SRC := cli/vstrace.c $(sort $(wildcard cli/cmd_*.c)) $(wildcard cli/clicommon.c)
VSCHECK_SRC := cli/vscheck.c $(wildcard cli/clicommon.c)
UNIT_SRC ?= $(sort $(wildcard tests/unit/test_*.c))
HARNESS_SRC := tests/unit/harness.c tests/unit/stack_nofp.c
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
PROG_SRC := $(sort $(wildcard tests/progs/*.c))
RW_SRC := $(sort $(wildcard tests/realworld/bugs/*.c tests/realworld/ok/*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

obj = $(patsubst %.c,$(B)/%.o,$(1))

LIBVS_A := $(B)/libvs.a
LIBVS_SO := $(B)/libvs.so
LIBSTORE_A := $(B)/libvsstore.a
LIBSCEN_A := $(B)/libvsscen.a
LIBCHECK_A := $(B)/libvscheck.a
VSTRACE := $(B)/vstrace
VSCHECK := $(B)/vscheck
UNIT := $(B)/unit-tests
EXAMPLES := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRC))
BENCHES := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))
PROGS := $(patsubst tests/progs/%.c,$(B)/tests/progs/%,$(PROG_SRC))
RW_PROGS := $(patsubst %.c,$(B)/%,$(RW_SRC))

ALL_SRC := $(TRACER_SRC) $(STORE_SRC) $(SCEN_SRC) $(CHECK_SRC) $(VSTRACE_SRC) \
           $(VSCHECK_SRC) $(UNIT_SRC) $(HARNESS_SRC) $(EXAMPLE_SRC) $(BENCH_SRC) \
           $(PROG_SRC) $(RW_SRC) $(FUZZ_SRC) bench/lib/stack_chain.c
DEPS := $(patsubst %.c,$(B)/%.d,$(ALL_SRC))

BINS := $(if $(wildcard cli/vstrace.c),$(VSTRACE)) $(if $(wildcard cli/vscheck.c),$(VSCHECK))

.PHONY: all deps check check-unit check-valgrind check-scenarios check-e2e check-realworld demo \
        install uninstall bench bench-peers bench-peers-deps clean format check-format check-lint \
        python check-python fuzz fuzz-targets
.DEFAULT_GOAL := all

all: $(LIBVS_A) $(LIBVS_SO) $(BINS) $(EXAMPLES)

# Installs the missing Debian packages; cheap when nothing is missing.
# Plain `make` never calls it; `make check` and `make demo` call it before
# anything is compiled (an order-only prerequisite of $(B)/.flags, which
# every object depends on), so the README's two commands still set up a
# fresh machine.
deps:
	$(Q)sh scripts/install-deps.sh
DEPS_FIRST := $(if $(filter check demo,$(MAKECMDGOALS)),deps)

# Rebuild everything when the flags change.
$(B)/.flags: FORCE | $(DEPS_FIRST)
	$(Q)mkdir -p $(B)
	$(Q)echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS_ALL) $(VERSION)' | cmp -s - $@ || \
		echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS_ALL) $(VERSION)' > $@
.PHONY: FORCE
FORCE:

# Call stacks (docs/recording.md): libvs keeps frame pointers, so the frame
# walk from its public entries is exact; the test programs keep them too
# (and make no sibling calls), so their expected frames are exact.
# (OBJ_CFLAGS / PROG_LDFLAGS are per-target additions: target-specific
# ALL_CFLAGS values would leak into $(B)/.flags through prerequisite
# inheritance and flip it between builds.)
FRAME_CFLAGS := -fno-omit-frame-pointer
$(call obj,$(TRACER_SRC)): OBJ_CFLAGS = $(FRAME_CFLAGS)
$(call obj,$(PROG_SRC) tests/unit/test_tracer_stack.c tests/unit/test_store_symbolize.c \
	bench/bench_stack.c): OBJ_CFLAGS = $(FRAME_CFLAGS) -fno-optimize-sibling-calls
# ... and code built like most users' (-O2, no frame pointers) for the
# unwind cache's tests and benchmark line (docs/recording.md, "Call stacks").
$(call obj,tests/unit/stack_nofp.c tests/progs/stack_nofp.c bench/lib/stack_chain.c): \
	OBJ_CFLAGS = -fomit-frame-pointer
$(B)/cli/%.o: OBJ_CFLAGS = -DVS_VERSION='"$(VERSION)"'

$(B)/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBVS_A): $(call obj,$(TRACER_SRC))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^
# libvs.so carries the SONAME libvs.so.$(SOVERSION) (bump SOVERSION on an
# ABI break); `make install` installs libvs.so.$(VERSION) with the
# libvs.so.$(SOVERSION) and libvs.so links.
$(LIBVS_SO): $(call obj,$(TRACER_SRC))
	$(call say,LD,$@)$(CC) -shared -Wl,-soname,libvs.so.$(SOVERSION) -o $@ $^ $(LDFLAGS_ALL) $(LIBS_RT)
$(LIBSTORE_A): $(call obj,$(STORE_SRC))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^
$(LIBSCEN_A): $(call obj,$(SCEN_SRC))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^
$(LIBCHECK_A): $(call obj,$(CHECK_SRC))
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

# Link order: dependents first (cli -> checker -> rules -> store; scen -> libvs).
ALL_LIBS := $(if $(CHECK_SRC),$(LIBCHECK_A)) $(if $(SCEN_SRC),$(LIBSCEN_A)) \
            $(if $(STORE_SRC),$(LIBSTORE_A)) $(LIBVS_A)
EXT_LIBS := $(LIBS_YAML) $(LIBS_SQL) $(LIBS_DW) $(LIBS_RT) -lm

$(VSTRACE): $(call obj,$(VSTRACE_SRC)) $(ALL_LIBS)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(EXT_LIBS)
$(VSCHECK): $(call obj,$(VSCHECK_SRC)) $(ALL_LIBS)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(EXT_LIBS)

$(B)/examples/%: $(B)/examples/%.o $(LIBVS_A)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS_RT)
# test programs (tests/progs/*.c): small libvs programs the e2e tests record
$(B)/tests/progs/%: $(B)/tests/progs/%.o $(LIBVS_A)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(PROG_LDFLAGS) $(LIBS_RT)
# the shared library the stack tests dlopen (tests/progs/lib/)
$(B)/tests/progs/libstackhelper.so: tests/progs/lib/stack_helper.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(FRAME_CFLAGS) -fno-optimize-sibling-calls -shared \
		-o $@ $< $(LDFLAGS_ALL)
PROGS += $(B)/tests/progs/libstackhelper.so
$(B)/tests/progs/stack_model: PROG_LDFLAGS = -rdynamic -ldl
# the real-world corpus (tests/realworld/{bugs,ok}/*.c), scored by check
$(B)/tests/realworld/%: $(B)/tests/realworld/%.o $(LIBVS_A)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS_RT)
$(B)/bench/bench_stack: $(B)/bench/lib/stack_chain.o
$(B)/bench/%: $(B)/bench/%.o $(ALL_LIBS)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(EXT_LIBS)

# ------------------------------------------------------------------ tests
# The suite table: one VS_SUITE(name) line per tests/unit/test_<name>.c.
# Rewritten only when its content changes, so adding a file relinks.
$(B)/tests/suites.inc: FORCE | $(DEPS_FIRST)
	@mkdir -p $(dir $@)
	$(Q)for f in $(UNIT_SRC); do n=$${f#tests/unit/test_}; echo "VS_SUITE($${n%.c})"; done > $@.tmp
	$(Q)cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(B)/tests/unit/harness.o: $(B)/tests/suites.inc

$(UNIT): $(call obj,$(HARNESS_SRC) $(UNIT_SRC) cli/clicommon.c) $(ALL_LIBS)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LIBS_CUNIT) $(EXT_LIBS)

# The I/O-fault VFS shim the e2e fault loops preload (tests/fault/): test
# code, never linked into the tools; built without sanitizers (it is
# preloaded into sanitized binaries as well).
FAULT_SO := $(B)/tests/fault/vfs_fault.so
$(FAULT_SO): tests/fault/vfs_fault.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARNINGS) -fPIC -shared $(PKG_CFLAGS) \
		-o $@ $< $(LIBS_SQL)

check: $(DEPS_FIRST) all $(UNIT) $(BENCHES) $(PROGS) $(RW_PROGS) python $(FAULT_SO)
	$(Q)B=$(B) SANITIZE='$(SANITIZE)' PYTHON='$(PYTHON)' sh tests/check.sh

check-unit: $(UNIT)
	$(Q)$(UNIT) $(UNIT_ARGS)

# The unit runner under valgrind: memory errors or definite leaks fail.
# CI leaves out store's suites (about 11 minutes under valgrind) and the
# thread stress suites: UNIT_ARGS="-x thread tracer scenario checker rules".
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
            --error-exitcode=9 --child-silent-after-fork=yes
check-valgrind: $(UNIT)
	$(Q)$(VALGRIND) $(UNIT) $(UNIT_ARGS)

check-scenarios: all
	$(Q)B=$(B) sh tests/scenarios/run.sh

check-e2e: all $(PROGS) $(FAULT_SO)
	$(Q)B=$(B) sh tests/e2e/run.sh

check-realworld: $(DEPS_FIRST) all $(RW_PROGS) python
	$(Q)B=$(B) sh tests/realworld/score.sh

demo: $(DEPS_FIRST) all
	$(Q)B=$(B) sh examples/demo.sh

bench: all $(BENCHES)
	$(Q)B=$(B) sh bench/run.sh

# libFuzzer targets (fuzz/fuzz_*.c).  `make fuzz [FUZZ_TIME=seconds]` builds
# them with clang into build/fuzz and runs each for FUZZ_TIME (fuzz/run.sh);
# fuzz-targets is the build step, for B=build/fuzz CC=clang
# SANITIZE=fuzzer-no-link,address,undefined (what fuzz/run.sh passes).
FUZZ_TIME ?= 60
FUZZERS := $(patsubst fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
fuzz:
	$(Q)sh fuzz/run.sh $(FUZZ_TIME)
fuzz-targets: $(FUZZERS)
$(B)/fuzz/%: $(B)/fuzz/%.o $(ALL_LIBS)
	$(call say,LD,$@)$(CC) -o $@ $^ $(LDFLAGS_ALL) -fsanitize=fuzzer $(EXT_LIBS)

# ----------------------------------------------------------------- python
# The CPython extension vstrace._vs (python/_vs.c + the libvs objects, one
# self-contained .so) and the pure-Python package, assembled in $(B)/python
# so that PYTHONPATH=$(B)/python imports vstrace.  See docs/python.md.
PYTHON ?= python3
PY_INC := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PY_EXT := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PY_PKG_SRC := $(sort $(shell find python/vstrace -name '*.py' 2>/dev/null))
PY_PKG := $(patsubst python/%,$(B)/python/%,$(PY_PKG_SRC))
PY_SO := $(B)/python/vstrace/_vs$(PY_EXT)

python: $(PY_SO) $(PY_PKG)
$(PY_SO): python/_vs.c $(wildcard include/vs/*.h) tracer/map.h $(call obj,$(TRACER_SRC)) $(B)/.flags
	@mkdir -p $(dir $@)
	$(call say,PYEXT,$@)$(CC) $(filter-out -Wcast-qual -Wstrict-prototypes,$(ALL_CFLAGS)) \
		-Wno-missing-field-initializers -isystem $(PY_INC) -shared -o $@ python/_vs.c \
		$(call obj,$(TRACER_SRC)) $(LDFLAGS_ALL) $(LIBS_RT)
$(B)/python/%.py: python/%.py
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

check-python: all python
	$(Q)B=$(B) SANITIZE='$(SANITIZE)' PYTHON='$(PYTHON)' sh tests/python/run.sh

# ---------------------------------------------------------- peers benchmark
# Never part of `make check`.  bench/peers/deps.sh installs uftrace, LTTng
# and babeltrace2 (apt-get, root); bench/peers/run.sh runs the workload
# untraced, under `vstrace record`, under uftrace (-pg build) and with
# LTTng-UST tracepoints (its own lttng-sessiond), and prints one table.
# The LTTng flags are read when that binary is built, never at parse time.
PEERS := $(B)/bench/peers
PEERS_BINS := $(PEERS)/workload $(PEERS)/workload-pg $(PEERS)/workload-lttng
bench-peers-deps:
	$(Q)sh bench/peers/deps.sh
$(PEERS)/workload: bench/peers/workload.c $(LIBVS_A) | bench-peers-deps
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBVS_A) $(LDFLAGS_ALL) $(LIBS_RT)
$(PEERS)/workload-pg: bench/peers/workload.c $(LIBVS_A) | bench-peers-deps
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -DVSB_UFTRACE -pg -o $@ $< $(LIBVS_A) \
		$(LDFLAGS_ALL) $(LIBS_RT)
$(PEERS)/workload-lttng: bench/peers/workload.c bench/peers/vsb_tp.c bench/peers/vsb_tp.h \
                         $(LIBVS_A) | bench-peers-deps
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -DVSB_LTTNG $$(pkg-config --cflags lttng-ust) -o $@ \
		bench/peers/workload.c bench/peers/vsb_tp.c $(LIBVS_A) $(LDFLAGS_ALL) \
		$$(pkg-config --libs lttng-ust) $(LIBS_RT)
bench-peers: all $(PEERS_BINS)
	$(Q)B=$(B) sh bench/peers/run.sh

# ---------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/vs \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man3 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBVS_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBVS_SO) $(DESTDIR)$(PREFIX)/lib/libvs.so.$(VERSION)
	ln -sf libvs.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libvs.so.$(SOVERSION)
	ln -sf libvs.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libvs.so
	install -m 644 include/vs/*.h $(DESTDIR)$(PREFIX)/include/vs/
	sed -e 's|@PREFIX@|$(PREFIX)|g' scripts/libvs.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libvs.pc
	for m in docs/man/*.1; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	for m in docs/man/*.3; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man3/; done; true
	for m in docs/man/*.5; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man5/; done; true
	# the Python package when it was built (make python): `vstrace record`
	# finds it at PREFIX/lib/vstrace/python by itself
	if [ -f $(B)/python/vstrace/__init__.py ]; then \
		install -d $(DESTDIR)$(PREFIX)/lib/vstrace/python && \
		cp -R $(B)/python/vstrace $(DESTDIR)$(PREFIX)/lib/vstrace/python/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vstrace $(DESTDIR)$(PREFIX)/bin/vscheck \
		$(DESTDIR)$(PREFIX)/lib/libvs.a $(DESTDIR)$(PREFIX)/lib/libvs.so \
		$(DESTDIR)$(PREFIX)/lib/libvs.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libvs.so.$(VERSION) \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/libvs.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/vs $(DESTDIR)$(PREFIX)/lib/vstrace
	for m in docs/man/*.1; do rm -f $(DESTDIR)$(PREFIX)/share/man/man1/$${m##*/}; done
	for m in docs/man/*.3; do rm -f $(DESTDIR)$(PREFIX)/share/man/man3/$${m##*/}; done
	for m in docs/man/*.5; do rm -f $(DESTDIR)$(PREFIX)/share/man/man5/$${m##*/}; done

# What `make format` and `make check-format` cover.
# The library and tool sources; examples/ and tests/ keep their hand layout
# (tests and docs quote their line numbers).
FORMAT_SRC := $(sort $(wildcard tracer/*.[ch] store/*.[ch] scenario/*.[ch] checker/*.[ch] \
                                rules/*.[ch] cli/*.[ch] python/*.c include/vs/*.h \
                                include/vs/internal/*.h))
format:
	$(Q)clang-format -i $(FORMAT_SRC)
check-format:
	$(Q)bad=0; for f in $(FORMAT_SRC); do \
		clang-format "$$f" | cmp -s - "$$f" || { echo "$$f"; bad=1; }; \
	done; \
	[ $$bad -eq 0 ] || { echo "check-format: the files above differ from clang-format (make format)"; exit 1; }

# No function outside tests longer than 80 lines unless the comment above it
# says why ("long: ..."): scripts/check-function-length.py.
LINT_SRC := $(sort $(wildcard tracer/*.c store/*.c scenario/*.c checker/*.c rules/*.c cli/*.c python/*.c))
check-lint: check-format
	$(Q)python3 scripts/check-function-length.py $(LINT_SRC)

clean:
	rm -rf build

-include $(DEPS)
