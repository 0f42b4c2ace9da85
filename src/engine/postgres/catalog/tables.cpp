// Tables with their columns, constraints, indexes, triggers, rules and
// policies; dependencies; sequence values.
#include <fmt/format.h>
#include <xxhash.h>

#include <map>
#include <set>
#include <sstream>

#include "core/embedded_sql.h"
#include "core/error.h"
#include "engine/postgres/catalog/builder.h"
#include "engine/postgres/catalog/grant_sql.h"
#include "engine/postgres/libpq/quote.h"

namespace dbclone::pg::detail {

namespace {

// A table's id in the journal and the dump set ("data/<key>/"): from its
// name, so it stays the same when another attempt reads the catalog again
// with tables added or dropped in between (positions would shift).
std::string data_table_key(const std::string& name) {
    return fmt::format("t{:016x}", XXH3_64bits(name.data(), name.size()));
}
std::string sql_file(const char* name) {
    return std::string(embedded_sql(std::string("engine/postgres/catalog/sql/") + name));
}

struct Column {
    std::string name, data_type, default_expr, collation, identity, generated;
    bool not_null = false;
    bool xml = false;
    bool binary_io = false;  // its type travels exactly in COPY binary
    std::string piece_kind;  // can be read in pieces: LargeValueColumn::kind
    bool local = true;       // declared in the table itself, not only inherited
    std::optional<std::string> comment, grants, identity_sequence;
    std::optional<std::string> stattarget, storage, compression;
    std::optional<std::string> attoptions;  // "n_distinct=-0.5"
};

// ALTER TABLE statements for what CREATE TABLE cannot say about a column:
// statistics target, storage, compression, attribute options (n_distinct),
// an identity sequence's persistence differing from the table's.
std::string column_settings_sql(const std::string& qtable, const Column& c, bool table_unlogged) {
    std::string s;
    std::string prefix = ";\nALTER TABLE ONLY " + qtable + " ALTER COLUMN " + quote_ident(c.name);
    if (c.stattarget) s += prefix + " SET STATISTICS " + *c.stattarget;
    if (c.storage) {
        const char m = (*c.storage)[0];
        s += prefix + " SET STORAGE " +
             (m == 'p'   ? "PLAIN"
              : m == 'e' ? "EXTERNAL"
              : m == 'm' ? "MAIN"
                         : "EXTENDED");
    }
    if (c.compression) s += prefix + " SET COMPRESSION " + ((*c.compression)[0] == 'l' ? "lz4" : "pglz");
    if (c.attoptions && !c.attoptions->empty()) s += prefix + " SET (" + *c.attoptions + ")";
    if (c.identity_sequence && !c.identity.empty()) {
        auto seq = nlohmann::json::parse(*c.identity_sequence);
        bool unlogged = seq.value("unlogged", false);
        if (unlogged != table_unlogged)
            s += fmt::format(";\nALTER SEQUENCE {} SET {}", quote_ident(seq.at("name").get<std::string>()),
                             unlogged ? "UNLOGGED" : "LOGGED");
    }
    return s;
}

std::string identity_clause(const Column& c) {
    auto seq = nlohmann::json::parse(*c.identity_sequence);
    // No "AS type": an identity sequence takes the column's type, and the
    // server rejects AS there as a redundant option.
    return fmt::format(
        " GENERATED {} AS IDENTITY (SEQUENCE NAME {} START WITH {} INCREMENT BY {} MINVALUE {} "
        "MAXVALUE {} CACHE {}{})",
        c.identity == "a" ? "ALWAYS" : "BY DEFAULT", quote_ident(seq.at("name").get<std::string>()),
        seq.at("start").dump(), seq.at("increment").dump(), seq.at("min").dump(), seq.at("max").dump(),
        seq.at("cache").dump(), seq.at("cycle").get<bool>() ? " CYCLE" : " NO CYCLE");
}

std::string column_sql(const Column& c, bool is_partition) {
    std::string s = quote_ident(c.name) + " " + c.data_type;
    if (!c.collation.empty()) s += " COLLATE " + c.collation;
    if (c.generated == "s")
        s += " GENERATED ALWAYS AS (" + c.default_expr + ") STORED";
    else if (!c.default_expr.empty())
        s += " DEFAULT " + c.default_expr;
    if (c.not_null) s += " NOT NULL";
    // A partition takes identity from its parent when attached.
    if (!c.identity.empty() && c.identity_sequence && !is_partition) s += identity_clause(c);
    return s;
}
}  // namespace

void read_tables(Builder& b) {
    // Columns of tables (definitions) and views (comments, grants).
    std::map<std::string, std::vector<Column>> columns;
    auto cr = b.conn.query(sql_file("columns.sql"), {b.schema});
    for (int i = 0; i < cr.rows(); ++i) {
        Column c;
        c.name = cr.get(i, "attname");
        c.data_type = cr.get(i, "data_type");
        c.default_expr = cr.get_opt(i, "default_expr").value_or("");
        c.collation = cr.get_opt(i, "collation").value_or("");
        c.identity = cr.get(i, "attidentity");
        c.generated = cr.get(i, "attgenerated");
        c.not_null = cr.get_bool(i, "attnotnull");
        c.local = cr.get_bool(i, "attislocal");
        c.stattarget = cr.get_opt(i, "stattarget");
        c.storage = cr.get_opt(i, "storage");
        c.compression = cr.get_opt(i, "compression");
        c.attoptions = cr.get_opt(i, "attoptions");
        c.xml = cr.get_bool(i, "is_xml");
        c.binary_io = cr.get_bool(i, "binary_io");
        c.piece_kind = cr.get_opt(i, "piece_kind").value_or("");
        c.comment = cr.get_opt(i, "comment");
        c.grants = cr.get_opt(i, "grants");
        c.identity_sequence = cr.get_opt(i, "identity_sequence");
        std::string table = cr.get(i, "relname");
        std::string qcol = quote_ident(table) + "." + quote_ident(c.name);
        b.comment("COLUMN " + qcol, "COLUMN " + table + "." + c.name, c.comment);
        if (c.grants) {
            for (const auto& g : nlohmann::json::parse(*c.grants)) {
                auto grantee = g.at("grantee").get<std::string>();
                auto priv = g.at("privilege").get<std::string>();
                bool grantable = g.at("grantable").get<bool>();
                auto& e =
                    b.post("GRANT", fmt::format("{} ({}) ON {} TO {}", priv, c.name, table, grantee), kGrant,
                           grant_sql(fmt::format("{} ({})", priv, quote_ident(c.name)),
                                     "TABLE " + quote_ident(table), grantee, grantable),
                           table);
                if (grantee != "PUBLIC") e.role = grantee;
            }
        }
        columns[cr.get(i, "attrelid")].push_back(std::move(c));
    }
    // Check constraints go inside CREATE TABLE (also inherited ones: a
    // partition is created on its own and then attached, which requires them).
    // An inheritance child (not a partition) gets its inherited ones from
    // INHERITS, so that they stay inherited, not local, as on the source.
    std::map<std::string, std::vector<std::string>> checks;
    auto ck = b.conn.query(
        "SELECT co.conrelid, co.conname, pg_get_constraintdef(co.oid) AS definition FROM pg_constraint co "
        "JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND co.contype = 'c' AND co.convalidated "
        "AND (co.conislocal OR c.relispartition) ORDER BY co.conname",
        {b.schema});
    for (int i = 0; i < ck.rows(); ++i)
        checks[ck.get(i, "conrelid")].push_back("CONSTRAINT " + quote_ident(ck.get(i, "conname")) + " " +
                                                ck.get(i, "definition"));

    auto r = b.conn.query(sql_file("tables.sql"), {b.schema});
    std::map<std::string, std::string> name_by_oid;
    for (int i = 0; i < r.rows(); ++i) name_by_oid[r.get(i, "oid")] = r.get(i, "relname");
    for (int i = 0; i < r.rows(); ++i) {
        std::string oid = r.get(i, "oid");
        std::string name = r.get(i, "relname");
        std::string q = quote_ident(name);
        bool partitioned = r.get(i, "relkind") == "p";
        bool is_partition = r.get_bool(i, "relispartition");
        bool unlogged = r.get_bool(i, "unlogged");
        auto of_type = r.get_opt(i, "of_type");
        std::vector<std::string> deps;
        std::vector<std::string> parent_names;  // quoted; regclass text when in another schema
        auto parent_oids = r.get_opt(i, "parent_oids").value_or("");
        if (!parent_oids.empty()) {
            std::istringstream split(parent_oids), names(r.get(i, "parents"));
            std::string parent_oid, text;
            while (std::getline(split, parent_oid, ',') && std::getline(names, text, ',')) {
                while (!text.empty() && text.front() == ' ') text.erase(0, 1);
                deps.push_back("pg_class:" + parent_oid);
                parent_names.push_back(name_by_oid.count(parent_oid) ? quote_ident(name_by_oid[parent_oid])
                                                                     : text);
            }
        }
        // A partition is created with all its columns and attached, as
        // pg_dump does; an inheritance child names only its local columns
        // and INHERITS the others; a typed table takes them from its type.
        const bool inherits = !parent_names.empty() && !is_partition;
        std::vector<std::string> parts;
        std::vector<std::string> copy_columns, text_columns;
        std::vector<LargeValueColumn> large_values;
        const bool large_toast = std::stoull(r.get(i, "toast_bytes")) >= kLargeValueToastBytes;
        bool binary_capable = true;
        std::string after;  // statements that complete the table
        for (const auto& c : columns[oid]) {
            if (c.generated.empty()) copy_columns.push_back(c.name);
            if (c.generated.empty() && c.xml) text_columns.push_back(c.name);
            if (c.generated.empty() && large_toast && !c.piece_kind.empty())
                large_values.push_back({c.name, c.piece_kind});
            if (c.generated.empty() && !c.binary_io) binary_capable = false;
            after += column_settings_sql(q, c, unlogged);
            if (of_type || (inherits && !c.local)) {
                std::string prefix = ";\nALTER TABLE ONLY " + q + " ALTER COLUMN " + quote_ident(c.name);
                if (!c.default_expr.empty() && c.generated.empty())
                    after += prefix + " SET DEFAULT " + c.default_expr;
                if (c.not_null) after += prefix + " SET NOT NULL";
                continue;
            }
            parts.push_back(column_sql(c, is_partition));
        }
        for (const auto& c : checks[oid]) parts.push_back(c);
        std::ostringstream sql;
        sql << "CREATE " << (unlogged ? "UNLOGGED " : "") << "TABLE " << q;
        if (of_type) sql << " OF " << *of_type;
        if (!of_type || !parts.empty()) {
            sql << " (";
            for (std::size_t p = 0; p < parts.size(); ++p) sql << (p ? ",\n    " : "\n    ") << parts[p];
            sql << (parts.empty() ? ")" : "\n)");
        }
        if (inherits) {
            sql << " INHERITS (";
            for (std::size_t p = 0; p < parent_names.size(); ++p) sql << (p ? ", " : "") << parent_names[p];
            sql << ")";
        }
        if (partitioned) sql << " PARTITION BY " << r.get(i, "partition_key");
        if (auto opts = r.get_opt(i, "reloptions"); opts && !opts->empty()) sql << " WITH (" << *opts << ")";
        if (is_partition)
            sql << ";\nALTER TABLE ONLY " << parent_names[0] << " ATTACH PARTITION " << q << " "
                << r.get(i, "partition_bound");
        sql << after;
        auto& e = b.pre("TABLE", name, sql.str(), "pg_class:" + oid);
        e.deps = deps;
        e.table = name;
        b.table_keys[oid] = e.key;
        if (!partitioned)
            b.catalog.tables.push_back(
                {data_table_key(name), name, copy_columns, std::stoull(r.get(i, "size_bytes")), text_columns,
                 binary_capable && text_columns.empty() && !copy_columns.empty(), false, large_values});
        if (r.get_bool(i, "relrowsecurity"))
            b.post("ROW SECURITY", name, kPolicy, "ALTER TABLE " + q + " ENABLE ROW LEVEL SECURITY", name);
        if (r.get_bool(i, "relforcerowsecurity"))
            b.post("FORCE ROW SECURITY", name, kPolicy, "ALTER TABLE " + q + " FORCE ROW LEVEL SECURITY",
                   name);
        auto replident = r.get(i, "relreplident");
        if (replident == "f" || replident == "n")
            b.post("REPLICA IDENTITY", name, kTableProperty,
                   "ALTER TABLE " + q + " REPLICA IDENTITY " + (replident == "f" ? "FULL" : "NOTHING"), name);
        b.comment("TABLE " + q, "TABLE " + name, r.get_opt(i, "comment"));
        b.grants("TABLE " + q, "TABLE " + name, r.get_opt(i, "grants"), true, false, name);
    }
    std::set<std::string> keys;
    for (const auto& t : b.catalog.tables)
        if (!keys.insert(t.key).second)
            throw Error(ErrorKind::internal,
                        "two tables share the data key " + t.key + ": " + quote_ident(t.name));
}

namespace {

// The two-step form of a key (DdlEntry::key_index_sql): the server's own
// definition of the key's index, made relative to the schema as every
// stored statement is. Left unsplit if that definition is not in the
// expected shape: the one-statement form is always right.
// `server_names` is the server's quoting of the index and table names, as
// pg_get_indexdef prints them: "<index> ON <schema>.<table>".
void split_key(DdlEntry& entry, const std::string& index_definition, const std::string& server_names,
               const std::string& table, const std::string& name, const std::string& type) {
    const auto names_end = ("CREATE UNIQUE INDEX " + server_names).size();
    if (index_definition.rfind("CREATE UNIQUE INDEX " + server_names + " USING btree (", 0) != 0) return;
    const auto qname = quote_ident(name);
    const auto qtable = quote_ident(table);
    entry.key_index_sql =
        "CREATE UNIQUE INDEX " + qname + " ON " + qtable + index_definition.substr(names_end);
    entry.key_attach_sql = fmt::format("ALTER TABLE ONLY {} ADD CONSTRAINT {} {} USING INDEX {}", qtable,
                                       qname, type == "p" ? "PRIMARY KEY" : "UNIQUE", qname);
}

}  // namespace

void read_constraints(Builder& b) {
    auto r = b.conn.query(sql_file("constraints.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string table = r.get(i, "table_name");
        std::string name = r.get(i, "conname");
        std::string type = r.get(i, "contype");
        bool has_parent = r.get(i, "conparentid") != "0";
        bool partitioned = r.get(i, "relkind") == "p";
        std::string label = table + "." + name;
        std::string definition = r.get(i, "definition");
        // A key's index storage parameters go after its columns, before
        // DEFERRABLE, as pg_dump writes them.
        if (auto opts = r.get_opt(i, "index_options");
            opts && !opts->empty() && definition.find(" WITH (") == std::string::npos) {
            auto at = definition.find(" DEFERRABLE");
            definition.insert(at == std::string::npos ? definition.size() : at, " WITH (" + *opts + ")");
        }
        std::string add = fmt::format("ADD CONSTRAINT {} {}", quote_ident(name), definition);
        const auto comment_on = fmt::format("CONSTRAINT {} ON {}", quote_ident(name), quote_ident(table));
        if (type == "c") {
            // Validated checks are part of CREATE TABLE (their comment is
            // not); NOT VALID ones come after the data, still NOT VALID, as
            // on the source.
            if (r.get_bool(i, "convalidated") || !r.get_bool(i, "conislocal")) {
                b.comment(comment_on, "CONSTRAINT " + label, r.get_opt(i, "comment"));
                continue;
            }
            // Not ONLY: inheritance children take the constraint too, as on
            // the source (the server refuses ONLY for an inherited CHECK).
            b.post("CONSTRAINT", label, kForeignKey,
                   fmt::format("ALTER TABLE {} {}", quote_ident(table), add), table);
        } else if (type == "f") {
            if (has_parent) continue;  // created on the partitions by the parent's FK
            b.post("FK CONSTRAINT", label, kForeignKey,
                   fmt::format("ALTER TABLE {}{} {}", partitioned ? "" : "ONLY ", quote_ident(table), add),
                   table)
                .references = r.get_opt(i, "referenced_table").value_or("");
        } else {
            // Keyed: views grouping by a primary key are ordered after it.
            auto& entry = b.post("CONSTRAINT", label, has_parent ? kChildKeyConstraint : kKeyConstraint,
                                 fmt::format("ALTER TABLE ONLY {} {}", quote_ident(table), add), table);
            entry.key = "pg_constraint:" + r.get(i, "oid");
            if (auto index = r.get_opt(i, "key_index_definition"))
                split_key(entry, *index, r.get(i, "key_index_names"), table, name, type);
        }
        b.comment(comment_on, "CONSTRAINT " + label, r.get_opt(i, "comment"));
    }
}

void read_indexes(Builder& b) {
    auto r = b.conn.query(sql_file("indexes.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.get(i, "relname");
        std::string table = r.get(i, "table_name");
        std::string qtable = quote_ident(table);
        auto parent = r.get_opt(i, "parent_index");
        if (parent)
            b.post("INDEX ATTACH", name, kIndexAttach,
                   fmt::format("ALTER INDEX {} ATTACH PARTITION {}", quote_ident(*parent), quote_ident(name)),
                   table);
        if (!r.get_bool(i, "indisclustered") && r.get_bool(i, "backs_constraint")) continue;
        if (!r.get_bool(i, "backs_constraint")) {
            // pg_get_indexdef always qualifies the table.
            std::string def = r.get(i, "definition");
            std::string qname = r.get(i, "qname");
            auto after_name = def.find(" INDEX " + qname + " ON ");
            if (after_name == std::string::npos)
                throw Error(ErrorKind::internal, "unexpected pg_get_indexdef output for index " + name);
            def = replace_after(def, after_name + qname.size() + 7, r.get(i, "qualified_table"), qtable,
                                "index " + name);
            if (auto stats = r.get_opt(i, "column_statistics")) def += ";\n" + *stats;
            b.post("INDEX", name, parent ? kChildIndex : kIndex, def, table);
            b.comment("INDEX " + quote_ident(name), "INDEX " + name, r.get_opt(i, "comment"));
        }
        if (r.get_bool(i, "indisclustered"))
            b.post("CLUSTER ON", name, kClusterOn,
                   fmt::format("ALTER TABLE {} CLUSTER ON {}", qtable, quote_ident(name)), table);
        // REPLICA IDENTITY FULL / NOTHING are read with the table.
        if (r.get_bool(i, "indisreplident"))
            b.post(
                "REPLICA IDENTITY", table, kTableProperty,
                fmt::format("ALTER TABLE ONLY {} REPLICA IDENTITY USING INDEX {}", qtable, quote_ident(name)),
                table);
    }
}

void read_triggers_rules_policies(Builder& b) {
    auto t = b.conn.query(sql_file("triggers.sql"), {b.schema});
    for (int i = 0; i < t.rows(); ++i) {
        std::string name = t.get(i, "tgname");
        std::string table = t.get(i, "table_name");
        std::string qtable = quote_ident(table);
        std::string def = t.get(i, "definition");
        std::string qname = t.get(i, "qname");
        auto at = def.find(" TRIGGER " + qname + " ");
        if (at == std::string::npos)
            throw Error(ErrorKind::internal, "unexpected pg_get_triggerdef output for " + name);
        def = replace_after(def, at + qname.size() + 9, " ON " + t.get(i, "qualified_table") + " ",
                            " ON " + qtable + " ", "trigger " + name);
        char enabled = t.get(i, "tgenabled")[0];
        if (enabled == 'D')
            def += fmt::format(";\nALTER TABLE {} DISABLE TRIGGER {}", qtable, quote_ident(name));
        if (enabled == 'R')
            def += fmt::format(";\nALTER TABLE {} ENABLE REPLICA TRIGGER {}", qtable, quote_ident(name));
        if (enabled == 'A')
            def += fmt::format(";\nALTER TABLE {} ENABLE ALWAYS TRIGGER {}", qtable, quote_ident(name));
        // The clones of a partitioned table's trigger on its partitions
        // keep their own state.
        std::istringstream states(t.get_opt(i, "partition_states").value_or(""));
        for (std::string item; std::getline(states, item, ';');) {
            auto bar = item.rfind('|');
            char state = item[bar + 1];
            def += fmt::format(";\nALTER TABLE {} {} TRIGGER {}", item.substr(0, bar),
                               state == 'D'   ? "DISABLE"
                               : state == 'R' ? "ENABLE REPLICA"
                               : state == 'A' ? "ENABLE ALWAYS"
                                              : "ENABLE",
                               quote_ident(name));
        }
        b.post("TRIGGER", table + "." + name, kTrigger, def, table);
        b.comment(fmt::format("TRIGGER {} ON {}", quote_ident(name), qtable), "TRIGGER " + table + "." + name,
                  t.get_opt(i, "comment"));
    }
    auto r = b.conn.query(sql_file("rules_policies.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        std::string kind = r.get(i, "kind");
        std::string name = r.get(i, "name");
        std::string table = r.get(i, "table_name");
        std::string def = r.get(i, "definition");
        if (kind == "RULE") {
            std::string qname = r.get(i, "qname");
            auto at = def.find("RULE " + qname + " AS");
            if (at == std::string::npos)
                throw Error(ErrorKind::internal, "unexpected pg_get_ruledef output for " + name);
            auto qualified = r.get(i, "qualified_table");
            // Only the event table is printed qualified; a rule on another
            // schema's table is not part of this schema anyway.
            if (def.find(" TO " + qualified, at) != std::string::npos)
                def = replace_after(def, at, " TO " + qualified, " TO " + quote_ident(table), "rule " + name);
            while (!def.empty() && (def.back() == ';' || def.back() == '\n')) def.pop_back();
            char enabled = r.get(i, "enabled")[0];
            if (enabled != 'O')
                def += fmt::format(";\nALTER TABLE {} {} RULE {}", quote_ident(table),
                                   enabled == 'D'   ? "DISABLE"
                                   : enabled == 'R' ? "ENABLE REPLICA"
                                                    : "ENABLE ALWAYS",
                                   quote_ident(name));
        }
        b.post(kind, table + "." + name, kind == "RULE" ? kRule : kPolicy, def, table);
        b.comment(fmt::format("{} {} ON {}", kind, quote_ident(name), quote_ident(table)),
                  kind + " " + table + "." + name, r.get_opt(i, "comment"));
    }
}

void read_dependencies(Builder& b) {
    std::map<std::string, DdlEntry*> by_key;
    for (auto& e : b.catalog.entries)
        if (!e.key.empty()) by_key[e.key] = &e;
    auto r = b.conn.query(sql_file("dependencies.sql"), {b.schema});
    for (int i = 0; i < r.rows(); ++i) {
        auto it = by_key.find(r.get(i, "object"));
        if (it == by_key.end() || !by_key.count(r.get(i, "referenced"))) continue;
        // A sequence "depends" on the table that owns it, while the table's
        // default depends on the sequence: ownership is set in post-data.
        if (it->second->kind == "SEQUENCE") continue;
        it->second->deps.push_back(r.get(i, "referenced"));
    }
}

void read_sequence_values(Builder& b) {
    auto names = b.conn.query(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname",
        {b.schema});
    if (names.rows() == 0) return;
    std::string sql;
    for (int i = 0; i < names.rows(); ++i) {
        if (i) sql += " UNION ALL ";
        sql += fmt::format("SELECT {} AS name, last_value::text, is_called FROM {}",
                           quote_literal(names.get(i, 0)), qualify(b.schema, names.get(i, 0)));
    }
    auto r = b.conn.query(sql);
    for (int i = 0; i < r.rows(); ++i)
        b.catalog.sequences.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2) == "t"});
}

}  // namespace dbclone::pg::detail
