# headroom -- see README.md. `make` builds ./headroom; `make check` runs the
# tests (installing missing Debian packages first); `make asan` runs them
# under AddressSanitizer + UndefinedBehaviorSanitizer.

CC      ?= cc
BUILD   ?= build
PKGS    := gsl hdf5 jansson inih zlib yajl libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
ifeq ($(CI),true)
WARN    += -Werror
endif
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2
CFLAGS  := -std=c11 $(OPT) -g -fopenmp $(WARN) -D_GNU_SOURCE -MMD -MP $(PKG_CFLAGS) \
           -Iengine -Imodels -Ireports $(EXTRA_CFLAGS)
LDLIBS  := -fopenmp $(PKG_LIBS) -lcsv -lm $(EXTRA_LDFLAGS)

# The command line (engine/main.c, engine/cli*.c) is the program's own;
# everything else is the library the tests and benches link.
CLI_SRC := engine/main.c $(wildcard engine/cli*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB_SRC := $(filter-out $(CLI_SRC),$(wildcard engine/*.c)) $(wildcard models/*.c) $(wildcard reports/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
HEADROOM := $(if $(filter build,$(BUILD)),headroom,$(BUILD)/headroom)

.DEFAULT_GOAL := all
.SECONDARY:
.PHONY: all deps check check-run asan bench demo clean golden screenshots mpi faults fuzz fuzz-build
# The demo fleet's exports, inventory, events, incident log and ground
# truth (deterministic; regenerated when the generator changes).
GEN_FLEET := $(BUILD)/datasets/gen_fleet
FAULT_SO := $(BUILD)/faults/libhrfault.so
DEMO_STAMP := datasets/demo/generated/truth.json
$(GEN_FLEET): $(BUILD)/datasets/gen_fleet.o $(LIB_OBJ)
	$(CC) -o $@ $^ $(LDLIBS)
$(DEMO_STAMP): $(GEN_FLEET)
	$(GEN_FLEET) --out datasets/demo/generated
all: $(HEADROOM) $(DEMO_STAMP)

$(HEADROOM): $(CLI_OBJ) $(LIB_OBJ)
	$(CC) -o $@ $^ $(LDLIBS)

# ./headroom-mpi (`make mpi`): the same program with engine/dist.c built by
# mpicc against Open MPI, so `mpirun -n R ./headroom-mpi run ...` splits the
# series among R ranks (README: Past one machine). The plain build stays
# MPI-free.
MPICC   ?= mpicc
MPI_BIN := $(if $(filter build,$(BUILD)),headroom-mpi,$(BUILD)/headroom-mpi)
mpi: $(MPI_BIN)
$(MPI_BIN): $(CLI_OBJ) $(filter-out $(BUILD)/engine/dist.o,$(LIB_OBJ)) $(BUILD)/mpi/dist.o
	$(MPICC) -o $@ $^ $(LDLIBS)
$(BUILD)/mpi/dist.o: engine/dist.c
	@mkdir -p $(@D)
	$(MPICC) $(CFLAGS) -DHR_MPI -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB_OBJ)
	$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB_OBJ)
	$(CC) -o $@ $^ $(LDLIBS)

# Fuzzing (tests/fuzz/, docs/fuzzing.md). One libFuzzer harness per reader
# and parser, tests/fuzz/fuzz_<target>.c. `make fuzz` builds them with
# clang into $(BUILD)/fuzz/ (the library compiled again by clang, with
# the fuzzer's coverage and the sanitizers, into $(FUZZ_BUILD)/) and runs
# each FUZZ_S seconds over a copy of its corpus (FUZZ_ONLY="fuzz_x ...":
# those targets only). `make check` replays every corpus file and crash
# reproducer through tests/fuzz/replay.c, built by $(CC) like the tests.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_BUILD ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_S  ?= 10
FUZZ_ONLY ?= $(FUZZ_TARGETS)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -O1 -g -fopenmp -D_GNU_SOURCE -MMD -MP $(PKG_CFLAGS) -Iengine -Imodels -Ireports \
               -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDLIBS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -fopenmp -o $@ $^ $(PKG_LIBS) -lcsv -lm

fuzz:
	@sh tools/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(BUILD) $(FUZZ_S) $(FUZZ_ONLY)

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)

# Installs the Debian packages a fresh machine lacks; no-op when present.
deps:
	@sh tools/deps.sh

# The test suite: every tests/test_*.c binary and every tests/cli/*.sh script;
# the last line is the total "N passed, N failed".
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory check-run

check-run: $(HEADROOM) $(MPI_BIN) $(TEST_BIN) $(BENCH_BIN) $(GEN_FLEET) $(DEMO_STAMP) $(FAULT_SO) $(FUZZ_REPLAY)
	@sh tests/run.sh $(BUILD) $(HEADROOM)

# The fault-injection shim (tests/faults/shim.c), an LD_PRELOAD object
# built without the sanitizers even in build-asan: under ASan the driver
# preloads libasan ahead of it. `make faults` tries every injection point
# (README: Fault injection); tests/cli/faults.sh, in check-run, a sample.
$(FAULT_SO): tests/faults/shim.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -fPIC -shared $(filter-out -Wpedantic,$(WARN)) -o $@ $< -ldl

faults: $(HEADROOM) $(GEN_FLEET) $(FAULT_SO)
	@TZ=UTC LC_ALL=C sh tests/faults/run.sh $(BUILD) $(HEADROOM) full

asan:
	@$(MAKE) --no-print-directory deps
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 $(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" check-run

bench: $(HEADROOM) $(MPI_BIN) $(BENCH_BIN) $(GEN_FLEET)
	@sh tools/deps.sh bench
	@sh bench/run.sh $(BUILD) $(HEADROOM)

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh

# Regenerates the golden reports of tests/cli/golden.sh (read the diff
# before committing it).
golden: $(HEADROOM) $(GEN_FLEET)
	@rm -rf $(BUILD)/golden
	@sh tools/golden.sh $(BUILD) $(HEADROOM) $(BUILD)/golden
	@mkdir -p tests/golden
	@cd $(BUILD)/golden/rep/latest && cp capacity.html capacity.json capacity.md problems.html problems.json \
	    problems.md summary.csv changes.json changes.md $(CURDIR)/tests/golden/
	@rm -rf tests/golden/postmortems && cp -R $(BUILD)/golden/rep/latest/postmortems tests/golden/
	@git diff --stat -- tests/golden 2>/dev/null || true

# One screenshot per HTML report of the demo run: docs/screenshots/*.png
# (linked from README), regenerated with headless Chromium.
screenshots:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@sh tools/screenshots.sh $(HEADROOM)

clean:
	rm -rf build build-asan $(FUZZ_BUILD) headroom headroom-mpi out bench/out datasets/demo/generated

-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
