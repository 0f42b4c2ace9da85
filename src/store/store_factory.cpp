#include "core/error.h"
#include "store/file/file_store.h"
#include "store/store.h"

namespace dbclone {

std::unique_ptr<Store> open_store(const std::string& url) {
    const std::string file_scheme = "file://";
    if (url.rfind(file_scheme, 0) == 0) return std::make_unique<FileStore>(url.substr(file_scheme.size()));
    auto scheme_end = url.find("://");
    if (scheme_end != std::string::npos)
        throw Error(ErrorKind::usage, "unsupported store URL scheme '" + url.substr(0, scheme_end) + "'",
                    "use file:///path or a plain directory path");
    return std::make_unique<FileStore>(url);
}

std::string read_all(Store& store, const std::string& path) {
    auto in = store.open_read(path);
    std::string out;
    char buffer[65536];
    for (std::size_t n; (n = in->read(buffer, sizeof buffer)) > 0;) out.append(buffer, n);
    return out;
}

void write_all(Store& store, const std::string& path, const std::string& content) {
    auto out = store.open_write(path);
    out->write(content.data(), content.size());
    out->commit();
}

}  // namespace dbclone
