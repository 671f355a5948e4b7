// segment_expr_fuzz.cpp -- libFuzzer target for segment expressions
// (core/segment/segment_expr.h), which operators type into pipeline files
// and `halo segment preview`.
// Invariants checked:
//  - parse either accepts or reports an error with a column inside the
//    text (1 .. characters + 1) and a message; nothing else.
//  - An accepted expression evaluates against a profile without failing,
//    and `not (E)` evaluates to the opposite.
//  - Every path it lists starts with traits., features. or identifiers.
//  - Every event-history term names a feature without '.', '[' or ']', by
//    the canonical name of its own fields, with a window of whole minutes.
//  - The next time its verdict may change by time alone is after now, and
//    the verdict just before that time is the verdict now.
//  - Each kind mismatch it reports names a path it reads whose kind is
//    known.
//  - Parsed as an event filter (ExprScope::kEvent), the same text is
//    accepted or refused with a column inside it; an accepted filter reads
//    only properties., context. and traits. paths (a profile's never hold
//    `[]`, an event's hold it only as list marks), no event history and no
//    segment, and evaluates on an event with lists, `not` of it the
//    opposite.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <halo/field_path.hpp>

#include "segment/event_subject.h"
#include "segment/segment_expr.h"

namespace {

class Profile : public halo::segment::Subject {
 public:
  Profile() {
    values_["traits.city"] = halo::TypedValue::string("تهران");
    values_["traits.vip"] = halo::TypedValue::boolean(true);
    values_["features.n"] = halo::TypedValue::integer(2);
    values_["features.x"] = halo::TypedValue::decimal("19.90");
    values_["features.t"] = halo::TypedValue::timestamp(1'700'000'000'000);
    values_["identifiers.email"] = halo::TypedValue::string_list({"a@b.c", "d@e.f"});
  }
  const halo::TypedValue *value(std::string_view path) const override {
    auto it = values_.find(std::string(path));
    return it == values_.end() ? nullptr : &it->second;
  }
  int64_t now_ms() const override { return now_; }
  bool in_segment(std::string_view name) const override { return name == "vip"; }
  // The same profile at another time.
  Profile at(int64_t now) const {
    Profile p = *this;
    p.now_ = now;
    return p;
  }

 private:
  std::map<std::string, halo::TypedValue> values_;
  int64_t now_ = 1'719'705'600'000;
};

// An order with a list of items, a list of tags and a plain property.
halo::EventBatch order_with_lists() {
  const auto number = [](std::string_view t) {
    return halo::Value{HALO_VALUE_NUMBER, false, 0, t};
  };
  const auto string = [](std::string_view t) {
    return halo::Value{HALO_VALUE_STRING, false, 0, t};
  };
  halo::EventBatch b;
  b.fields = {{"properties.products.0.sku", string("A-1")},
              {"properties.products.0.price", number("12.5")},
              {"properties.products.1.sku", string("کتاب")},
              {"properties.tags.0", string("gift")},
              {"properties.revenue", number("12.5")},
              {"context.page.url", string("https://example.com/")}};
  halo::Event e;
  e.name = "Order Completed";
  e.timestamp_ms = 1'719'705'600'000;
  e.field_count = static_cast<uint32_t>(b.fields.size());
  b.events = {e};
  return b;
}

void check_event_filter(std::string_view text, size_t characters) {
  using namespace halo::segment;
  ExprError error;
  auto filter = Expr::parse(text, error, {}, ExprScope::kEvent);
  if (!filter) {
    if (error.message.empty() || error.column < 1 || error.column > characters + 1) std::abort();
    return;
  }
  if (!filter->history().empty() || !filter->segments().empty()) std::abort();
  for (const std::string &p : filter->paths()) {
    if ((p.rfind("properties.", 0) != 0 && p.rfind("context.", 0) != 0 &&
         p.rfind("traits.", 0) != 0) ||
        !halo::well_formed_elements(p)) {
      std::abort();
    }
  }
  static const halo::EventBatch batch = order_with_lists();
  const bool result = filter->matches(EventSubject(batch, 0, filter->paths()));
  auto negated = Expr::parse("not (" + std::string(text) + ")", error, {}, ExprScope::kEvent);
  if (negated && negated->matches(EventSubject(batch, 0, negated->paths())) == result) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::segment;
  std::string_view text(reinterpret_cast<const char *>(data), size);
  size_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  check_event_filter(text, characters);
  ExprError error;
  auto expr = Expr::parse(text, error);
  if (!expr) {
    if (error.message.empty() || error.column < 1 || error.column > characters + 1) std::abort();
    return 0;
  }
  static const Profile profile;
  const bool result = expr->matches(profile);
  auto negated = Expr::parse("not (" + std::string(text) + ")", error);
  if (negated && negated->matches(profile) == result) std::abort();
  for (const std::string &p : expr->paths()) {
    if ((p.rfind("traits.", 0) != 0 && p.rfind("features.", 0) != 0 &&
         p.rfind("identifiers.", 0) != 0) ||
        halo::names_elements(p)) {
      std::abort();
    }
  }
  for (const HistoryTerm &h : expr->history()) {
    if (h.feature.find_first_of(".[]") != std::string::npos || h.event.empty() ||
        h.feature != history_feature_name(h) || h.window_ms < 0 || h.window_ms % 60'000 != 0) {
      std::abort();
    }
  }
  auto kind_of = [&](std::string_view path) -> std::optional<halo::TypedKind> {
    const halo::TypedValue *v = profile.value(path);
    return v ? std::optional<halo::TypedKind>(v->kind()) : std::nullopt;
  };
  for (const std::string &m : expr->kind_mismatches(kind_of)) {
    const std::string path = m.substr(0, m.find(' '));
    if (std::find(expr->paths().begin(), expr->paths().end(), path) == expr->paths().end() ||
        !kind_of(path)) {
      std::abort();
    }
  }
  if (auto next = expr->next_change_ms(profile)) {
    if (*next <= profile.now_ms()) std::abort();
    if (expr->matches(profile.at(*next - 1)) != result) std::abort();
  }
  return 0;
}
