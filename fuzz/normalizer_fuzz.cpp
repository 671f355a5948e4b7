// normalizer_fuzz.cpp -- libFuzzer target for Normalizer::normalize on raw
// bytes, with the default limits and with tight ones (so every limit's path
// is reached by short inputs), a few identifier rules and declared trait
// kinds. Invariants checked:
//  - a record is either accepted (exactly one event appended, its ranges
//    inside the batch) or rejected with a known reason and a non-empty
//    message, the batch untouched;
//  - an accepted number field has valid JSON text (RFC 8259 §6) and a
//    finite value that is 0 only when the literal is 0 (no silent zero);
//  - no field an accepted event keeps at a declared trait's path holds a
//    value of another kind, nor, in an event `events:` declares, at a
//    declared property (nor an object or list there), and every value left
//    out is reported, with at most 64 bytes of it;
//  - nothing crashes, leaks or overflows the stack.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "common/json_number.h"
#include "event/trait_path.h"
#include "normalize/normalizer.h"

namespace {

halo::NormalizeOptions options(bool tight) {
  halo::NormalizeOptions o;
  halo::IdentifierRule phone{
      "phone", halo::IdentifierRule::Kind::kPhone, {"traits.phone", "properties.phone"}, "IR", {}};
  halo::IdentifierRule custom{"woo_customer_id",
                              halo::IdentifierRule::Kind::kText,
                              {"properties.customer_id"},
                              "IR",
                              {"0"}};
  o.identifiers.push_back(phone);
  o.identifiers.push_back(custom);
  o.trait_kinds = {{"age", halo::TraitKind::kNumber},
                   {"vip", halo::TraitKind::kBool},
                   {"city", halo::TraitKind::kText},
                   {"born", halo::TraitKind::kTime}};
  o.event_properties["Order Completed"] = {{"revenue", halo::TraitKind::kNumber},
                                           {"coupon", halo::TraitKind::kText},
                                           {"shipping.cost", halo::TraitKind::kNumber},
                                           {"items[].n", halo::TraitKind::kNumber},
                                           {"tags[]", halo::TraitKind::kText}};
  if (tight) {
    o.limits.max_record_bytes = 4096;
    o.limits.max_depth = 4;
    o.limits.max_string_bytes = 16;
    o.limits.max_fields = 8;
    o.limits.max_identifiers = 2;
    o.limits.max_number_digits = 6;
  }
  return o;
}

const std::set<std::string_view> &known_reasons() {
  namespace r = halo::rejection;
  static const std::set<std::string_view> reasons = {
      r::kMalformedJson,    r::kInvalidUtf8,      r::kTooLarge,           r::kWrongType,
      r::kMissingField,     r::kInvalidTimestamp, r::kNoIdentifier,       r::kTooDeep,
      r::kStringTooLong,    r::kTooManyFields,    r::kTooManyIdentifiers, r::kNumberTooPrecise,
      r::kNumberOutOfRange, r::kDuplicateKey};
  return reasons;
}

// A property path in the plan's form, every all-digit key after the first
// read as a list index (items.3.n -> items[].n). The oracle cannot tell an
// index from an object's key "3"; below, it is used only where that makes
// no difference (an object at a list's name is left out whole).
std::string plan_form(std::string_view name) {
  std::string out;
  for (size_t begin = 0; begin <= name.size();) {
    const size_t end = std::min(name.find('.', begin), name.size());
    const std::string_view key = name.substr(begin, end - begin);
    const bool digits = !key.empty() && key.find_first_not_of("0123456789") == key.npos;
    if (begin > 0 && digits) {
      out += "[]";
    } else {
      out += begin > 0 ? "." : "";
      out += key;
    }
    begin = end + 1;
  }
  return out;
}

// The declared kind of the trait a field offers, or nullptr.
const halo::TraitKind *declared_kind(const halo::NormalizeOptions &o, const halo::Event &e,
                                     std::string_view path) {
  const auto it = o.trait_kinds.find(halo::trait_name_at(e.type, path));
  return it == o.trait_kinds.end() ? nullptr : &it->second;
}

void check_trait_kinds(const halo::Normalizer &n, const halo::NormalizeOptions &o,
                       const halo::EventBatch &batch) {
  const halo::Event &e = batch.events[0];
  for (const halo::Field &f : batch.fields) {
    const halo::TraitKind *kind = declared_kind(o, e, f.path);
    if (kind == nullptr || f.value.kind == HALO_VALUE_NULL) continue;
    const bool fits = (*kind == halo::TraitKind::kNumber && f.value.kind == HALO_VALUE_NUMBER) ||
                      (*kind == halo::TraitKind::kBool && f.value.kind == HALO_VALUE_BOOL) ||
                      (*kind == halo::TraitKind::kText && f.value.kind == HALO_VALUE_STRING) ||
                      (*kind == halo::TraitKind::kTime && f.value.kind == HALO_VALUE_STRING);
    if (!fits) std::abort();
  }
  // A declared event keeps no declared property of another kind, nor an
  // object or list where one is declared.
  const auto plan = o.event_properties.find(e.name);
  for (const halo::Field &f : batch.fields) {
    if (plan == o.event_properties.end() || !f.path.starts_with("properties.")) continue;
    const std::string_view raw = std::string_view(f.path).substr(11);
    const std::string name = raw.find_first_of("[]") == raw.npos ? plan_form(raw) : "";
    for (const auto &[declared, kind] : plan->second) {
      if (name.size() > declared.size() && name.starts_with(declared) &&
          (name[declared.size()] == '.' || name[declared.size()] == '[')) {
        std::abort();  // inside a declared property: an object or list was kept
      }
      // Where the plan names a list's elements, only a list (or null) is kept.
      const size_t list = declared.find("[]");
      if (list != declared.npos && name.starts_with(declared.substr(0, list)) &&
          (name.size() == list ? f.value.kind != HALO_VALUE_NULL : name[list] == '.')) {
        std::abort();
      }
      if (name != declared || f.value.kind == HALO_VALUE_NULL) continue;
      const bool number = kind == halo::TraitKind::kNumber;
      if (f.value.kind != (number ? HALO_VALUE_NUMBER : HALO_VALUE_STRING)) std::abort();
    }
  }
  for (const halo::KindProblem &p : n.kind_problems()) {
    if (p.value.size() > 64) std::abort();
    if (p.event.empty()
            ? o.trait_kinds.count(p.name) == 0
            : plan == o.event_properties.end() || p.event != e.name ||
                  plan->second.count(p.list.empty() ? plan_form(p.name) : p.list) == 0) {
      std::abort();
    }
  }
}

void check_accepted(const halo::EventBatch &batch) {
  if (batch.events.size() != 1) std::abort();
  const halo::Event &e = batch.events[0];
  if (e.field_begin + e.field_count != batch.fields.size()) std::abort();
  if (e.id_begin + e.id_count != batch.identifiers.size() || e.id_count == 0) std::abort();
  for (const halo::Field &f : batch.fields) {
    if (f.value.kind != HALO_VALUE_NUMBER) continue;
    const halo::JsonNumberShape shape = halo::scan_json_number(f.value.text);
    if (!shape.valid || !std::isfinite(f.value.number)) std::abort();
    if (f.value.number == 0 && shape.significant_digits != 0) std::abort();
  }
}

void run(halo::Normalizer &n, const halo::NormalizeOptions &o, std::string_view raw) {
  halo::EventBatch batch;
  halo::Rejection why;
  if (n.normalize(raw, "web", 1767348010000, batch, &why)) {
    check_accepted(batch);
    check_trait_kinds(n, o, batch);
    return;
  }
  if (batch.size() != 0 || batch.arena.bytes_used() != 0) std::abort();
  if (why.message.empty() || known_reasons().count(why.reason) == 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const halo::NormalizeOptions loose_options = options(false);
  static const halo::NormalizeOptions tight_options = options(true);
  static halo::Normalizer loose(loose_options);
  static halo::Normalizer tight(tight_options);
  const std::string_view raw(reinterpret_cast<const char *>(data), size);
  run(loose, loose_options, raw);
  run(tight, tight_options, raw);
  return 0;
}
