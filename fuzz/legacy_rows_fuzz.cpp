// legacy_rows_fuzz.cpp -- libFuzzer target for the schema-3 migration's
// reader of legacy JSON trait and feature rows (store/typed_migration.h),
// which reads text from a store file that may be damaged or hand-edited.
// Invariants checked: any bytes either fail with an error or convert to a
// typed row that the typed decoder accepts, whose trait names are unique
// and ascending, and whose values render as JSON simdjson accepts.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "profile/typed_codec.h"
#include "store/typed_migration.h"

namespace {

void check_json(const halo::NamedValues &values) {
  static simdjson::dom::parser parser;
  std::string json = halo::json_object(values);
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  auto traits = halo::store::legacy_traits_to_typed(text);
  if (traits.ok()) {
    halo::NamedValues values;
    halo::Status s = halo::decode_traits(*traits, [&](const halo::TraitRecord &r) {
      if (!values.empty() && !(values.back().name < r.name)) std::abort();
      values.push_back({std::string(r.name), *r.value});
    });
    if (!s.ok()) std::abort();
    check_json(values);
  }
  auto features = halo::store::legacy_features_to_typed(text);
  if (features.ok()) {
    halo::NamedValues values;
    if (!halo::decode_features(*features, &values).ok()) std::abort();
    check_json(values);
  }
  return 0;
}
