# slsim - build, test, benchmark.
#
#   make run      install missing dependencies, build, run the quickstart scenario
#   make check    install missing dependencies, build, run every test
#   make bench    throughput and memory against a minimal reference loop
#   make install PREFIX=/usr/local
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

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

CPPFLAGS += -Iinclude -DHAVE_INLINE -D_POSIX_C_SOURCE=200809L -DSLSIM_VERSION='"$(VERSION)"' -MMD -MP
CFLAGS   += -pthread -std=c11 $(OPT) $(WARN) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(sort $(wildcard sim/*/*.c)) $(filter-out sim/main.c,$(wildcard sim/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/default_catalog.o
MAIN_OBJ := $(BUILD)/obj/sim/main.o
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libslsim.a
BIN      := $(BUILD)/slsim

.PHONY: all deps run check tests bench install clean
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

# Every test binary runs, even after a failure; the last line sums them up.
check: deps
	@$(MAKE) --no-print-directory tests
	@SLSIM=$(CURDIR)/$(BIN) scripts/run-tests.sh $(TEST_BIN)

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	@scripts/bench/run.sh $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/slsim

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
