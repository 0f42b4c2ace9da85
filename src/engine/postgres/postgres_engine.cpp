#include "core/error.h"
#include "engine/engine.h"

namespace dbclone {
std::unique_ptr<Engine> make_postgres_engine() { throw Error(ErrorKind::unsupported, "postgres engine not built yet"); }
}  // namespace dbclone
