// cursor_test.cpp -- the checkpoint codec and the GMT date helpers it
// relies on: round trips, a fresh cursor, and refusal of anything else.
#include "woo_cursor.h"
#include "woo_time.h"

#include <gtest/gtest.h>

namespace halo::woo {
namespace {

TEST(WooCursor, RoundTripsEveryField) {
  WooCursor c;
  c.orders = OrdersScan{true, "2026-01-02T03:04:05", 3, "2026-01-02T03:04:05"};
  c.customers = CustomersScan{true, 40, 57, 2};
  std::string text = encode_cursor(c), error;
  auto back = decode_cursor(text, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(encode_cursor(*back), text);
  EXPECT_TRUE(back->orders.in_scan);
  EXPECT_EQ(back->orders.from, "2026-01-02T03:04:05");
  EXPECT_EQ(back->orders.page, 3);
  EXPECT_EQ(back->customers.max_id, 40);
  EXPECT_EQ(back->customers.scan_top, 57);
  EXPECT_EQ(back->customers.page, 2);
}

TEST(WooCursor, EmptyIsFreshAndGarbageIsRefusedWithTheText) {
  std::string error;
  auto fresh = decode_cursor("", error);
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->orders.in_scan);
  EXPECT_EQ(fresh->customers.max_id, 0);
  for (const char *bad :
       {"{", R"({"v":2,"orders":{},"customers":{}})",
        R"({"v":1,"orders":{"in_scan":true},"customers":{}})", "halo-file-cursor v1 x"}) {
    EXPECT_FALSE(decode_cursor(bad, error)) << bad;
    EXPECT_NE(error.find("woocommerce cursor"), std::string::npos);
  }
  WooCursor c;
  c.orders.page = 0;  // pages start at 1
  EXPECT_FALSE(decode_cursor(encode_cursor(c), error));
}

TEST(WooTime, ParsesWooGmtFormsAndFormatsBack) {
  EXPECT_EQ(parse_gmt("2026-01-01T00:00:00"), 1767225600);
  EXPECT_EQ(parse_gmt("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_EQ(parse_gmt("2026-01-01T00:00:01.250+00:00"), 1767225601);
  EXPECT_EQ(format_gmt(1767225600 - 1), "2025-12-31T23:59:59");
  EXPECT_FALSE(parse_gmt("2026-01-01 00:00:00"));
  EXPECT_FALSE(parse_gmt("2026-13-01T00:00:00"));
  EXPECT_FALSE(parse_gmt("2026-01-01T00:00:00+03:30")) << "site-local dates are not GMT";
  EXPECT_FALSE(parse_gmt(""));
}

}  // namespace
}  // namespace halo::woo
