# odrescue: GNU Make. `make` builds ./odrescue; `make check` runs every test
# tier this machine can run; `make static` builds rescue-media binaries.
CC       ?= cc
PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN) $(if $(WERROR),-Werror)
CPPFLAGS += -D_GNU_SOURCE -I.
B        := build

SRC   := $(wildcard src/*.c hw/*.c hw/sim/*.c recovery/*.c)
LIBSRC := $(filter-out src/entry.c,$(SRC))
OBJ   := $(SRC:%.c=$(B)/%.o)
LIBOBJ := $(LIBSRC:%.c=$(B)/%.o)

TEST_SRC := $(filter-out tests/runner.c,$(wildcard tests/*.c tests/unit/*.c tests/qtest/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

.PHONY: all check unit qtest vm static demo bench install clean fuzz
all: odrescue

odrescue: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

# The runner gets its suite list from the suite_*() definitions in tests/.
$(B)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@grep -ho '^Suite \*suite_[a-z0-9_]*(void)' $(TEST_SRC) | sort | \
	  sed 's/^Suite \*\(suite_[a-z0-9_]*\)(void)/SUITE(\1)/' > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: tests/runner.c $(B)/tests/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -I$(B)/tests $(CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/runner: $(B)/tests/runner.o $(TEST_OBJ) $(LIBOBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS)

check: odrescue $(B)/runner
	@pkg-config --exists check || { echo "Check not found: apt-get install check pkg-config"; exit 1; }
	ODRESCUE=./odrescue $(B)/runner
	@if [ -x tests/vm/run.sh ]; then tests/vm/run.sh; fi

# Static binaries for rescue media (users-linux.md section 5).
static: odrescue-x86_64 odrescue-i686
odrescue-x86_64: $(SRC)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m64 -static -o $@ $(SRC)
odrescue-i686: $(SRC)
	$(CC) $(CPPFLAGS) $(CFLAGS) -m32 -static -o $@ $(SRC)

demo: odrescue
	./odrescue -p sim:clock=real scan
	./odrescue -p sim:clock=real identify 3

install: odrescue
	install -D -m 0755 odrescue $(DESTDIR)$(SBINDIR)/odrescue
	install -D -m 0644 docs/odrescue.8 $(DESTDIR)$(MANDIR)/man8/odrescue.8

clean:
	rm -rf $(B) odrescue odrescue-x86_64 odrescue-i686

-include $(OBJ:.o=.d) $(TEST_OBJ:.o=.d)
