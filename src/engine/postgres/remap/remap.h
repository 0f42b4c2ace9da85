// Rewrites the source schema's name into the target's in one statement of
// DDL, token by token (lexer.h), so that quoted identifiers, string constants,
// comments and dollar-quoted text that merely mention the name are left as
// they are. Rewritten are:
//   - qualifiers: src.t, "src".t  -> dst.t
//   - references spelt as strings: 'src.t'::regclass (any reg* cast),
//     'src'::regnamespace, and inside function bodies a string constant that
//     is exactly a qualified name ('src.docs' given to to_tsvector)
//   - search_path settings: SET search_path TO 'src', 'public'
//   - bodies of SQL and PL/pgSQL functions and procedures (dollar-quoted or
//     plain strings after AS) and DO blocks, by the same rules, unless
//     Options::rewrite_bodies is off.
// Each rewrite is described in `rewrites` for the run's report. An empty
// `to` removes the qualifier instead (src.t -> t).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dbclone::pg::remap {

struct Options {
    bool rewrite_bodies = true;
};

struct Remapped {
    std::string sql;
    std::vector<std::string> rewrites;  // "src.audit -> dst.audit (function body)"
    bool body_rewritten = false;        // a function body or setting changed (stored as text)
};

Remapped remap_schema(std::string_view sql, const std::string& from, const std::string& to,
                      const Options& options = {});

}  // namespace dbclone::pg::remap
