# The README's two commands: `make run` and `make test`. Meson + Ninja do
# the building; this file only installs what is missing and calls them.
BUILD  ?= build
ASAN   ?= build-asan
TSAN   ?= build-tsan
FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 60
TORTURE_N ?= 1000
STORE  ?= var/exportgate.db
EG      = ./$(BUILD)/exportgate --store $(STORE)

.PHONY: all deps build demo run test test-fast asan bench fuzz torture clean

ASAN_SETUP = --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
TSAN_SETUP = --buildtype=debug -Db_sanitize=thread -Db_lundef=false

# $(call configure-tests,DIR,ENV,SETUP-ARGS): makes DIR ready for `make test`
# with the unit tests required (-Dtests=enabled): a new DIR is set up; an
# existing one, say configured by `make run` before Criterion was installed,
# is reconfigured. Either way a missing Criterion fails here, loudly.
configure-tests = if [ -f $(1)/build.ninja ]; then \
		meson setup --reconfigure $(1) -Dtests=enabled >$(1)/reconfigure.log 2>&1 || \
		{ cat $(1)/reconfigure.log >&2; exit 1; }; \
	else $(2) meson setup $(1) $(3) -Dtests=enabled; fi

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) exportgate

# The demo: the bundled lists, screening, the November 2021 question as
# deals, the decision log verified. Every command's exit code is checked
# (screen and decide exit 1 for a hit or a deal that is not allowed).
demo: build
	@mkdir -p var
	$(EG) import --bundled
	$(EG) lists
	$(EG) screen "Nicolas Maduro Moros" || test $$? -eq 1
	$(EG) screen "maduro moros nicolas" --limit 3 --explain || test $$? -eq 1
	$(EG) screen "Николас Мадуро Морос" --limit 3 || test $$? -eq 1
	$(EG) screen "أسامة بن لادن" --limit 3 --explain || test $$? -eq 1
	$(EG) screen "NSO Group" --as-of 2021-11-03 || test $$? -eq 1
	$(EG) screen "NSO Group" --as-of 2021-11-04 || test $$? -eq 1
	$(EG) screen "Zzyzx Quorblat Trading LLC" || test $$? -eq 1
	$(EG) decide docs/examples/deal-nso-2021-11-04.json || test $$? -eq 1
	$(EG) decide docs/examples/deal-il-de-2021-12-01.json || test $$? -eq 1
	$(EG) audit verify

# `make run`: the demo, then the web page and the API on 127.0.0.1:8080
# with a fresh demo key, until Ctrl-C (the server finishes the requests in
# flight and exits 0).
run: demo
	@$(EG) keys revoke demo >/dev/null 2>&1 || true
	@key=$$($(EG) keys add demo --role admin 2>/dev/null) && \
		echo "exportgate: open http://127.0.0.1:8080/ and give the key $$key (Ctrl-C stops)" && \
		exec $(EG) serve --listen 127.0.0.1:8080

test:
	@scripts/deps.sh test
	@$(call configure-tests,$(BUILD),,--buildtype=debugoptimized)
	@$(call configure-tests,$(ASAN),CC=clang,$(ASAN_SETUP))
	@$(call configure-tests,$(TSAN),CC=clang,$(TSAN_SETUP))
	ninja -C $(BUILD)
	ninja -C $(ASAN)
	ninja -C $(TSAN) tests/eg-threads
	@scripts/test.sh $(BUILD) $(ASAN) --tsan $(TSAN)

test-fast: build
	@scripts/test.sh $(BUILD)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	ninja -C $(BUILD)
	./$(BUILD)/bench/bench-import
	bench/run-screen.sh $(BUILD)
	bench/run-batch.sh $(BUILD)
	./$(BUILD)/bench/bench-engine --exe $(BUILD)/exportgate
	./$(BUILD)/bench/bench-decide --exe $(BUILD)/exportgate
	bench/run-http.sh $(BUILD)

# Every fuzz target with libFuzzer (clang, ASan, UBSan) for FUZZ_SECONDS each;
# what reaches new coverage is merged into fuzz/corpus/NAME/ (fuzz/run.sh).
fuzz:
	@[ -f $(FUZZ)/build.ninja ] || CC=clang meson setup $(FUZZ) --buildtype=debugoptimized \
		-Dfuzzing=true -Db_lundef=false
	ninja -C $(FUZZ)
	fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

# Crash consistency, long: tests/cli/crash.sh (20 kills in `make test`)
# with TORTURE_N SIGKILLs of imports, decisions, batches and reviews.
torture: build
	@command -v sqlite3 >/dev/null || scripts/deps.sh test
	CRASH_N=$(TORTURE_N) EG=$(CURDIR)/$(BUILD)/exportgate bash tests/cli/crash.sh

clean:
	rm -rf $(BUILD) $(ASAN) $(TSAN) $(FUZZ)
