# wijkbeeld — build with plain make.
#   make            release build: build/release/wijkbeeld and libwijkbeeld.a
#   make check      AddressSanitizer + UBSan build, then every test
#   make demo       install dependencies, build, create the demo database, run the main job
#   make bench      benchmarks (bench/)
#   make fuzz       libFuzzer targets with clang: build/fuzz/fuzzers/<target> (docs/fuzzing.md)
#   make install    the release program, dashboard, models and backup script under PREFIX
#                   (default /usr/local; docs/deploy.md)
#   BUILD=dir       put objects elsewhere (parallel builds in one tree)
SHELL    := /bin/bash
.DEFAULT_GOAL := all
CC       ?= cc
PKGS     := sqlite3 gdal proj jansson libmicrohttpd libsodium zlib
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
BASEFLAGS:= -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -Itests $(WARN) -pthread
SHARED   ?= $(abspath $(CURDIR)/../shared/data)
DB       ?= wijkbeeld.db
PORT     ?= 8080

MODE     ?= release
ifeq ($(MODE),asan)
  OPT    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(MODE),fuzz)
  CC     := clang
  OPT    := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
            -Wno-unknown-warning-option \
            -fno-omit-frame-pointer -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
else ifeq ($(MODE),debug)
  OPT    := -O0 -g
else
  OPT    := -O2 -g
endif
BUILD    ?= build/$(MODE)

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(BASEFLAGS) $(OPT) $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(sort $(wildcard src/core/*.c src/io/*.c src/geo/*.c src/stats/*.c src/store/*.c src/collab/*.c src/web/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c tests/*/*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))
# fuzz targets (fuzz/<target>.c) and their helpers; the test runner replays their corpora
FUZZ_SRC := $(sort $(filter-out fuzz/standalone.c,$(wildcard fuzz/*.c)))
FUZZ_NAMES := $(basename $(notdir $(filter-out fuzz/common.c,$(FUZZ_SRC))))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o) $(FUZZ_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libwijkbeeld.a
BIN      := $(BUILD)/wijkbeeld
TESTBIN  := $(BUILD)/wbtest
BENCHBIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

tests: $(TESTBIN)

.PHONY: all tests check test demo bench clean deps deps-check deps-all headertest format fuzz fuzz-targets fuzz-standalone install
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# libFuzzer: the library and targets built by clang with coverage and ASan + UBSan.
fuzz:
	@bash scripts/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory MODE=fuzz fuzz-targets

fuzz-targets: $(FUZZ_NAMES:%=$(BUILD)/fuzzers/%)

$(BUILD)/fuzzers/%: fuzz/%.c $(BUILD)/fuzz/common.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DWBF_LIBFUZZER -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/common.o $(LIB) $(LDLIBS)

# Replays files through a target without libFuzzer (gcc): make MODE=asan fuzz-standalone
fuzz-standalone: $(BUILD)/fuzz/standalone

$(BUILD)/fuzz/standalone: fuzz/standalone.c $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(CFLAGS) -o $@ $< $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(LIB) $(LDLIBS)

deps:
	@bash scripts/install-deps.sh

# the tests also need Debian's chromium and playwright-core (browser tests)
deps-check:
	@bash scripts/install-deps.sh --browser

deps-all:
	@bash scripts/install-deps.sh --reference --browser

# The public headers must compile on their own, strictly (as libgit2's headertest).
headertest:
	@for h in include/wijkbeeld.h include/wijkbeeld/*.h; do \
	  printf '#include "%s"\nint main(void){return 0;}\n' "$$h" | \
	  $(CC) -std=c11 -Wall -Wextra -pedantic -Werror -Iinclude -x c - -o /dev/null || exit 1; \
	done; echo "headertest: all public headers compile alone"

# make check: the sanitizer build and every test. Prints 'N passed, N failed, N skipped'.
check: deps-check
	@$(MAKE) --no-print-directory MODE=asan headertest
	@$(MAKE) --no-print-directory MODE=asan -j$$(nproc) all tests
	@$(MAKE) --no-print-directory MODE=asan test

test: $(BIN) $(TESTBIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 WB_BIN=$(abspath $(BIN)) WB_SHARED=$(SHARED) WB_ROOT=$(CURDIR) WB_TMP=$(abspath $(BUILD))/tmp \
	 $(TESTBIN) $(TESTARGS)

demo: deps
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@SHARED=$(SHARED) DB=$(DB) PORT=$(PORT) BIN=$(BIN) bash scripts/demo.sh

bench: $(BIN) $(BENCHBIN)
	@SHARED=$(SHARED) BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) bash bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# docs/deploy.md: the program, the dashboard files, the score models and the backup script
PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/wijkbeeld $(DESTDIR)$(PREFIX)/lib/wijkbeeld
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wijkbeeld
	rm -rf $(DESTDIR)$(PREFIX)/share/wijkbeeld/web $(DESTDIR)$(PREFIX)/share/wijkbeeld/models
	cp -R web models $(DESTDIR)$(PREFIX)/share/wijkbeeld/
	chmod -R a+rX,go-w $(DESTDIR)$(PREFIX)/share/wijkbeeld
	install -m 755 contrib/wijkbeeld-backup $(DESTDIR)$(PREFIX)/lib/wijkbeeld/wijkbeeld-backup

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
