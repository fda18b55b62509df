#!/usr/bin/env bash
# Installs or starts what the tests need beyond npm packages, on a fresh Debian machine:
# Debian's chromium (browser tests; never a downloaded browser), libxml2-utils (xmllint, CDA schema checks),
# swaks (an independent SMTP client), Java and Saxon-HE (the ANS's CDA conformance schematrons), and a running
# PostgreSQL with a `test` database.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v swaks >/dev/null 2>&1 || missing+=(swaks)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -f /usr/share/java/Saxon-HE.jar ] || missing+=(libsaxonhe-java)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pg_url="${CARNET_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! psql "$pg_url" -Atqc 'select 1' >/dev/null 2>&1; then
  if ! psql "${pg_url%/*}/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "Starting PostgreSQL"
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
      psql "${pg_url%/*}/postgres" -Atqc 'select 1' >/dev/null 2>&1 && break
      # A fresh install uses peer authentication: allow local trust for the tests' loopback connections.
      if [ "$_" -eq 5 ] && ! grep -q 'carnet-tests' "/etc/postgresql/$version/main/pg_hba.conf"; then
        printf '# carnet-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' |
          cat - "/etc/postgresql/$version/main/pg_hba.conf" | as_root tee "/etc/postgresql/$version/main/pg_hba.conf.new" >/dev/null
        as_root mv "/etc/postgresql/$version/main/pg_hba.conf.new" "/etc/postgresql/$version/main/pg_hba.conf"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
      fi
      sleep 1
    done
  fi
  psql "${pg_url%/*}/postgres" -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1 ||
    psql "${pg_url%/*}/postgres" -qc 'create database test'
fi
