// event_codec_test.cpp -- the batch payload and key column layouts: exact
// little-endian bytes, round trips and rejection of damaged input.
#include "store/event_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace halo::store {
namespace {

TEST(EventCodecTest, LayoutIsLittleEndianAsDocumented) {
  std::vector<LoggedEvent> events = {{0x0102030405060708ull, -2, "ab", "xyz"}};
  std::string out;
  ASSERT_TRUE(encode_batch(events, out).ok());
  const std::string expected = std::string("\x01\x00\x00\x00", 4) +                  // count
                               std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8) +  // seq
                               std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8) +  // -2
                               std::string("\x02\x00", 2) + "ab" +                   // source
                               std::string("\x03\x00\x00\x00", 4) + "xyz";           // raw
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), encoded_batch_size(events));
}

TEST(EventCodecTest, RoundTripOfEmptyBatchAndEmptyStrings) {
  std::string out;
  std::vector<LoggedEvent> decoded = {{9, 9, "x", "y"}};
  ASSERT_TRUE(encode_batch({}, out).ok());
  ASSERT_TRUE(decode_batch(out, decoded).ok());
  EXPECT_TRUE(decoded.empty());
  std::vector<LoggedEvent> events = {{1, 0, "", ""}, {2, 5, "s", std::string_view("\0", 1)}};
  ASSERT_TRUE(encode_batch(events, out).ok());
  ASSERT_TRUE(decode_batch(out, decoded).ok());
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_EQ(decoded[0].raw, "");
  EXPECT_EQ(decoded[1].raw, std::string_view("\0", 1));
  EXPECT_EQ(decoded[1].source, "s");
}

TEST(EventCodecTest, OverlongSourceIsRejected) {
  std::string source(70000, 's');
  std::string out;
  Status s = encode_batch({{7, 0, source, "r"}}, out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("event 7"), std::string::npos) << s.message();
}

TEST(EventCodecTest, EveryTruncationIsCorruptionNotACrash) {
  std::vector<LoggedEvent> events = {{1, 1, "shop", "{\"a\":1}"}, {2, 2, "web", "{}"}};
  std::string out;
  ASSERT_TRUE(encode_batch(events, out).ok());
  std::vector<LoggedEvent> decoded;
  for (size_t len = 0; len < out.size(); ++len) {
    Status s = decode_batch(std::string_view(out).substr(0, len), decoded);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << "length " << len;
  }
  Status s = decode_batch(out + "!", decoded);
  EXPECT_NE(s.message().find("1 unexpected bytes"), std::string::npos) << s.message();
}

TEST(EventCodecTest, HugeClaimedCountIsRejectedBeforeAllocating) {
  std::string bogus("\xff\xff\xff\xff", 4);
  std::vector<LoggedEvent> decoded;
  Status s = decode_batch(bogus, decoded);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("4294967295 events"), std::string::npos) << s.message();
}

TEST(EventCodecTest, KeysRoundTripAndRejectPartialKeys) {
  std::vector<MessageKey> keys = {{1, 2}, {~0ull, 0x8000000000000000ull}};
  std::string bytes;
  encode_keys(keys, bytes);
  EXPECT_EQ(bytes.size(), 32u);
  EXPECT_EQ(bytes[0], '\x01');  // hi first, little-endian
  std::vector<MessageKey> back;
  ASSERT_TRUE(decode_keys(bytes, back).ok());
  EXPECT_EQ(back, keys);
  EXPECT_EQ(decode_keys(bytes.substr(0, 31), back).code(), StatusCode::kCorruption);
  // An empty column (a NULL blob reads as no bytes at a null pointer) is
  // no keys, under UBSan too (found by fuzz_store_file).
  ASSERT_TRUE(decode_keys(std::string_view(), back).ok());
  EXPECT_TRUE(back.empty());
}

}  // namespace
}  // namespace halo::store
