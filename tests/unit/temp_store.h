// A FileStore over a fresh temporary directory, removed after the test unless
// the test failed (then its path is printed, to look at what was left).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "store/file/file_store.h"

namespace dbclone::test {

class TempStore {
public:
    TempStore() {
        std::string pattern = (std::filesystem::temp_directory_path() / "dbclone-test-XXXXXX").string();
        char* made = ::mkdtemp(pattern.data());
        if (made == nullptr) throw std::runtime_error("mkdtemp failed");
        root_ = made;
        store_ = std::make_unique<FileStore>(root_);
    }
    ~TempStore() {
        if (::testing::Test::HasFailure()) {
            std::cerr << "test files kept in " << root_ << "\n";
            return;
        }
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;

    FileStore& store() { return *store_; }
    std::filesystem::path file(const std::string& relative) const { return root_ / relative; }

    // Raw access to a stored object, to damage it.
    std::string slurp(const std::string& relative) const {
        std::ifstream in(file(relative), std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    void overwrite(const std::string& relative, const std::string& content) const {
        std::ofstream out(file(relative), std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }

private:
    std::filesystem::path root_;
    std::unique_ptr<FileStore> store_;
};

}  // namespace dbclone::test
