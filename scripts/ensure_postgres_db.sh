#!/usr/bin/env bash
# Makes sure the PostgreSQL server in the URL answers; pytest-django creates the test database.
set -euo pipefail
url="$1"
if ! psql "${url%/*}/postgres" -qAtc "SELECT 1" >/dev/null 2>&1; then
  echo "PostgreSQL does not answer at ${url%/*}; start it or set PG_TEST_URL." >&2
  exit 1
fi
