// Dump artefacts on a local (or mounted) file system. Writes go to a
// temporary name in the same directory, are fsync'ed, and are renamed into
// place on commit(), so a crash or a full disk never leaves a partial chunk
// under its final name.
#pragma once

#include <filesystem>

#include "store/store.h"

namespace dbclone {

class FileStore final : public Store {
public:
    explicit FileStore(std::filesystem::path root);

    std::string display_url() const override;
    StoreCapabilities capabilities() const override { return {true, true}; }
    std::optional<ObjectInfo> stat(const std::string& path) override;
    std::vector<ObjectInfo> list(const std::string& prefix) override;
    std::unique_ptr<ReadStream> open_read(const std::string& path) override;
    std::unique_ptr<WriteStream> open_write(const std::string& path) override;
    void remove(const std::string& path) override;
    void discard_uncommitted(const std::string& prefix) override;
    void remove_empty_folders(const std::string& prefix) override;

private:
    std::filesystem::path resolve(const std::string& path) const;
    std::filesystem::path root_;
};

}  // namespace dbclone
