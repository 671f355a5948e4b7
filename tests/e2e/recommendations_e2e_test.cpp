// recommendations_e2e_test.cpp -- the recommendations builder through
// `halo run`: six customers whose recommendations and bought-together
// products are worked out by hand (the model tests in
// plugins/recommendations/tests hold the arithmetic), refused product
// lists as dead letters, the fitted counts in `halo model show`, a rebuild
// equal to the incremental run, and the accuracy check: on a time split of
// the demo data, hit rate at 10 against the most popular products.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>

#include "e2e_support.h"

namespace halo::e2e::recommendations_e2e_test {
namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kAsOf = 1'719'705'600;  // 2024-06-30T00:00:00Z

std::string order(const std::string &id, const std::string &user, int64_t days_before,
                  const std::string &products) {
  return R"({"type":"track","event":"Order Completed","messageId":")" + id + R"(","userId":")" +
         user + R"(","timestamp":")" + iso_utc(kAsOf - days_before * kDay) +
         R"(","properties":{"revenue":1,"products":)" + products + "}}\n";
}

std::string items(std::initializer_list<const char *> ids) {
  std::string out = "[";
  for (const char *id : ids) {
    if (out.size() > 1) out += ',';
    out += std::string(R"({"product_id":)") + id + R"(,"quantity":1})";
  }
  return out + "]";
}

// c1 {A,B}; c2 {A,B} then {C}; c3 {A,C}; c4 {B}; c5 {7}; c6 never
// ordered; a till receipt without lines; four orders whose product lists
// cannot be used.
std::string shop() {
  return order("o1", "c1", 50, items({R"("A")", R"("B")"})) +
         order("o2", "c2", 50, items({R"("A")", R"("B")"})) +
         order("o3", "c2", 40, items({R"("C")"})) +
         order("o4", "c3", 50, items({R"("A")", R"("C")"})) +
         order("o5", "c4", 50, items({R"("B")"})) + order("o6", "c5", 50, items({"7"})) +
         R"({"type":"identify","messageId":"i6","userId":"c6","timestamp":"2024-01-01T00:00:00Z","traits":{"name":"Sara"}})"
         "\n" +
         R"({"type":"track","event":"Order Completed","messageId":"pos","userId":"c6","timestamp":"2024-06-01T00:00:00Z","properties":{"revenue":5}})"
         "\n" +
         order("x1", "x", 10, R"([{"name":"no id"}])") +
         order("x2", "x", 10, R"([{"product_id":true}])") +
         order("x3", "x", 10, items({R"("A")", R"("B")", R"("C")", "7"})) +
         order("x4", "x", 10, items({("\"" + std::string(300, 'p') + "\"").c_str()}));
}

std::string pipeline() {
  return builder_pipeline("recs", "recommendations",
                          "{ top: 4, min_together: 1, exclude_recent: 45d, max_items: 3 }");
}

TEST(RecommendationsE2E, WorkedOutByHand) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline());
  write_file(dir / "events.jsonl", shop());
  RunOutcome r = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // sim(A,B) = 2/3, sim(A,C) = 2/sqrt(6), sim(B,C) = 1/sqrt(6); c2's C
  // (40 days ago) is within exclude_recent, A and B (50 days) are not.
  expect_exported(dir, "c2", R"("recommended_products":"A,B,7","bought_together":"A")");
  expect_exported(dir, "c4", R"("recommended_products":"A,C,B,7","bought_together":"A")");
  // c1: C scores 2/sqrt(6) + 1/sqrt(6) above A and B (2/3 each; A first
  // by id, as they tie on popularity too).
  expect_exported(dir, "c1", R"("recommended_products":"C,A,B,7","bought_together":"C")");
  // Nothing similar to 7, and no history: the most popular.
  expect_exported(dir, "c5", R"("recommended_products":"A,B,C,7","bought_together":null)");
  expect_exported(dir, "c6", R"("recommended_products":"A,B,C,7","bought_together":null)");

  EXPECT_EQ(summary_count(r.summary, "feature_rejections"), 4) << r.summary;
  CommandResult letters = run({halo_bin(), "deadletters", dir / "p.yaml"});
  ASSERT_EQ(letters.exit_code, 0) << letters.err;
  for (const char *reason :
       {"missing_value", "not_a_string", "too_many_values", "value_too_long"}) {
    EXPECT_NE(letters.out.find(reason), std::string::npos) << reason << "\n" << letters.out;
  }
  CommandResult model =
      run({halo_bin(), "model", "show", dir / "p.yaml", "recs", "--format", "json"});
  ASSERT_EQ(model.exit_code, 0) << model.err;
  EXPECT_NE(model.out.find(R"("params":{"customers":5,"orders":6,"products":4,)"),
            std::string::npos)
      << model.out;
}

TEST(RecommendationsE2E, ANewOrderChangesOthersAndARebuildAgrees) {
  TempDir dir;
  write_file(dir / "p.yaml", pipeline());
  write_file(dir / "events.jsonl", shop());
  ASSERT_EQ(run_pipeline(dir / "p.yaml").exit_code, 0);
  // c6 buys 7 and C together: 7 gains a neighbour, so c5 (who bought 7)
  // is now recommended C first; c6's own purchases are recent.
  write_file(dir / "events.jsonl", shop() + order("o7", "c6", 1, items({"7", R"("C")"})));
  RunOutcome again = run_pipeline(dir / "p.yaml");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  expect_exported(dir, "c5", R"("recommended_products":"C,A,B,7","bought_together":"C")");
  expect_exported(dir, "c6", R"("recommended_products":"A,B","bought_together":"A")");
  const std::string incremental = profiles_without_ids(dir / "var/profiles.jsonl");
  CommandResult rebuilt = run({halo_bin(), "rebuild", dir / "p.yaml", "-q"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(profiles_without_ids(dir / "var/profiles.jsonl"), incremental);
}

// The accuracy check (docs/accuracy.md): the demo shop's orders up to a
// reference time train the model; a customer (WooCommerce customer id)
// with orders on both sides of it is a hit when one of the products they
// bought afterwards is among the 10 recommended. The baseline recommends
// the 10 most popular products (customers who bought them before the
// reference time) with the same exclusion of recent purchases. 6,000
// generated customers give about 100 with orders on both sides.
constexpr int kAccuracyCustomers = 6000;

struct WooOrder {
  int64_t at;
  int64_t customer;
  std::vector<std::string> products;
};

std::vector<WooOrder> woo_orders(const std::string &path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path);
  std::vector<WooOrder> out;
  for (simdjson::dom::element o : doc.get_array()) {
    const std::string_view status = o["status"].get_string().value();
    if (status != "completed" && status != "processing") continue;  // Order Completed
    std::tm tm{};
    const std::string when(o["date_created_gmt"].get_string().value());
    strptime(when.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    WooOrder w{static_cast<int64_t>(timegm(&tm)), o["customer_id"].get_int64().value(), {}};
    for (simdjson::dom::element item : o["line_items"].get_array()) {
      w.products.push_back(std::to_string(item["product_id"].get_int64().value()));
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<std::string> split_list(const std::string &line, const std::string &feature) {
  const std::string key = "\"" + feature + "\":\"";
  size_t at = line.find(key);
  std::vector<std::string> out;
  if (at == std::string::npos) return out;
  at += key.size();
  const std::string list = line.substr(at, line.find('"', at) - at);
  for (size_t b = 0; b <= list.size();) {
    size_t e = std::min(list.find(',', b), list.size());
    out.push_back(list.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

TEST(RecommendationsAccuracy, BeatsThePopularityBaselineOnATimeSplit) {
  TempDir dir;
  CommandResult generated = run({datagen_bin(), "demo", "--out", dir / "data/demo", "--customers",
                                 std::to_string(kAccuracyCustomers), "--seed", "7"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  std::vector<WooOrder> orders = woo_orders(dir / "data/demo/woo_orders.json");
  ASSERT_GT(orders.size(), 1000u);
  std::vector<int64_t> times;
  for (const WooOrder &o : orders) times.push_back(o.at);
  std::sort(times.begin(), times.end());
  const int64_t split = times[times.size() * 4 / 5];  // the last fifth is the future
  constexpr int64_t kExclude = 30 * kDay;

  const std::string path = install_demo_pipeline(dir.path(), "  as_of: \"" + iso_utc(split) + "\"");
  std::string yaml = read_file(path);
  const std::string feature =
      "  - name: recs\n    plugin: recommendations\n    config: { top: 10, exclude_recent: 30d }\n";
  yaml.insert(yaml.find("\ndestinations:") + 1, feature);
  write_file(path, yaml);
  RunOutcome r = run_pipeline(path);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  std::map<int64_t, std::vector<std::string>> recommended;  // by woo customer id
  for (const Profile &p : read_profiles(dir / "var/demo/profiles.jsonl")) {
    auto ids = p.identifiers.find("woo_customer_id");
    if (ids == p.identifiers.end()) continue;
    for (const std::string &id : ids->second) {
      recommended[std::stoll(id)] = split_list(p.line, "recommended_products");
    }
  }
  std::map<std::string, std::set<int64_t>> buyers;  // before the split
  std::map<int64_t, std::set<std::string>> recent, later;
  std::set<int64_t> before;
  for (const WooOrder &o : orders) {
    if (o.customer == 0) continue;  // guests: no stable id to check against
    for (const std::string &p : o.products) {
      if (o.at <= split) buyers[p].insert(o.customer);
      if (o.at <= split && o.at > split - kExclude) recent[o.customer].insert(p);
      if (o.at > split) later[o.customer].insert(p);
    }
    if (o.at <= split) before.insert(o.customer);
  }
  std::vector<std::pair<size_t, std::string>> popularity;
  for (const auto &[p, who] : buyers) popularity.push_back({who.size(), p});
  std::sort(popularity.begin(), popularity.end(), [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });

  size_t customers = 0, hits = 0, baseline_hits = 0;
  for (const auto &[customer, bought] : later) {
    if (!before.contains(customer)) continue;  // cold start: no history to learn from
    ++customers;
    const auto &mine = recommended[customer];
    ASSERT_EQ(mine.size(), 10u) << customer;
    hits +=
        std::any_of(mine.begin(), mine.end(), [&](const auto &p) { return bought.contains(p); });
    std::vector<std::string> popular;
    for (const auto &[n, p] : popularity) {
      if (popular.size() < 10 && !recent[customer].contains(p)) popular.push_back(p);
    }
    baseline_hits += std::any_of(popular.begin(), popular.end(),
                                 [&](const auto &p) { return bought.contains(p); });
  }
  ASSERT_GT(customers, 50u);
  const double rate = double(hits) / customers, baseline = double(baseline_hits) / customers;
  std::printf("hit rate @10 on %zu customers: recommendations %.3f, popularity %.3f\n", customers,
              rate, baseline);
  EXPECT_GT(rate, baseline + 0.05);
}

}  // namespace
}  // namespace halo::e2e::recommendations_e2e_test
