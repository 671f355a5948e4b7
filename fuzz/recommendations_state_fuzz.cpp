// recommendations_state_fuzz.cpp -- libFuzzer target for the
// recommendations builder's stored per-profile state
// (plugins/recommendations/purchase_history.h), which it restores from a
// store that may be damaged or edited by hand, and for the product model
// fitted from it.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted blob encodes back to the same bytes.
//  - A history merged with itself keeps every order twice (within the
//    bound) and still encodes and decodes.
//  - A model fitted on the history recommends no product twice, at most
//    the number asked, none bought in the exclusion window, and lists no
//    product of the last order as bought together with it.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <set>
#include <stdexcept>
#include <string_view>

#include "product_model.h"
#include "purchase_history.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::recommendations;
  constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  PurchaseHistory history;
  try {
    history = PurchaseHistory::decode(blob);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (history.encode() != blob) std::abort();
  PurchaseHistory twice = history;
  twice.merge(history, kMaxOrdersKept);
  if (twice.orders().size() != std::min(2 * history.orders().size(), kMaxOrdersKept)) std::abort();
  if (PurchaseHistory::decode(twice.encode()).orders() != twice.orders()) std::abort();

  ProductModel model({5, 1, 20});
  model.add(history, kEnd);
  model.add(twice, kEnd);
  model.finish();
  const int64_t as_of = history.orders().empty() ? 0 : history.orders().back().at_ms;
  const auto recommended = model.recommend(&history, as_of, 86'400'000, 7);
  if (recommended.size() > 7) std::abort();
  std::set<std::string_view> seen(recommended.begin(), recommended.end());
  if (seen.size() != recommended.size()) std::abort();
  const Basket *last = history.last_order(as_of);
  if (last != nullptr) {
    for (std::string_view p : recommended) {
      for (const auto &b : history.bought(as_of, 20)) {
        // The guard first: as_of - 1 day must not overflow near INT64_MIN.
        if (as_of > INT64_MIN + 86'400'000 && b.product == p && b.last_ms > as_of - 86'400'000) {
          std::abort();
        }
      }
    }
    for (std::string_view p : model.together(*last, 5)) {
      for (const std::string &own : last->products) {
        if (own == p) std::abort();
      }
    }
  }
  return 0;
}
