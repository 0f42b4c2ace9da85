// SQLSTATE codes dbclone decides on (PostgreSQL Appendix A). Messages are
// translated by the server (lc_messages); codes are not.
#pragma once

#include <string_view>

#include "core/error.h"

namespace dbclone::pg::sqlstate {

inline constexpr std::string_view kDuplicateTable = "42P07";
inline constexpr std::string_view kDuplicateObject = "42710";
inline constexpr std::string_view kDuplicateSchema = "42P06";
inline constexpr std::string_view kDuplicateFunction = "42723";
inline constexpr std::string_view kDuplicateColumn = "42701";
// "multiple primary keys for table ... are not allowed"
inline constexpr std::string_view kInvalidTableDefinition = "42P16";
inline constexpr std::string_view kInsufficientPrivilege = "42501";
inline constexpr std::string_view kLockNotAvailable = "55P03";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kInvalidCatalogName = "3D000";  // database does not exist
inline constexpr std::string_view kInvalidPassword = "28P01";
inline constexpr std::string_view kInvalidAuthorization = "28000";

// The statement failed because the object it creates is already there.
inline bool is_duplicate_object(const Error& e) {
    const auto& s = e.sqlstate();
    return s == kDuplicateTable || s == kDuplicateObject || s == kDuplicateSchema ||
           s == kDuplicateFunction || s == kDuplicateColumn;
}

// As is_duplicate_object, plus a second primary key on a table that has one
// (ALTER TABLE ... ADD PRIMARY KEY reports 42P16, not a duplicate).
inline bool is_already_there(const Error& e) {
    return is_duplicate_object(e) || e.sqlstate() == kInvalidTableDefinition;
}

}  // namespace dbclone::pg::sqlstate
