// recommendations_plugin.cpp -- the `recommendations` feature builder: per
// profile, its recent orders and their products (purchase_history.h); once
// per run, product similarity, bought-together and popularity over every
// customer (product_model.h, fit() of plugin ABI 1.2); per profile, the
// top products to recommend and those bought together with its last order.
// README.md has the options and the rules.
//
// Invariants: options are read only in the constructor; an order whose
// product list cannot be read exactly (an item without an id, an id that
// is not text or a number, too long, too many items) is refused -- a dead
// letter of this builder -- never read in part; an order without a product
// list (a till receipt without lines) is no evidence and is skipped.
#include <halo/sdk.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/profile_states.h"
#include "common/string_keyed.h"
#include "common/time_text.h"
#include "product_model.h"
#include "purchase_history.h"

namespace halo::recommendations {
namespace {

// Why an order's products cannot be used, for the dead letter.
struct Refusal {
  const char *reason;
  std::string what;
};

class RecommendationsBuilder final : public FeatureBuilder {
 public:
  explicit RecommendationsBuilder(Host host)
      : FeatureBuilder(host),
        products_path_(host.string_option("products")),
        product_id_(host.string_option("product_id")),
        top_(static_cast<size_t>(host.int_option("top"))),
        together_top_(static_cast<size_t>(host.int_option("together_top"))),
        exclude_ms_(host.duration_option("exclude_recent").count()),
        max_orders_(static_cast<size_t>(host.int_option("max_orders"))),
        max_items_(static_cast<size_t>(host.int_option("max_items"))),
        model_options_{static_cast<size_t>(host.int_option("neighbours")),
                       static_cast<uint32_t>(host.int_option("min_together")),
                       static_cast<size_t>(host.int_option("max_bought"))} {
    for (const std::string &e : host.string_list_option("events")) events_.insert(e);
  }

  void restore(const halo_state_row *rows, size_t n) override { histories_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    std::vector<std::string> products;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch.type(i) != HALO_EVENT_TRACK || !events_.contains(batch.name(i))) continue;
      products.clear();
      if (auto refused = read_products(batch, i, products)) {
        const std::string message = "recommendations: " + refused->what +
                                    "; the order is left out of this builder's purchase history";
        if (!batch.reject(i, refused->reason, message)) throw Error(message);
        continue;
      }
      if (products.empty()) continue;  // no product list: no evidence
      histories_.touch(profile_ids[i]).add(batch.timestamp_ms(i), std::move(products), max_orders_);
      products = {};
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    histories_.merge(from, into, [this](PurchaseHistory &to, const PurchaseHistory &moved) {
      to.merge(moved, max_orders_);
    });
  }

  void save_dirty(const StateWriter &w) override { histories_.save_dirty(w); }

  void fit(int64_t as_of_ms, const ModelWriter &w) {
    model_ = ProductModel(model_options_);
    histories_.for_each(
        [&](uint64_t, const PurchaseHistory &history) { model_.add(history, as_of_ms); });
    model_.finish();
    w.param("customers", static_cast<double>(model_.customers()));
    w.param("orders", static_cast<double>(model_.orders()));
    w.param("products", static_cast<double>(model_.products()));
    w.param("similar_pairs", static_cast<double>(model_.similar_pairs()));
    w.param("together_pairs", static_cast<double>(model_.together_pairs()));
    w.data(model_.encode());
  }

  // The product model as fit() left it (load_model in plugin.h).
  void load_model(std::string_view data) {
    try {
      model_ = ProductModel::decode(data, model_options_);
    } catch (const std::runtime_error &e) {
      throw Error(std::string("recommendations: stored model: ") + e.what());
    }
  }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    const PurchaseHistory *history = histories_.find(profile_id);
    const auto recommended = model_.recommend(history, as_of_ms, exclude_ms_, top_);
    if (recommended.empty()) {
      w.null("recommended_products");
    } else {
      w.string("recommended_products", join_products(recommended));
    }
    const Basket *last = history == nullptr ? nullptr : history->last_order(as_of_ms);
    const auto together =
        last == nullptr ? std::vector<std::string_view>{} : model_.together(*last, together_top_);
    if (together.empty()) {
      w.null("bought_together");
    } else {
      w.string("bought_together", join_products(together));
    }
    if (history != nullptr) w.valid_until(next_change(*history, as_of_ms));
  }

 private:
  // The first time after `as_of_ms` the profile's own features can change
  // without new events: a recent purchase leaves the exclusion window, or
  // an order dated after the reference time comes due.
  int64_t next_change(const PurchaseHistory &history, int64_t as_of_ms) const {
    int64_t next = INT64_MAX;
    for (const Basket &b : history.orders()) {
      const int64_t at =
          b.at_ms > as_of_ms ? b.at_ms : plugins::saturating_add(b.at_ms, exclude_ms_);
      if (at > as_of_ms) next = std::min(next, at);
    }
    return next;
  }

  // The order's distinct product ids in `out` (empty without a product
  // list), or why they cannot be used.
  std::optional<Refusal> read_products(const Batch &batch, size_t i,
                                       std::vector<std::string> &out) const {
    for (size_t k = 0;; ++k) {
      const std::string item = products_path_ + "." + std::to_string(k);
      auto id = batch.field(i, (item + "." + product_id_).c_str());
      if (!id) {
        // The end of the list, or an item without an id: any other field
        // of it tells them apart.
        if (!item_present(batch, i, item)) return std::nullopt;
        return Refusal{"missing_value", item + "." + product_id_ + " is missing"};
      }
      if (k == max_items_) {
        return Refusal{"too_many_values", products_path_ + " lists more than " +
                                              std::to_string(max_items_) + " items"};
      }
      if (id->kind != HALO_VALUE_STRING && id->kind != HALO_VALUE_NUMBER) {
        return Refusal{"not_a_string", item + "." + product_id_ + " is not text or a number"};
      }
      const std::string_view text = value_text(*id);
      if (text.empty() || text.size() > kMaxProductIdBytes) {
        return Refusal{"value_too_long", item + "." + product_id_ + " is empty or longer than " +
                                             std::to_string(kMaxProductIdBytes) + " bytes"};
      }
      out.emplace_back(text);
    }
  }

  // Whether the event has any scalar under `item.` (field_at lists them).
  static bool item_present(const Batch &batch, size_t i, const std::string &item) {
    const std::string prefix = item + ".";
    for (size_t k = 0; k < batch.field_count(i); ++k) {
      if (batch.field_at(i, k).first.starts_with(prefix)) return true;
    }
    return false;
  }

  plugins::StringSet events_;
  std::string products_path_, product_id_;
  size_t top_, together_top_;
  int64_t exclude_ms_;
  size_t max_orders_, max_items_;
  ModelOptions model_options_;
  plugins::ProfileStates<PurchaseHistory> histories_{"recommendations"};
  ProductModel model_;
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING_LIST, "events", "[Order Completed]", false,
           "The track events that are orders"),
    option(HALO_OPT_STRING, "products", "properties.products", false,
           "Dotted path of the order's list of items"),
    option(HALO_OPT_STRING, "product_id", "product_id", false, "The product id field of an item"),
    within(option(HALO_OPT_INT, "top", "10", false, "How many products to recommend"), "1", "100"),
    within(option(HALO_OPT_INT, "together_top", "3", false,
                  "How many bought-together products to list"),
           "1", "100"),
    within(option(HALO_OPT_DURATION, "exclude_recent", "30d", false,
                  "Products a customer bought this recently are not recommended to them"),
           "0s", "36500d"),
    within(option(HALO_OPT_INT, "max_orders", "50", false, "Most recent orders kept per customer"),
           "1", "1000"),
    within(option(HALO_OPT_INT, "max_items", "100", false,
                  "Orders listing more items are refused (a dead letter of this builder)"),
           "1", "1000"),
    within(option(HALO_OPT_INT, "max_bought", "50", false,
                  "Most recently bought distinct products of a customer used for similarity"),
           "1", "1000"),
    within(option(HALO_OPT_INT, "neighbours", "20", false,
                  "Similar and bought-together products kept per product"),
           "1", "1000"),
    within(option(HALO_OPT_INT, "min_together", "2", false,
                  "Customers (similarity) or orders (bought together) a pair needs to count"),
           "1", "1000000"),
};

}  // namespace
}  // namespace halo::recommendations

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::recommendations::RecommendationsBuilder>(
    "recommendations", "1.0.0",
    "Product recommendations: item-to-item similarity, bought together, popularity",
    halo::recommendations::kOptions, HALO_CAP_PARTIAL_RESTORE))
