#!/usr/bin/env bash
# Installs the tools of the Oracle grammar check (ctest entry oracle_grammar,
# tests/oracle/grammar/): antlr-ng, which generates a TypeScript parser from
# the grammars-v4 PL/SQL grammar in ../shared without Java, its runtime
# antlr4ng, and the TypeScript compiler that turns the parser into plain
# JavaScript for node. npm test peers, pinned, idempotent, into
#   $DBCLONE_GRAMMAR_TOOLS_DIR, else /var/cache/dbclone/grammar-tools as root,
#   else ~/.cache/dbclone/grammar-tools
# (the test looks in the same place).
set -euo pipefail

packages=(antlr-ng@1.0.10 antlr4ng@3.0.16 typescript@5.9.3)

if [[ -n "${DBCLONE_GRAMMAR_TOOLS_DIR:-}" ]]; then
  dir=$DBCLONE_GRAMMAR_TOOLS_DIR
elif [[ $(id -u) -eq 0 ]]; then
  dir=/var/cache/dbclone/grammar-tools
else
  dir=${XDG_CACHE_HOME:-$HOME/.cache}/dbclone/grammar-tools
fi
command -v npm >/dev/null || { echo "install-grammar-tools: npm is missing (scripts/install-deps.sh --test installs it)" >&2; exit 1; }
mkdir -p "$dir"
if [[ "$(cat "$dir/VERSIONS" 2>/dev/null)" == "${packages[*]}" && -d "$dir/node_modules/antlr-ng" ]]; then
  exit 0
fi
echo "installing ${packages[*]} (grammar check) into $dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "${packages[@]}" >/dev/null
echo "${packages[*]}" >"$dir/VERSIONS"
chmod -R a+rX "$dir"
