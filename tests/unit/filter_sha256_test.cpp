#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "store/filter/hashing_stream.h"
#include "store/filter/sha256.h"
#include "temp_store.h"

namespace dbclone {

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(Sha256::of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Sha256::of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, PiecewiseEqualsWhole) {
    Sha256 sha;
    std::string million_a(1000000, 'a');
    for (std::size_t i = 0; i < million_a.size(); i += 777)
        sha.update(million_a.data() + i, std::min<std::size_t>(777, million_a.size() - i));
    EXPECT_EQ(sha.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_THROW(sha.update("x", 1), Error);
}

TEST(HashingStream, WriterAndReaderAgreeWithTheStoredBytes) {
    test::TempStore temp;
    auto file = temp.store().open_write("obj");
    HashingWriter writer(*file);
    writer.write("ab", 2);
    writer.write("c", 1);
    writer.commit();
    EXPECT_EQ(writer.bytes(), 3u);
    EXPECT_EQ(writer.hex_digest(), Sha256::of("abc"));
    EXPECT_EQ(temp.slurp("obj"), "abc");

    auto in = temp.store().open_read("obj");
    HashingReader reader(*in);
    char buffer[2];
    std::string got;
    for (std::size_t n; (n = reader.read(buffer, sizeof buffer)) > 0;) got.append(buffer, n);
    EXPECT_EQ(got, "abc");
    EXPECT_EQ(reader.bytes(), 3u);
    EXPECT_EQ(reader.hex_digest(), Sha256::of("abc"));
}

}  // namespace dbclone
