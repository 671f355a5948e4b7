// profile_post_test.cpp -- the requests of one delivery: batches by count
// and by bytes (a profile larger than the limit goes alone), removals in
// chunks, the closing request's counts, ids "delivery:sequence", and every
// body valid JSON.
#include "profile_post.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace halo::plugins::profile_webhook {
namespace {

std::string profile(int id, size_t pad = 0) {
  return R"({"profile_id":")" + std::to_string(id) + R"(","traits":{"note":")" +
         std::string(pad, 'x') + R"("}})";
}

void expect_json(const ProfilePost &p) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(p.body).get(e), simdjson::SUCCESS) << p.body;
}

TEST(DeliveryPosts, BatchesByCountThenCloses) {
  DeliveryPosts posts("d1", /*full=*/true, 2, 1 << 20);
  std::vector<ProfilePost> sent;
  for (int id = 1; id <= 5; ++id) {
    if (auto p = posts.add(profile(id))) sent.push_back(*p);
  }
  if (auto p = posts.flush()) sent.push_back(*p);
  sent.push_back(posts.completed());
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].id, "d1:1");
  EXPECT_EQ(sent[0].body, R"({"type":"profiles","delivery":"d1","mode":"full","sequence":1,)"
                          R"("profiles":[)" +
                              profile(1) + "," + profile(2) + "]}");
  EXPECT_EQ(sent[2].body, R"({"type":"profiles","delivery":"d1","mode":"full","sequence":3,)"
                          R"("profiles":[)" +
                              profile(5) + "]}");
  EXPECT_EQ(sent[3].id, "d1:4");
  EXPECT_EQ(sent[3].body, R"({"type":"delivery.completed","delivery":"d1","mode":"full",)"
                          R"("sequence":4,"profiles":5,"removed":0})");
  for (const ProfilePost &p : sent) expect_json(p);
  EXPECT_FALSE(posts.flush().has_value());
}

TEST(DeliveryPosts, BytesLimitABatchAndAnOversizedProfileGoesAlone) {
  DeliveryPosts posts("d2", /*full=*/false, 100, 400);
  std::vector<ProfilePost> sent;
  for (const std::string &p : {profile(1, 100), profile(2, 100), profile(3, 1000), profile(4)}) {
    if (auto post = posts.add(p)) sent.push_back(*post);
  }
  if (auto p = posts.flush()) sent.push_back(*p);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_NE(sent[0].body.find(profile(2, 100)), std::string::npos);          // 1 and 2 fit together
  EXPECT_NE(sent[1].body.find(profile(3, 1000) + "]}"), std::string::npos);  // alone
  EXPECT_EQ(sent[1].body.find(profile(4)), std::string::npos);
  for (const ProfilePost &p : sent) {
    expect_json(p);
    EXPECT_NE(p.body.find(R"("mode":"changes")"), std::string::npos);
  }
}

TEST(DeliveryPosts, RemovalsComeInChunksAndAreCounted) {
  DeliveryPosts posts("d3", /*full=*/false, 2, 1 << 20);
  const uint64_t ids[] = {7, 9, 12};
  const std::vector<ProfilePost> sent = posts.removed(ids, 3);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].body, R"({"type":"profiles.removed","delivery":"d3","mode":"changes",)"
                          R"("sequence":1,"profile_ids":["7","9"]})");
  EXPECT_EQ(sent[1].id, "d3:2");
  EXPECT_NE(posts.completed().body.find(R"("profiles":0,"removed":3})"), std::string::npos);
}

}  // namespace
}  // namespace halo::plugins::profile_webhook
