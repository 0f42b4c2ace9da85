#include "engine/request.h"

namespace dbclone {

std::string_view command_name(Command command) {
    switch (command) {
        case Command::export_:
            return "export";
        case Command::import:
            return "import";
        case Command::clone:
            return "clone";
        case Command::refresh:
            return "refresh";
        case Command::verify:
            return "verify";
        case Command::doctor:
            return "doctor";
        case Command::dumps:
            return "dumps";
    }
    return "?";
}

}  // namespace dbclone
