// Types, sequences, functions (incl. procedures and aggregates) and views.
#include <fmt/format.h>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

namespace {
std::string sql_file(const char* name) {
    return std::string(embedded_sql(std::string("engine/postgres/catalog/sql/") + name));
}
}  // namespace

void read_types(Builder& b) {
    auto r = b.conn.query(sql_file("types.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "typname");
        std::string q = quote_ident(name);
        char type = r.get(i, "typtype")[0];
        std::string sql;
        std::string kind = "TYPE";
        std::string key = "pg_type:" + r.get(i, "oid");
        if (type == 'e') {
            sql = fmt::format("CREATE TYPE {} AS ENUM ({})", q, r.get_opt(i, "enum_labels").value_or(""));
        } else if (type == 'd') {
            kind = "DOMAIN";
            auto constraints = r.get_opt(i, "domain_constraints").value_or("");
            sql = fmt::format("CREATE DOMAIN {} AS {}", q, r.get(i, "domain_base"));
            if (auto coll = r.get_opt(i, "domain_collation")) sql += " COLLATE " + *coll;
            if (auto def = r.get_opt(i, "typdefault")) sql += " DEFAULT " + *def;
            if (r.get_bool(i, "typnotnull") && constraints.find("NOT NULL") == std::string::npos)
                sql += " NOT NULL";
            sql += constraints;
        } else if (type == 'c') {
            key = "pg_class:" + r.get(i, "typrelid");
            sql = fmt::format("CREATE TYPE {} AS ({})", q, r.get_opt(i, "composite_attributes").value_or(""));
        } else if (type == 'r') {
            sql = fmt::format("CREATE TYPE {} AS RANGE (SUBTYPE = {}", q, r.get(i, "range_subtype"));
            if (auto opc = r.get_opt(i, "range_opclass")) sql += ", SUBTYPE_OPCLASS = " + *opc;
            if (auto coll = r.get_opt(i, "range_collation")) sql += ", COLLATION = " + *coll;
            if (auto diff = r.get_opt(i, "range_subdiff")) sql += ", SUBTYPE_DIFF = " + *diff;
            // The server's default multirange name: "range" becomes
            // "multirange", else "_multirange" is appended.
            std::string default_multi = name;
            if (auto at = default_multi.find("range"); at != std::string::npos)
                default_multi.replace(at, 5, "multirange");
            else
                default_multi += "_multirange";
            if (auto multi = r.get_opt(i, "range_multirange"); multi && *multi != default_multi)
                sql += ", MULTIRANGE_TYPE_NAME = " + quote_ident(*multi);
            sql += ")";
        }
        b.pre(kind, name, sql, key);
        if (auto extras = r.get_opt(i, "domain_constraint_extras")) {
            for (const auto& c : nlohmann::json::parse(*extras)) {
                auto cname = c.at("name").get<std::string>();
                auto label = name + "." + cname;
                if (!c.at("validated").get<bool>())
                    b.post("DOMAIN CONSTRAINT", label, kForeignKey,
                           fmt::format("ALTER DOMAIN {} ADD CONSTRAINT {} {}", q, quote_ident(cname),
                                       c.at("definition").get<std::string>()));
                if (c.at("comment").is_string())
                    b.comment(fmt::format("CONSTRAINT {} ON DOMAIN {}", quote_ident(cname), q),
                              "DOMAIN CONSTRAINT " + label, c.at("comment").get<std::string>());
            }
        }
        std::string object = (kind == "DOMAIN" ? "DOMAIN " : "TYPE ") + q;
        b.comment(object, kind + " " + name, r.get_opt(i, "comment"));
        b.grants(object, kind + " " + name, r.get_opt(i, "grants"), r.get_bool(i, "has_acl"), true);
    }
}

void read_sequences(Builder& b) {
    auto r = b.conn.query(sql_file("sequences.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "relname");
        std::string q = quote_ident(name);
        // Identity sequences are created by their column (catalog_tables.cpp);
        // their values are still restored with the others.
        if (r.get_bool(i, "is_identity")) continue;
        b.pre(
            "SEQUENCE", name,
            fmt::format(
                "CREATE {}SEQUENCE {} AS {} START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
                r.get_bool(i, "unlogged") ? "UNLOGGED " : "", q, r.get(i, "data_type"), r.get(i, "seqstart"),
                r.get(i, "seqincrement"), r.get(i, "seqmin"), r.get(i, "seqmax"), r.get(i, "seqcache"),
                r.get_bool(i, "seqcycle") ? " CYCLE" : " NO CYCLE"),
            "pg_class:" + r.get(i, "oid"));
        if (auto owner = r.get_opt(i, "owned_by"))
            b.post("SEQUENCE OWNED BY", name, kSequenceOwner,
                   fmt::format("ALTER SEQUENCE {} OWNED BY {}", q, *owner));
        b.comment("SEQUENCE " + q, "SEQUENCE " + name, r.get_opt(i, "comment"));
        b.grants("SEQUENCE " + q, "SEQUENCE " + name, r.get_opt(i, "grants"), true, false);
    }
}

namespace {
std::string aggregate_sql(const Result& r, int i, const std::string& q) {
    std::vector<std::string> opts;
    opts.push_back("SFUNC = " + r.get(i, "agg_sfunc"));
    opts.push_back("STYPE = " + r.get(i, "agg_stype"));
    if (r.get(i, "agg_sspace") != "0") opts.push_back("SSPACE = " + r.get(i, "agg_sspace"));
    if (auto f = r.get_opt(i, "agg_finalfunc")) {
        opts.push_back("FINALFUNC = " + *f);
        if (r.get_bool(i, "agg_finalfunc_extra")) opts.push_back("FINALFUNC_EXTRA");
        char m = r.get(i, "agg_finalfunc_modify")[0];
        opts.push_back(std::string("FINALFUNC_MODIFY = ") + (m == 'w'   ? "READ_WRITE"
                                                             : m == 's' ? "SHAREABLE"
                                                                        : "READ_ONLY"));
    }
    if (auto f = r.get_opt(i, "agg_combinefunc")) opts.push_back("COMBINEFUNC = " + *f);
    if (auto f = r.get_opt(i, "agg_serialfunc")) opts.push_back("SERIALFUNC = " + *f);
    if (auto f = r.get_opt(i, "agg_deserialfunc")) opts.push_back("DESERIALFUNC = " + *f);
    if (auto v = r.get_opt(i, "agg_initcond")) opts.push_back("INITCOND = " + quote_literal(*v));
    if (auto f = r.get_opt(i, "agg_msfunc")) {
        opts.push_back("MSFUNC = " + *f);
        if (auto inv = r.get_opt(i, "agg_minvfunc")) opts.push_back("MINVFUNC = " + *inv);
        if (auto t = r.get_opt(i, "agg_mstype")) opts.push_back("MSTYPE = " + *t);
        if (auto mf = r.get_opt(i, "agg_mfinalfunc")) opts.push_back("MFINALFUNC = " + *mf);
        if (auto v = r.get_opt(i, "agg_minitcond")) opts.push_back("MINITCOND = " + quote_literal(*v));
    }
    if (auto op = r.get_opt(i, "agg_sortop")) opts.push_back("SORTOP = " + *op);
    char parallel = r.get(i, "proparallel")[0];
    if (parallel == 's') opts.push_back("PARALLEL = SAFE");
    if (parallel == 'r') opts.push_back("PARALLEL = RESTRICTED");
    if (r.get_opt(i, "aggkind").value_or("n") == "h") opts.push_back("HYPOTHETICAL");
    // No arguments: an aggregate over rows, written (*).
    auto arguments = r.get(i, "arguments");
    return fmt::format("CREATE AGGREGATE {}({}) ({})", q, arguments.empty() ? "*" : arguments,
                       fmt::join(opts, ", "));
}
}  // namespace

void read_functions(Builder& b) {
    auto r = b.conn.query(sql_file("functions.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "proname");
        std::string q = quote_ident(name);
        std::string identity = name + "(" + r.get(i, "identity_arguments") + ")";
        std::string signature = q + "(" + r.get(i, "identity_arguments") + ")";
        char prokind = r.get(i, "prokind")[0];
        std::string key = "pg_proc:" + r.get(i, "oid");
        std::string kind = prokind == 'p' ? "PROCEDURE" : prokind == 'a' ? "AGGREGATE" : "FUNCTION";
        if (prokind == 'a') {
            b.pre(kind, identity, aggregate_sql(r, i, q), key);
        } else {
            // pg_get_functiondef always qualifies the name; CREATE (not OR
            // REPLACE) so that an existing function on a target is never
            // silently overwritten.
            std::string def = r.get(i, "definition");
            std::string head = "CREATE OR REPLACE " + kind + " " + r.get(i, "qualified_name") + "(";
            if (def.rfind(head, 0) != 0)
                throw Error(ErrorKind::internal, "unexpected pg_get_functiondef output for " + identity);
            def = "CREATE " + kind + " " + q + "(" + def.substr(head.size());
            while (!def.empty() && (def.back() == '\n' || def.back() == ' ')) def.pop_back();
            auto& e = b.pre(kind, identity, def, key);
            e.body = r.get(i, "body") + "\n" + r.get_opt(i, "config").value_or("");
        }
        b.comment(kind + " " + signature, kind + " " + identity, r.get_opt(i, "comment"));
        b.grants((prokind == 'p' ? "PROCEDURE " : "FUNCTION ") + signature, kind + " " + identity,
                 r.get_opt(i, "grants"), r.get_bool(i, "has_acl"), true);
    }
}

void read_views(Builder& b) {
    auto r = b.conn.query(sql_file("views.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "relname");
        std::string q = quote_ident(name);
        bool matview = r.get(i, "relkind") == "m";
        std::string def = r.get(i, "definition");
        while (!def.empty() && (def.back() == ';' || def.back() == '\n' || def.back() == ' ')) def.pop_back();
        std::string with;
        if (auto opts = r.get_opt(i, "reloptions"); opts && !opts->empty()) with = " WITH (" + *opts + ")";
        std::string kind = matview ? "MATERIALIZED VIEW" : "VIEW";
        std::string sql =
            matview ? fmt::format("CREATE MATERIALIZED VIEW {}{} AS\n{}\nWITH NO DATA", q, with, def)
                    : fmt::format("CREATE VIEW {}{} AS\n{}", q, with, def);
        b.pre(kind, name, sql, "pg_class:" + r.get(i, "oid"));
        if (matview && r.get_bool(i, "relispopulated"))
            b.post("REFRESH MATERIALIZED VIEW", name, kMatviewRefresh, "REFRESH MATERIALIZED VIEW " + q,
                   name);
        b.comment(kind + " " + q, kind + " " + name, r.get_opt(i, "comment"));
        b.grants("TABLE " + q, kind + " " + name, r.get_opt(i, "grants"), true, false, name);
    }
}

}  // namespace dbclone::pg::detail
