# slsim - build, test, benchmark.
#
#   make run      install missing dependencies, build, run the quickstart scenario
#   make check    install missing dependencies, build, run every test
#   make bench    throughput and memory against a minimal reference loop
#   make fuzz     build the libFuzzer targets (clang) and run each FUZZ_SECONDS (default 60)
#   make install PREFIX=/usr/local
#   make paper-table  regenerate the README's "Published results" from `slsim paper`
#
# SANITIZE=1 builds everything (into build-san/) with AddressSanitizer and
# UndefinedBehaviorSanitizer; WERROR=1 turns warnings into errors (CI sets both in turn).

CC       ?= cc
PREFIX   ?= /usr/local
PKGS     := gsl yaml-0.1 libcjson
VERSION  := 0.1.0

ifeq ($(SANITIZE),1)
BUILD    := build-san
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
else
BUILD    := build
OPT      := -O2 -g
LDSAN    :=
endif

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
ifeq ($(WERROR),1)
WARN     += -Werror
endif

# Open MPI (Debian libopenmpi-dev) is optional: with it `mpirun -np N slsim sweep`
# shares a sweep among N processes; without it slsim builds the same and refuses to
# run under mpirun. MPI=0 builds without it even where it is installed.
ifneq ($(MPI),0)
MPI_PKG   := $(shell pkg-config --exists ompi-c 2>/dev/null && echo ompi-c)
endif
ifneq ($(MPI_PKG),)
CPPFLAGS += -DSLSIM_HAVE_MPI
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(MPI_PKG) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) $(MPI_PKG) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

CPPFLAGS += -DSLSIM_DATADIR='"$(PREFIX)/share/slsim"' -Iinclude -DHAVE_INLINE -D_POSIX_C_SOURCE=200809L -DSLSIM_VERSION='"$(VERSION)"' -MMD -MP
CFLAGS   += -pthread -std=c11 $(OPT) $(WARN) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(sort $(wildcard sim/*/*.c)) $(filter-out sim/main.c,$(wildcard sim/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/default_catalog.o
MAIN_OBJ := $(BUILD)/obj/sim/main.o
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libslsim.a
BIN      := $(BUILD)/slsim

.PHONY: all deps run check tests bench install clean fuzz fuzz-build plots report-shot paper-table
all: $(BIN)

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The default pricing catalog is compiled in, so an installed slsim needs no data files.
$(BUILD)/gen/default_catalog.c: scenarios/pricing/default.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $< slsim_default_catalog > $@

$(BUILD)/obj/gen/default_catalog.o: $(BUILD)/gen/default_catalog.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests -o $@ $< $(LIB) $(LDSAN) $(LDLIBS) $(CRIT_LIBS)

tests: $(TEST_BIN) $(BIN)

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) run scenarios/quickstart.yaml

# The layering of sim/ is checked first (docs/ARCHITECTURE.md, "Layers"). Every test
# binary runs, even after a failure; the last line sums them up. The
# plain build then runs each fuzz target for a few seconds, where clang has libFuzzer
# (the sanitizer build would only repeat the fuzz build, which has the sanitizers).
check: deps
	@scripts/check-layers.sh --self-test
	@scripts/check-layers.sh
	@$(MAKE) --no-print-directory tests
	@SLSIM=$(CURDIR)/$(BIN) scripts/run-tests.sh $(TEST_BIN)
ifneq ($(SANITIZE),1)
	@if tests/fuzz/run.sh --probe $(FUZZ_CC); then \
	    FUZZ_FRESH=1 $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS); \
	else \
	    echo "fuzz: skipped (no clang libFuzzer)"; \
	fi
endif

# The pictures the README shows (gnuplot), one of each kind, redrawn from the
# scenarios they name.
plots: deps
	@$(MAKE) --no-print-directory $(BIN)
	@mkdir -p docs/plots
	$(BIN) run scenarios/quickstart.yaml --quiet --plot docs/plots/latency.svg --force > /dev/null
	$(BIN) run scenarios/quickstart.yaml --quiet --plot docs/plots/timeline.svg \
	    --plot-kind timeline --force > /dev/null
	$(BIN) compare scenarios/examples/hybrid-overflow.yaml --quiet --duty-cycles 0.05:1:0.05 \
	    --plot docs/plots/cost-duty.svg --force > /dev/null
	$(BIN) run scenarios/examples/gpu-vision-batching.yaml --quiet --set duration=2h \
	    --set workload.spikes= --plot docs/plots/batch.svg --plot-kind batch --force > /dev/null
	$(BIN) run scenarios/examples/llm-chat.yaml --quiet --set duration=20m \
	    --plot docs/plots/ttft.svg --plot-kind ttft --force > /dev/null
	$(BIN) run scenarios/examples/llm-chat.yaml --quiet --set duration=20m \
	    --plot docs/plots/tpot.svg --plot-kind tpot --force > /dev/null
	$(BIN) sweep scenarios/quickstart.yaml --quiet --set duration=2d --set workload.spikes= \
	    --vary 'deployments.lambda.keep_alive=1m..1h*7' --replications 3 \
	    --plot docs/plots/sweep.svg --force > /dev/null
	$(BIN) plan scenarios/examples/lambda-memory.yaml --quiet \
	    --over 'deployments.mem-1024.memory=128MiB..10GiB*16' \
	    --subject-to 'latency_ms.p99<=1s' --plot docs/plots/pareto.svg --force > /dev/null

# The picture of an --html page the README shows: the quickstart's page rendered by
# headless Chromium (Debian `chromium`; not needed by the tests, so not installed by
# the set-up script).
report-shot: deps
	@$(MAKE) --no-print-directory $(BIN)
	@command -v chromium >/dev/null 2>&1 || { \
	    echo "report-shot needs chromium: apt-get install chromium" >&2; exit 2; }
	@mkdir -p docs/plots
	$(BIN) run scenarios/quickstart.yaml --quiet --html $(BUILD)/quickstart.html --force > /dev/null
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1600 \
	    --screenshot=$(CURDIR)/docs/plots/report.png file://$(CURDIR)/$(BUILD)/quickstart.html \
	    2> /dev/null

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	@scripts/bench/run.sh $(BIN)

# Fuzzing (tests/fuzz/): the library built with clang's libFuzzer coverage and
# AddressSanitizer + UndefinedBehaviorSanitizer into build-fuzz/, one program per
# target, each run for FUZZ_SECONDS on a copy of its seed corpus. Crash files land
# in build-fuzz/crashes/<target>/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 3
FUZZ_BUILD   := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -pthread -std=c11 -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                $(filter-out -Werror,$(WARN)) $(PKG_CFLAGS)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen/default_catalog.o
FUZZ_LIB     := $(FUZZ_BUILD)/libslsim.a
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/gen/default_catalog.c: scenarios/pricing/default.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $< slsim_default_catalog > $@

$(FUZZ_BUILD)/obj/gen/default_catalog.o: $(FUZZ_BUILD)/gen/default_catalog.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_trace.h $(FUZZ_LIB)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# `slsim paper` finds the papers' claims and scenarios in ../share/slsim/paper beside
# the installed binary (or under the PREFIX it was built for).
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/slsim
	for d in scenarios/paper/*/; do \
	  n=$$(basename $$d); \
	  install -d $(DESTDIR)$(PREFIX)/share/slsim/paper/$$n && \
	  install -m 644 $$d*.yaml $(DESTDIR)$(PREFIX)/share/slsim/paper/$$n/ || exit 1; \
	done

# The README's "Published results" tables, regenerated from `slsim paper` (never edited
# by hand): the text between the markers is replaced.
paper-table: $(BIN)
	scripts/paper-table.sh $(BIN) README.md

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
