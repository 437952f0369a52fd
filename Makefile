# wchat-release: two commands do everything on a fresh machine: `make release` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# tldextract (inside Presidio) must never fetch the public suffix list at run time.
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=
export PYTHONHASHSEED := 0

.PHONY: install release test bench sample-data constraints dist clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

release: $(STAMP)
	$(PY) -m pipelines.release --config configs/sample.yaml --output out/sample

# Tests in TEST_WORKERS processes (pytest-xdist), one test file at a time per process
# (--dist loadfile), so that a module's fixtures (a pipeline run in test_stage_faults.py, the
# S3 server of test_object_store.py) are built once; the session's releases are built once
# for all processes (tests/conftest.py). (--dist loadgroup would be finer, but pytest-xdist
# 3.8.0 ignores xdist_group marks under pytest 9.2: pytest-xdist issue #1386.) Files are handed
# out in collection order, the longest first (tests/conftest.py LONG_FILES_FIRST), not by
# xdist's default, most tests first, which left the one-test crash-safety file (~90 s) to the end.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder tests

BENCH_ARGS ?= --link 100000,1000000

bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

sample-data: $(STAMP)
	$(PY) -m tools.generate --turns 600 --seed 7 --out data/sample

# Worker packaging (README "Other runners"): the project wheel, plus the pinned runtime
# dependencies a worker needs (what the wheel pulls in under constraints.txt, no test tools).
dist: $(STAMP)
	rm -rf dist
	$(PY) -m pip wheel -q --no-deps . -w dist
	$(PYTHON) -m venv dist/.worker-venv
	dist/.worker-venv/bin/pip install -q -c constraints.txt dist/wchat_release-*.whl
	dist/.worker-venv/bin/pip freeze --exclude wchat-release > dist/worker-requirements.txt
	rm -rf dist/.worker-venv
	@ls dist

constraints: $(STAMP)
	( echo '# Pinned versions of every installed package so installs repeat (make uses pip -c constraints.txt).'; \
	  echo '# Regenerate with: make constraints'; \
	  $(PY) -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf out bench/out dist
