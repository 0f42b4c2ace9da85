// The store contract: where dump artefacts live. Small on purpose: stat, list,
// open for reading, open for writing (made visible only on commit), remove;
// plus capabilities as data that generic code checks instead of faking them.
// A new store kind is a folder src/store/<kind>/ implementing Store and one
// line in store_factory.cpp mapping its URL scheme.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dbclone {

struct ObjectInfo {
    std::string path;  // relative to the store root, '/'-separated
    std::uint64_t size = 0;
};

struct StoreCapabilities {
    bool atomic_commit = true;      // a committed object is never seen half-written
    bool real_directories = false;  // empty "folders" exist (file) or not (s3)
};

class ReadStream {
public:
    virtual ~ReadStream() = default;
    // Reads up to n bytes; returns 0 only at end of object.
    virtual std::size_t read(char* buffer, std::size_t n) = 0;
};

class WriteStream {
public:
    virtual ~WriteStream() = default;
    virtual void write(const char* data, std::size_t n) = 0;
    // Makes the object visible under its final name. Without commit() the
    // destructor discards what was written: a crash never leaves a partial
    // object that looks complete.
    virtual void commit() = 0;
};

class Store {
public:
    virtual ~Store() = default;
    // The store's URL with any credentials masked, for messages and manifests.
    virtual std::string display_url() const = 0;
    virtual StoreCapabilities capabilities() const = 0;
    virtual std::optional<ObjectInfo> stat(const std::string& path) = 0;
    // Every object whose path starts with prefix, sorted by path.
    virtual std::vector<ObjectInfo> list(const std::string& prefix) = 0;
    virtual std::unique_ptr<ReadStream> open_read(const std::string& path) = 0;
    virtual std::unique_ptr<WriteStream> open_write(const std::string& path) = 0;
    virtual void remove(const std::string& path) = 0;
    // Removes what writers that never committed left under prefix: the
    // temporary objects of a process killed mid-write (its destructor never
    // ran). Only for a prefix no live writer uses - the caller holds the run
    // lock of the run that owns it.
    virtual void discard_uncommitted(const std::string& prefix) = 0;
    // Removes the folders under prefix that hold nothing (left by remove()),
    // never prefix's own folder. Stores without folders have nothing to do.
    virtual void remove_empty_folders(const std::string& /*prefix*/) {}
};

// file:///abs/path, a plain path, or (when built in) s3://bucket/prefix.
std::unique_ptr<Store> open_store(const std::string& url);

// Convenience for small objects (manifest, DDL, logs).
std::string read_all(Store& store, const std::string& path);
void write_all(Store& store, const std::string& path, const std::string& content);

}  // namespace dbclone
