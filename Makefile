# The README's two commands: `make run` and `make test`. Meson + Ninja do
# the building; this file only installs what is missing and calls them.
BUILD  ?= build
ASAN   ?= build-asan
STORE  ?= var/exportgate.db
EG      = ./$(BUILD)/exportgate --store $(STORE)

.PHONY: all deps build run test test-fast asan bench fuzz clean

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) exportgate

run: build
	@mkdir -p var
	$(EG) import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07
	$(EG) lists
	@# screen exits 1 when it finds a hit, which is what these names do
	$(EG) screen "Nicolas Maduro Moros" || test $$? -eq 1
	$(EG) screen "maduro moros nicolas" --limit 3 --explain || test $$? -eq 1
	$(EG) screen "Banco Nacional de Cuba S.A." --limit 3 || test $$? -eq 1
	$(EG) screen "Николас Мадуро Морос" --limit 3 || test $$? -eq 1
	$(EG) screen "أسامة بن لادن" --limit 3 --explain || test $$? -eq 1
	$(EG) screen "Zzyzx Quorblat Trading LLC" || test $$? -eq 1

$(ASAN)/build.ninja:
	CC=clang meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja $(ASAN)/build.ninja
	ninja -C $(BUILD)
	ninja -C $(ASAN)
	@scripts/test.sh $(BUILD) $(ASAN)

test-fast: build
	@scripts/test.sh $(BUILD)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory $(BUILD)/build.ninja
	ninja -C $(BUILD)
	./$(BUILD)/bench/bench-import
	bench/run-screen.sh $(BUILD)
	bench/run-batch.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN)
