// ASCII character classes for the scanners that check names and read server
// text. Fixed byte ranges, independent of the C++ locale (unlike <cctype>):
// a byte of a multi-byte UTF-8 character is never a letter, a digit or a
// blank, whatever locale the process runs in.
#pragma once

#include <string_view>

namespace dbclone::ascii {

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
constexpr bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
constexpr bool is_alpha(char c) {
    return is_lower(c) || is_upper(c);
}
// Letter, digit or '_': what a word (and a word boundary) is made of.
constexpr bool is_word(char c) {
    return is_alpha(c) || is_digit(c) || c == '_';
}
// Space, tab, newline, vertical tab, form feed, carriage return.
constexpr bool is_space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// Every character of `s` passes `pred` (an empty `s` does).
template <class Pred>
constexpr bool all_of(std::string_view s, Pred pred) {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

}  // namespace dbclone::ascii
