#include "core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/redact.h"

namespace dbclone::log {

namespace {
std::shared_ptr<spdlog::logger>& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>("dbclone",
                                                  std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        l->set_pattern("%^%l%$: %v");
        l->set_level(spdlog::level::info);
        return l;
    }();
    return instance;
}
spdlog::level::level_enum to_spd(Level level) {
    switch (level) {
        case Level::debug:
            return spdlog::level::debug;
        case Level::info:
            return spdlog::level::info;
        case Level::warn:
            return spdlog::level::warn;
        case Level::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}
}  // namespace

void set_level(Level level) {
    logger()->set_level(to_spd(level));
}

void set_file(const std::string& path) {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false);
    sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
    sink->set_level(spdlog::level::debug);
    logger()->sinks().push_back(sink);
}

void write(Level level, const std::string& message) {
    logger()->log(to_spd(level), redact(message));
}

}  // namespace dbclone::log
