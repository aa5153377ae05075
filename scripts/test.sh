#!/usr/bin/env bash
# Runs the whole test suite twice: on SQLite files, then on a PostgreSQL server.
# REVTEAM_TEST_PG_URL names a database the tests may connect to in order to create their own
# (default: postgresql+psycopg://postgres@127.0.0.1:5432/postgres). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
echo "== tests on SQLite"
REVTEAM_TEST_BACKEND=sqlite "$PY" -m pytest "$@"
echo "== tests on PostgreSQL"
REVTEAM_TEST_BACKEND=postgresql "$PY" -m pytest "$@"
