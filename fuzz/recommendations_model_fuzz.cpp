// recommendations_model_fuzz.cpp -- libFuzzer target for the
// recommendations builder's stored product model (ProductModel::decode in
// plugins/recommendations/product_model.h), which a run reuses from a
// store that may be damaged or edited by hand.
// Invariants checked:
//  - decode either throws std::runtime_error or accepts; nothing else.
//  - An accepted model encodes back to the same bytes (one encoding per
//    model).
//  - It recommends no product twice and at most the number asked, for a
//    customer without history and for one who bought a listed product.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string_view>

#include "product_model.h"
#include "purchase_history.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::recommendations;
  std::string_view blob(reinterpret_cast<const char *>(data), size);
  ProductModel model;
  try {
    model = ProductModel::decode(blob, {5, 1, 20});
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (model.encode() != blob) std::abort();
  auto check = [](const std::vector<std::string_view> &products, size_t n) {
    std::set<std::string_view> seen(products.begin(), products.end());
    if (products.size() > n || seen.size() != products.size()) std::abort();
  };
  check(model.recommend(nullptr, 0, 0, 7), 7);
  PurchaseHistory history;
  history.add(1000, {"A", "p0"}, kMaxOrdersKept);
  const Basket basket{1000, {"A", "p0"}};
  check(model.recommend(&history, 2000, 500, 4), 4);
  check(model.together(basket, 3), 3);
  return 0;
}
