# Di sản số — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the platform and its tests use (browser tests, QR decoding, GIS checks, PDF).
DEBIAN_PACKAGES := chromium zbar-tools gdal-bin poppler-utils fonts-dejavu-core gettext
# The one-machine production stack (make prod): nginx with brotli, PostgreSQL, Redis.
PROD_PACKAGES := nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static \
	postgresql redis-server wrk
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/heritage

.PHONY: run test test-postgres install system-deps static-vendor migrate demo lint format clean \
	bench-tiles bench-plaques bench-pages bench-geo bench-inventory bench-feedback bench-iiif bench-queue worker \
	prod prod-stop prod-status bench-load bench-faults \
	messages audit-api audit

install: system-deps $(VENV)/.installed static-vendor

system-deps:
	@bash scripts/install_debian_packages.sh $(DEBIAN_PACKAGES)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Leaflet, its cluster and sub-group plugins, Pannellum and OpenSeadragon are served from our
# own static files. axe-core, Lighthouse and the IIIF parser (devDependencies) stay in
# node_modules: only the tests and `make audit` use them, visitors never get them.
static-vendor: node_modules/.installed
	rm -rf static/vendor && mkdir -p static/vendor
	cp -r node_modules/leaflet/dist static/vendor/leaflet
	cp -r node_modules/leaflet.markercluster/dist static/vendor/leaflet.markercluster
	cp -r node_modules/leaflet.featuregroup.subgroup/dist static/vendor/leaflet.featuregroup.subgroup
	cp -r node_modules/pannellum/build static/vendor/pannellum
	cp -r node_modules/openseadragon/build/openseadragon static/vendor/openseadragon

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo_district

run: demo
	$(MANAGE) ensure_admin
	@bash scripts/serve.sh $(HOST) $(PORT)

worker: install
	$(MANAGE) db_worker

test: install
	$(PY) -m pytest

test-postgres: install
	@bash scripts/ensure_postgres_db.sh "$(PG_TEST_URL)"
	DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest

# Lighthouse (mobile; npm, pinned) and axe-core over the visitor pages of a fresh demo district:
# every score printed; accessibility and SEO must be 100 and axe must find no violation.
audit: install
	$(PY) scripts/audit.py
	$(PY) -m pytest -q -s -p no:cacheprovider tests/browser/test_visitor_axe.py

# Figures, not tests: plaque rendering (pure), then the resolver under load and the batch PDF
# through make_plaques on a fresh 125-relic database (needs wrk, installed here).
bench-plaques: install
	@bash scripts/install_debian_packages.sh wrk
	$(PY) -m benchmarks.bench_plaques
	$(PY) -m benchmarks.bench_resolver

# Visitor pages, a feed and /Q/ as a share of a static file, page cache off and on (needs wrk).
bench-pages: install
	@bash scripts/install_debian_packages.sh wrk
	$(PY) -m benchmarks.bench_pages

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Compile our own catalogues only (heritage_site/locale: vi admin, en visitor pages). Run from
# heritage_site/ because compilemessages otherwise walks the whole tree, .venv's packages included.
messages: install
	cd heritage_site && ../$(PY) ../manage.py compilemessages

# 287 relics with 20,000 (then 60,000) artifacts, XLSX and CSV: reading and checking, then the
# whole import into a throwaway SQLite tree (seconds and peak memory per case); then the
# hostile files of issue 11 (a million rows, a 300 MiB cell): time and memory to refusal.
bench-inventory: install
	$(PY) -m benchmarks.bench_inventory
	$(PY) -m benchmarks.bench_inventory_limits

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3* media

# Panorama tiling: seconds, peak memory and PSNR for generated 16384×8192 and 32768×16384
# panoramas, ours beside Pannellum's generate.py with Hugin's nona (Debian hugin-tools; the
# script comes from the npm package, run under a Pillow 10 shim: benchmarks/pannellum_anchor.py).
# BENCH_ARGS="--sizes 16384" skips the 32768×16384 run; "--anchor-sizes ''" skips the anchor.
BENCH_TILES_PACKAGES := hugin-tools
bench-tiles: install
	@bash scripts/install_debian_packages.sh $(BENCH_TILES_PACKAGES)
	$(PY) -m benchmarks.bench_tiles $(BENCH_ARGS)

# The database queue: jobs per second with one and two db_worker processes, each job run once
# (PostgreSQL on 127.0.0.1 by default; BENCH_ARGS="--database-url sqlite:///…" for SQLite).
bench-queue: install
	$(PY) -m benchmarks.bench_queue $(BENCH_ARGS)

# IIIF tiles of rubbings: seconds, tile count and peak memory for 16 and 64 megapixel images.
bench-iiif: install
	$(PY) -m benchmarks.bench_iiif

# Geo feeds: p50/p99 server time with 2,000 relics and 2,000 places, and the embed page's weight.
bench-geo: install
	$(PY) -m benchmarks.bench_geo --relics 2000 --places 2000

# The OGC API's OpenAPI document against the live server: schemathesis with every check, a fixed
# seed and a few examples per operation (tests/maps/test_ogc_openapi_audit.py).
audit-api: install
	$(PY) -m pytest -q -p no:cacheprovider tests/maps/test_ogc_openapi_audit.py

# Visitor feedback: 200 posts/s for 30 s against gunicorn on loopback (none lost, none stored
# twice), the relic page's requests/s during the run beside a static file's.
bench-feedback: install
	$(PY) -m benchmarks.bench_feedback $(BENCH_ARGS)

# The production stack on this machine, on loopback (docs/deploy.md): nginx on PROD_PORT
# (default 8080) in front of gunicorn, a private PostgreSQL (or PROD_DATABASE_URL), Redis,
# two db_workers, and moto_server with PROD_STORAGE=s3. PIDs and logs in .prod/.
prod: install
	@bash scripts/install_debian_packages.sh $(PROD_PACKAGES)
	$(PY) scripts/prod.py start

prod-stop:
	$(PY) scripts/prod.py stop

prod-status:
	$(PY) scripts/prod.py status

# Against `make prod` (started first if it is not running): 10,000 relics and 200,000
# artifacts on its PostgreSQL, then wrk -c64 for 60 s on a scan-and-read mix and on a static
# file; p50/p99, requests/s and errors (target 0).
bench-load: install
	@bash scripts/install_debian_packages.sh $(PROD_PACKAGES)
	$(PY) -m benchmarks.bench_load $(BENCH_ARGS)

# Faults against a stack of its own (.prod-faults/, PROD_PORT+10): a worker SIGKILLed
# mid-tiling, PostgreSQL restarted under load, Redis stopped, a full disk while tiling.
bench-faults: install
	@bash scripts/install_debian_packages.sh $(PROD_PACKAGES)
	$(PY) -m benchmarks.bench_faults $(BENCH_ARGS)
