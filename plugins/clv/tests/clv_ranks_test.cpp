// clv_ranks_test.cpp -- the percentile of a lifetime value among the fitted
// customers' (clv_ranks.h): the empirical distribution in percent, ties
// sharing one value, and a stored form that refuses what it cannot hold.
#include "clv_ranks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace halo::clv {
namespace {

TEST(ClvRanks, PercentileIsTheShareAtOrBelow) {
  const ClvRanks ranks({40.0, 10.0, 20.0, 20.0, std::nan(""), 30.0});
  EXPECT_EQ(ranks.size(), 5u);  // the NaN is not ranked
  EXPECT_EQ(ranks.percentile(5.0), 0.0);
  EXPECT_EQ(ranks.percentile(10.0), 20.0);
  EXPECT_EQ(ranks.percentile(20.0), 60.0);  // ties share the upper value
  EXPECT_EQ(ranks.percentile(25.0), 60.0);
  EXPECT_EQ(ranks.percentile(40.0), 100.0);
  EXPECT_EQ(ranks.percentile(1e9), 100.0);
  EXPECT_FALSE(ranks.percentile(std::numeric_limits<double>::infinity()).has_value());
  EXPECT_FALSE(ClvRanks().percentile(1.0).has_value());
}

TEST(ClvRanks, TheStoredFormRoundTripsAndRefusesDamage) {
  const ClvRanks ranks({3.5, 1.25, 2.0});
  std::string bytes;
  plugins::ByteWriter w(bytes);
  ranks.encode(w);
  plugins::ByteReader r(bytes);
  const ClvRanks back = ClvRanks::decode(r);
  EXPECT_TRUE(r.done());
  ASSERT_EQ(back.size(), 3u);
  for (double x : {1.0, 1.25, 2.0, 3.0, 3.5}) EXPECT_EQ(back.percentile(x), ranks.percentile(x));

  auto refused = [](const std::string &blob) {
    plugins::ByteReader in(blob);
    EXPECT_THROW(ClvRanks::decode(in), std::runtime_error);
  };
  refused(bytes.substr(0, bytes.size() - 1));  // a value cut short
  std::string out_of_order;
  plugins::ByteWriter o(out_of_order);
  o.varint(2);
  o.real(2.0);
  o.real(1.0);
  refused(out_of_order);
  std::string not_finite;
  plugins::ByteWriter f(not_finite);
  f.varint(1);
  f.real(std::numeric_limits<double>::infinity());
  refused(not_finite);
  std::string too_many;
  plugins::ByteWriter m(too_many);
  m.varint(1'000'000);  // more than the input holds: refused before allocating
  m.real(1.0);
  refused(too_many);
}

}  // namespace
}  // namespace halo::clv
