#!/usr/bin/env bash
# Every test: format, lint, types, then the whole suite on SQLite and PostgreSQL, including browser journeys.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
echo "== format";    npx prettier --check . --log-level warn
echo "== lint";      npx eslint --max-warnings 0 .
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== web build"; npm run --silent build:web
echo "== tests";     npx vitest run
