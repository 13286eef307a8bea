# Entry points of the Qicai charging O&M suite; tools/qicai.py does the work.
PYTHON ?= python3
# Paths and options for pytest, e.g. make test TEST_ARGS="-x addons/qicai_station"
TEST_ARGS ?=

.PHONY: run init test pot bench versions

run:  ## create or upgrade the "qicai" database (zh_CN, demo data) and serve it
	$(PYTHON) tools/qicai.py run

init:  ## create or upgrade the "qicai" database, then stop
	$(PYTHON) tools/qicai.py init

test:  ## install the suite in a throwaway database and run every test
	$(PYTHON) tools/qicai.py test $(TEST_ARGS)

pot:  ## export i18n/<module>.pot for every module
	$(PYTHON) tools/qicai.py pot

bench:  ## run the benchmarks in benchmarks/
	$(PYTHON) benchmarks/run.py

versions:  ## print the versions of Python, Odoo and the tools the tests use
	$(PYTHON) tools/qicai.py versions
