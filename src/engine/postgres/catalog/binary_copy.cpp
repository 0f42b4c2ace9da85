#include "engine/postgres/catalog/catalog.h"

namespace dbclone::pg {

void use_binary_copy(std::vector<TableData>& tables) {
    for (auto& t : tables) t.binary_copy = t.binary_capable;
}

}  // namespace dbclone::pg
