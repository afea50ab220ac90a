# odrescue: GNU Make. `make` builds ./odrescue; `make check` runs every test
# tier this machine can run; `make static` builds rescue-media binaries.
CC       ?= cc
PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/odrescue
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN) $(if $(WERROR),-Werror)
CPPFLAGS += -D_GNU_SOURCE -I.
B        ?= build
BIN      ?= odrescue
VM       ?= 1

SRC   := $(wildcard src/*.c hw/*.c hw/sim/*.c recovery/*.c)
LIBSRC := $(filter-out src/entry.c,$(SRC))
OBJ   := $(SRC:%.c=$(B)/%.o)
LIBOBJ := $(LIBSRC:%.c=$(B)/%.o)

TEST_SRC := $(filter-out tests/runner.c,$(wildcard tests/*.c tests/unit/*.c tests/qtest/*.c tests/faults/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)
# Asked of pkg-config when first used, not when the Makefile is read: in
# `make deps check` on a fresh machine Check is installed only by deps.
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(shell pkg-config --cflags check 2>/dev/null))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(shell pkg-config --libs check 2>/dev/null))$(CHECK_LIBS)
# With deps on the same command line, nothing that needs Check starts before it (make -j).
AFTER_DEPS := $(filter deps,$(MAKECMDGOALS))

.PHONY: all check unit qtest vm static demo bench install clean fuzz fuzz-build fuzz-run deps ci sanitize analyze
all: $(BIN)

$(BIN): $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c $(B)/tests/suites.h | $(AFTER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -I$(B)/tests -include tests/suite_decl.h $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

# The runner gets its suite list from the suite_*() definitions in tests/.
$(B)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@grep -ho '^Suite \*suite_[a-z0-9_]*(void)' $(TEST_SRC) | sort | \
	  sed 's/^Suite \*\(suite_[a-z0-9_]*\)(void)/SUITE(\1)/' > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: tests/runner.c $(B)/tests/suites.h | $(AFTER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -I$(B)/tests $(CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/runner: $(B)/tests/runner.o $(TEST_OBJ) $(LIBOBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# Test images for the demo and the benchmarks (not installed).
$(B)/mkfw: $(B)/tests/tools/mkfw.o $(LIBOBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/tests/tools/%.o: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

check: $(BIN) $(B)/runner
	@pkg-config --exists check || { echo "Check not found: make deps (apt-get install check pkg-config)"; exit 1; }
	ODRESCUE=./$(BIN) $(B)/runner
	@if [ "$(VM)" = 1 ] && [ -x tests/vm/run.sh ]; then tests/vm/run.sh; fi

# Everything the tests need on a fresh Debian machine (run as root).
DEPS := build-essential clang libclang-rt-dev check pkg-config qemu-system-x86 cpio gcc-multilib busybox-static cppcheck clang-tidy file groff-base bash
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEPS)

# The unit and qtest tiers again under ASan+UBSan, with gcc and with clang.
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize:
	$(MAKE) B=build-asan-gcc BIN=build-asan-gcc/odrescue CC=gcc CFLAGS="$(SAN)" VM=0 check
	$(MAKE) B=build-asan-clang BIN=build-asan-clang/odrescue CC=clang CFLAGS="$(SAN)" VM=0 check

# Static analysis that finds real bugs; a finding fails the build.
analyze:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --std=c11 -D_GNU_SOURCE -I. src hw recovery
	clang-tidy --quiet $(SRC) -- -std=c11 -D_GNU_SOURCE -I.
	@# design.md's layers: hw/ below recovery/ below src/, and only src/ prints
	tests/tools/layers.sh
	@# the man page: groff's warnings are findings too
	@out=$$(groff -man -ww -z docs/odrescue.8 2>&1); [ -z "$$out" ] || { echo "$$out"; exit 1; }

# What CI runs after the README's `sudo make deps check` (.ci/run runs both):
# -Werror builds with both compilers, sanitizers, analysis, fuzzing.
ci:
	$(MAKE) WERROR=1 CC=clang B=build-clang BIN=build-clang/odrescue
	$(MAKE) WERROR=1 static
	$(MAKE) WERROR=1 sanitize
	$(MAKE) analyze
	$(MAKE) WERROR=1 fuzz FUZZ_SECONDS=60

# Static binaries for rescue media (users-linux.md section 5), stripped for
# the stick; their symbols stay in FILE.debug, which gdb finds by debuglink.
static: odrescue-x86_64 odrescue-i686
define strip_keep_debug
	objcopy --only-keep-debug $@ $@.debug
	objcopy --strip-all --add-gnu-debuglink=$@.debug $@
endef
odrescue-x86_64: $(SRC)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m64 -static -o $@ $(SRC)
	$(strip_keep_debug)
# The VM tier's raw-read timer (tests/tools/rawread.c), static like the tool.
$(B)/rawread-x86_64: tests/tools/rawread.c $(LIBSRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m64 -static -o $@ $^
# The VM tier's SG_IO ATA PASS-THROUGH probe (tests/tools/satprobe.c).
$(B)/satprobe-x86_64: tests/tools/satprobe.c $(LIBSRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m64 -static -o $@ $^
# The VM tier's per-command timer (tests/tools/tfbench.c): a non-data command through each taskfile transport.
$(B)/tfbench-x86_64: tests/tools/tfbench.c $(LIBSRC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m64 -static -o $@ $^
odrescue-i686: $(SRC)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m32 -static -o $@ $(SRC)
	$(strip_keep_debug)

# The main job on the simulator: dump, flash with backup and verify, and the
# Case 2 hot-plug rescue of a dead drive (virtual clock: a few seconds).
DEMO := $(B)/demo
demo: $(BIN) $(B)/mkfw
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(B)/mkfw $(DEMO)/SOHW-1653S_CS0Q.hex 512 LITE-ON "DVDRW SOHW-1653S" CS0Q 1
	./$(BIN) info $(DEMO)/SOHW-1653S_CS0Q.hex
	./$(BIN) -p sim:state=$(DEMO)/drive.bin scan
	./$(BIN) -p sim:state=$(DEMO)/drive.bin dump 3 $(DEMO)/before.bin
	./$(BIN) -p sim:state=$(DEMO)/drive.bin flash 3 $(DEMO)/SOHW-1653S_CS0Q.hex --yes --backup $(DEMO)/backup.bin
	./$(BIN) -p sim:state=$(DEMO)/drive.bin verify 3 $(DEMO)/SOHW-1653S_CS0Q.hex
	./$(BIN) -p sim:scenario=hotplug,swap=1,state=$(DEMO)/dead.bin rescue 3 $(DEMO)/SOHW-1653S_CS0Q.hex --yes --backup $(DEMO)/dead-backup.bin

# Cost of dump and flash on the simulator's virtual clock, next to the floor
# of the same model (bench/bench.c says how the floor is counted).
$(B)/odrescue-bench: $(B)/bench/bench.o $(LIBOBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

bench: $(BIN) $(B)/odrescue-bench
	$(B)/odrescue-bench ./$(BIN)
	@# raw PIO READ(10) against the kernel's PIO path, and one non-data command through each
	@# taskfile transport (tests/tools/tfbench.c), in the VM (needs QEMU; skipped without)
	@if [ -x tests/vm/run.sh ]; then tests/vm/run.sh 2>&1 | sed -n 's/^VMTEST INFO \(read 8 MiB.*\)/\1/p; s/^VMTEST INFO cost: \(.*\)/\1/p; s/^vm: SKIP/vm: SKIP/p'; fi

# libFuzzer targets (tests/fuzz/fuzz_*.c), each run FUZZ_SECONDS with its seed
# corpus; what a run finds is kept in $(B)/corpus (make fuzz uses build-fuzz).
# libFuzzer and the sanitizer runtimes come with Debian's libclang-rt-dev.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_CFLAGS := -O1 -g -std=c11 $(WARN) $(if $(WERROR),-Werror) -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
fuzz:
	@command -v clang >/dev/null || { echo "fuzz: clang not found (make deps installs it)"; exit 1; }
	@mkdir -p build-fuzz
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d && n && 0); }\n' \
	  >build-fuzz/probe.c
	@clang -fsanitize=fuzzer,address,undefined -o build-fuzz/probe build-fuzz/probe.c 2>build-fuzz/probe.log || \
	  { cat build-fuzz/probe.log; echo "fuzz: clang cannot link libFuzzer (-fsanitize=fuzzer): its runtime is missing (make deps installs libclang-rt-dev)"; exit 1; }
	$(MAKE) B=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" fuzz-run

fuzz-build: $(FUZZ_TARGETS:%=$(B)/%)

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(LIBOBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -MMD -MP -MF $@.d -o $@ $(filter %.c %.o,$^)

# One line per target: executions, seconds and rate from libFuzzer's final stats.
fuzz-run: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(B)/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  start=$$(date +%s); \
	  ./$(B)/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=60 -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix=$(CURDIR)/$(B)/$$t- $(CURDIR)/$(B)/corpus/$$t $(CURDIR)/tests/fuzz/corpus/$$t \
	    2>$(B)/$$t.log || { tail -n 40 $(B)/$$t.log; echo "fuzz: $$t FAILED (log $(B)/$$t.log)"; exit 1; }; \
	  secs=$$(( $$(date +%s) - start )); \
	  execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(B)/$$t.log); \
	  rss=$$(sed -n 's/^stat::peak_rss_mb: *//p' $(B)/$$t.log); \
	  cov=$$(grep -o 'cov: [0-9]*' $(B)/$$t.log | tail -n 1); \
	  echo "fuzz: $$t: $$execs executions in $$secs s ($$(( execs / (secs ? secs : 1) ))/s), $$cov, peak RSS $$rss MB, no crash"; \
	done

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/odrescue
	install -D -m 0644 docs/odrescue.8 $(DESTDIR)$(MANDIR)/man8/odrescue.8
	install -D -m 0644 completion/odrescue.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/odrescue
	install -D -m 0644 docs/recovery.md $(DESTDIR)$(DOCDIR)/recovery.md

clean:
	rm -rf build build-* odrescue odrescue-x86_64 odrescue-i686 odrescue-*.debug

-include $(OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(wildcard $(B)/fuzz_*.d) $(B)/bench/bench.d
