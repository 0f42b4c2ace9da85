#include "store/file/file_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "core/errno_error.h"
#include "core/error.h"

namespace dbclone {

namespace fs = std::filesystem;

namespace {

// Writes go to "<final>.dbclone-tmp.<pid>.<n>" until commit renames them.
constexpr const char* kTempMarker = ".dbclone-tmp.";

class FileReadStream final : public ReadStream {
public:
    FileReadStream(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    ~FileReadStream() override { ::close(fd_); }
    std::size_t read(char* buffer, std::size_t n) override {
        for (;;) {
            ssize_t got = ::read(fd_, buffer, n);
            if (got >= 0) return static_cast<std::size_t>(got);
            if (errno != EINTR) throw errno_error("cannot read", name_);
        }
    }

private:
    int fd_;
    std::string name_;
};

class FileWriteStream final : public WriteStream {
public:
    FileWriteStream(fs::path final_path, fs::path temp_path, int fd)
        : final_(std::move(final_path)), temp_(std::move(temp_path)), fd_(fd) {}
    ~FileWriteStream() override {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) {
            std::error_code ec;
            fs::remove(temp_, ec);
        }
    }
    void write(const char* data, std::size_t n) override {
        while (n > 0) {
            ssize_t put = ::write(fd_, data, n);
            if (put < 0) {
                if (errno == EINTR) continue;
                throw errno_error("cannot write", final_.string());
            }
            data += put;
            n -= static_cast<std::size_t>(put);
        }
    }
    void commit() override {
        if (::fsync(fd_) != 0) throw errno_error("cannot sync", final_.string());
        if (::close(fd_) != 0) {
            fd_ = -1;
            throw errno_error("cannot close", final_.string());
        }
        fd_ = -1;
        if (::rename(temp_.c_str(), final_.c_str()) != 0)
            throw errno_error("cannot rename into", final_.string());
        committed_ = true;
        // The rename is durable only once the directory entry is.
        int dir = ::open(final_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }

private:
    fs::path final_;
    fs::path temp_;
    int fd_;
    bool committed_ = false;
};

}  // namespace

FileStore::FileStore(fs::path root) : root_(std::move(root)) {
    if (root_.empty()) throw Error(ErrorKind::usage, "empty store path");
}

std::string FileStore::display_url() const {
    return "file://" + fs::absolute(root_).string();
}

fs::path FileStore::resolve(const std::string& path) const {
    fs::path rel(path);
    // Paths come from manifests too: refuse anything that climbs out of the root.
    for (const auto& part : rel)
        if (part == "..") throw Error(ErrorKind::corrupt_artefact, "path escapes the store: " + path);
    if (rel.is_absolute()) throw Error(ErrorKind::corrupt_artefact, "absolute path in store: " + path);
    return root_ / rel;
}

std::optional<ObjectInfo> FileStore::stat(const std::string& path) {
    std::error_code ec;
    auto full = resolve(path);
    auto status = fs::status(full, ec);
    if (ec || !fs::is_regular_file(status)) return std::nullopt;
    return ObjectInfo{path, fs::file_size(full, ec)};
}

std::vector<ObjectInfo> FileStore::list(const std::string& prefix) {
    std::vector<ObjectInfo> out;
    std::error_code ec;
    if (!fs::exists(root_, ec)) return out;
    // Walk only the directory part of the prefix.
    auto slash = prefix.rfind('/');
    fs::path start = slash == std::string::npos ? root_ : resolve(prefix.substr(0, slash));
    if (!fs::is_directory(start, ec)) return out;
    for (auto it = fs::recursive_directory_iterator(start, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string rel = fs::relative(it->path(), root_, ec).generic_string();
        if (rel.rfind(prefix, 0) != 0) continue;
        if (rel.find(kTempMarker) != std::string::npos) continue;
        out.push_back({rel, it->file_size(ec)});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

std::unique_ptr<ReadStream> FileStore::open_read(const std::string& path) {
    auto full = resolve(path);
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) throw Error(ErrorKind::not_found, "no such object in store: " + full.string());
        throw errno_error("cannot open", full.string());
    }
    return std::make_unique<FileReadStream>(fd, full.string());
}

std::unique_ptr<WriteStream> FileStore::open_write(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    auto full = resolve(path);
    std::error_code ec;
    fs::create_directories(full.parent_path(), ec);
    if (ec) {
        errno = ec.value();
        throw errno_error("cannot create directory", full.parent_path().string());
    }
    fs::path temp = full;
    temp += kTempMarker + std::to_string(::getpid()) + "." + std::to_string(counter++);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) throw errno_error("cannot create", temp.string());
    return std::make_unique<FileWriteStream>(full, temp, fd);
}

void FileStore::remove(const std::string& path) {
    std::error_code ec;
    fs::remove(resolve(path), ec);
    if (ec) {
        errno = ec.value();
        throw errno_error("cannot remove", path);
    }
}

void FileStore::discard_uncommitted(const std::string& prefix) {
    std::error_code ec;
    auto slash = prefix.rfind('/');
    fs::path start = slash == std::string::npos ? root_ : resolve(prefix.substr(0, slash));
    if (!fs::is_directory(start, ec)) return;
    std::vector<fs::path> temps;
    for (auto it = fs::recursive_directory_iterator(start, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string rel = fs::relative(it->path(), root_, ec).generic_string();
        if (rel.rfind(prefix, 0) == 0 && rel.find(kTempMarker) != std::string::npos)
            temps.push_back(it->path());
    }
    for (const auto& temp : temps) {
        fs::remove(temp, ec);
        if (ec) {
            errno = ec.value();
            throw errno_error("cannot remove", temp.string());
        }
    }
}

void FileStore::remove_empty_folders(const std::string& prefix) {
    std::error_code ec;
    auto slash = prefix.rfind('/');
    if (slash == std::string::npos) return;
    const fs::path start = resolve(prefix.substr(0, slash));
    if (!fs::is_directory(start, ec)) return;
    std::vector<fs::path> folders;
    for (auto it = fs::recursive_directory_iterator(start, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_directory(ec)) folders.push_back(it->path());
    // Deepest first: a folder whose only content was empty folders goes too.
    std::sort(folders.begin(), folders.end(),
              [](const auto& a, const auto& b) { return a.native() > b.native(); });
    for (const auto& folder : folders)
        if (fs::is_empty(folder, ec)) fs::remove(folder, ec);
}

}  // namespace dbclone
