// Logging: spdlog behind a few functions so that every line is redacted and
// the level is set in one place (--verbose/--debug/--quiet).
#pragma once

#include <fmt/format.h>

#include <string>

namespace dbclone::log {

enum class Level { debug, info, warn, error };

void set_level(Level level);
void set_file(const std::string& path);  // also write to this file (export log)
void write(Level level, const std::string& message);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace dbclone::log
