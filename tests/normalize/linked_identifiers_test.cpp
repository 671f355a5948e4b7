// Probabilistic links (NormalizeOptions::linked): an identifier with a link
// brings the link key's identifier, keys chain, and a cycle ends.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "normalize/normalizer.h"
#include "normalizer_test_util.h"

namespace halo {
namespace {

std::set<std::string> identifiers_of(std::string_view raw, NormalizeOptions options) {
  Normalizer n(std::move(options));
  EventBatch batch;
  Rejection why;
  EXPECT_TRUE(n.normalize(raw, "crm", testing::kReceivedAt, batch, &why)) << why.message;
  std::set<std::string> out;
  if (batch.size() != 1) return out;
  const Event &e = batch.events[0];
  for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
    out.insert(std::string(batch.identifiers[k].type) + "=" +
               std::string(batch.identifiers[k].value));
  }
  return out;
}

TEST(LinkedIdentifiers, AnIdentifierWithALinkBringsItsKeyAndKeysChain) {
  NormalizeOptions o;
  o.linked[linked_key("email", "a@x.ir")] = "email:a@x.ir";
  o.linked[linked_key("linked", "email:a@x.ir")] = "user_id:u1";  // two clusters joined later
  const char *raw = R"({"type":"identify","userId":"u7","traits":{"email":"A@x.ir"}})";
  EXPECT_EQ(identifiers_of(raw, o),
            (std::set<std::string>{"user_id=u7", "email=a@x.ir", "linked=email:a@x.ir",
                                   "linked=user_id:u1"}));
  // Without a link, nothing is added.
  EXPECT_EQ(identifiers_of(R"({"type":"identify","userId":"u8"})", o),
            (std::set<std::string>{"user_id=u8"}));
}

TEST(LinkedIdentifiers, ACycleOfKeysEnds) {
  NormalizeOptions o;
  o.linked[linked_key("user_id", "u1")] = "k1";
  o.linked[linked_key("linked", "k1")] = "k2";
  o.linked[linked_key("linked", "k2")] = "k1";
  EXPECT_EQ(identifiers_of(R"({"type":"identify","userId":"u1"})", o),
            (std::set<std::string>{"user_id=u1", "linked=k1", "linked=k2"}));
}

}  // namespace
}  // namespace halo
