#!/usr/bin/env bash
# The Oracle grammar check (ctest entry oracle_grammar): every SQL statement
# and PL/SQL block the Oracle engine can send must parse under the
# grammars-v4 PL/SQL grammar kept in ../shared/reference/plsql-grammar/.
#   check_plsql_grammar.sh <unit_tests binary> <shared dir> <work dir>
# 1. generates the parser from the grammar with antlr-ng (TypeScript, for
#    the antlr4ng runtime, with the grammar's own antlr4ng base classes) and
#    strips its types for node; kept beside the tools (else in <work dir>)
#    under a hash of the grammar and the tool versions, since generating
#    takes minutes;
# 2. dumps the statements: unit_tests' OracleStatementCorpus runs clone,
#    refresh, export, doctor and verify against the scripted ORDS servers and
#    writes every text sent, every plan step's statements and every template;
# 3. parses them all in one node run (parse_statements.mjs), naming the step
#    of each statement that does not parse; known_gaps.json lists the forms
#    Oracle documents as valid that the grammar rejects.
# Exit 77 (skipped) with a message when ../shared or the tools are absent.
set -euo pipefail
unit_tests=$1 shared=${DBCLONE_SHARED_DIR:-$2} work=$3  # the environment wins, as in the C++ tests
here=$(cd "$(dirname "$0")" && pwd)
grammar=$shared/reference/plsql-grammar

if [[ ! -f $grammar/PlSqlParser.g4 || ! -f $grammar/Antlr4ng/PlSqlParserBase.ts ]]; then
  echo "SKIPPED: the PL/SQL grammar is not at $grammar (../shared is absent)"
  exit 77
fi
if [[ -n "${DBCLONE_GRAMMAR_TOOLS_DIR:-}" ]]; then
  tools=$DBCLONE_GRAMMAR_TOOLS_DIR
elif [[ $(id -u) -eq 0 ]]; then
  tools=/var/cache/dbclone/grammar-tools
else
  tools=${XDG_CACHE_HOME:-$HOME/.cache}/dbclone/grammar-tools
fi
if ! command -v node >/dev/null || [[ ! -d $tools/node_modules/antlr-ng || ! -d $tools/node_modules/typescript ]]; then
  echo "SKIPPED: antlr-ng/antlr4ng/typescript are not in $tools (scripts/install-grammar-tools.sh installs them)"
  exit 77
fi

key=$(cat "$grammar"/*.g4 "$grammar"/Antlr4ng/* "$tools/VERSIONS" "$here/transpile.mjs" | sha256sum | cut -c1-16)
# Kept beside the tools when they are writable (one parser for every build
# directory: CI's plain and sanitizer builds share it), else in <work dir>.
cache=$work
[[ -w $tools ]] && cache=$tools
parser=$cache/plsql-parser-$key
if [[ ! -f $parser/PlSqlParser.js ]]; then
  echo "generating the PL/SQL parser into $parser (a few minutes)"
  staging=$(mktemp -d "$cache/.plsql-parser-XXXXXX")
  cp "$grammar"/*.g4 "$grammar"/Antlr4ng/* "$staging/"
  chmod u+w "$staging"/*
  # The grammar's own step for this target: it inserts the @header imports
  # of the base classes.
  (cd "$staging" && python3 transformGrammar.py >/dev/null)
  (cd "$staging" && node "$tools/node_modules/antlr-ng/dist/cli/runner.js" -Dlanguage=TypeScript \
      --generate-listener false -o gen PlSqlLexer.g4 PlSqlParser.g4 2>&1 | grep -v '^warning' || true)
  [[ -f $staging/gen/PlSqlParser.ts ]] || { echo "antlr-ng generated no parser" >&2; exit 1; }
  cp "$staging"/PlSqlLexerBase.ts "$staging"/PlSqlParserBase.ts "$staging/gen/"
  node "$here/transpile.mjs" "$tools/node_modules/typescript" "$staging/gen"
  ln -s "$tools/node_modules" "$staging/gen/node_modules"
  rm -rf "$parser"
  mv "$staging/gen" "$parser"
  rm -rf "$staging"
fi

statements=$work/oracle-statements.json
rm -f "$statements"
DBCLONE_ORACLE_STATEMENTS=$statements "$unit_tests" --gtest_brief=1 --gtest_filter='OracleStatementCorpus.*'
[[ -s $statements ]] || { echo "unit_tests wrote no statements to $statements" >&2; exit 1; }
node "$here/parse_statements.mjs" "$parser" "$statements" "$here/known_gaps.json"
