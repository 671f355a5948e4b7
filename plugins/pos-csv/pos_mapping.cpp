// pos_mapping.cpp -- compiling, binding and applying the pos-csv mapping.
#include "pos_mapping.h"

#include "common/json_text.h"
#include "localized_digits.h"

#include <algorithm>

namespace halo::plugins {

namespace {

constexpr char kSyntheticMark = '\x1F';

std::string synthetic_path(size_t conversion) {
  return std::string(1, kSyntheticMark) + std::to_string(conversion);
}

// Header lookup tolerant of Arabic vs Persian Yeh/Kaf (see localized_digits.h).
int32_t find_column(const std::vector<std::string> &columns, const std::string &name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int32_t>(i);
  }
  std::string folded = fold_persian_letters(name);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (fold_persian_letters(columns[i]) == folded) return static_cast<int32_t>(i);
  }
  return -1;
}

std::string quoted_value(std::string_view value) {
  return "\"" + std::string(clip_utf8(value, 80)) + (value.size() > 80 ? "...\"" : "\"");
}

}  // namespace

class PosMapping::Lookup : public FieldLookup {
 public:
  Lookup(const std::vector<PathSlot> &slots, const std::vector<Conversion> &conversions,
         const std::vector<std::string_view> &fields)
      : slots_(slots), conversions_(conversions), fields_(fields) {}
  SourceValue field(size_t i) override {
    const PathSlot &slot = slots_[i];
    if (slot.conversion >= 0) {
      const Conversion &c = conversions_[static_cast<size_t>(slot.conversion)];
      if (!c.present) return {};
      return {c.money ? ValueKind::kNumber : ValueKind::kString, c.value};
    }
    if (slot.column < 0 || static_cast<size_t>(slot.column) >= fields_.size()) return {};
    std::string_view text = fields_[static_cast<size_t>(slot.column)];
    if (text.empty()) return {};
    return {ValueKind::kString, text};
  }

 private:
  const std::vector<PathSlot> &slots_;
  const std::vector<Conversion> &conversions_;
  const std::vector<std::string_view> &fields_;
};

PosMapping::Bound PosMapping::compile_variant(const std::vector<PosTarget> &targets,
                                              const std::optional<std::string> &event_literal) {
  std::vector<std::pair<std::string, FieldSpec>> specs;
  size_t conversion = 0;
  bool has_event = false;
  for (const PosTarget &t : targets) {
    FieldSpec spec = t.spec;
    if (t.date || t.money) {
      spec.from = synthetic_path(conversion++);
      spec.as = t.money ? ValueType::kNumber : ValueType::kString;
    }
    if (t.target == "event" && event_literal) {
      spec = FieldSpec{};
      spec.literal = *event_literal;
      has_event = true;
    }
    specs.emplace_back(t.target, std::move(spec));
  }
  if (event_literal && !has_event) {
    FieldSpec spec;
    spec.literal = *event_literal;
    specs.emplace_back("event", std::move(spec));
  }
  return Bound{RecordMapping::compile(specs), {}};
}

PosMapping PosMapping::compile(const std::vector<PosTarget> &targets,
                               const std::optional<std::string> &refund_event) {
  PosMapping m;
  for (const PosTarget &t : targets) {
    if (!t.date && !t.money) continue;
    if (t.spec.from.empty()) {
      throw MappingError(t.target, "converts a value (as: date/money) and needs from: a column");
    }
    if (t.refund_sign) {
      if (m.refund_conversion_ >= 0) {
        throw MappingError(t.target,
                           "sets refund_sign, but another money field already does; "
                           "mark only one amount");
      }
      m.refund_conversion_ = static_cast<int32_t>(m.conversions_.size());
    }
    Conversion c;
    c.target = t.target;
    c.column = t.spec.from;
    c.date = t.date;
    c.money = t.money;
    c.refund_sign = t.refund_sign;
    c.required = t.spec.required && !t.spec.default_value;
    m.conversions_.push_back(std::move(c));
  }
  if (refund_event && m.refund_conversion_ < 0) {
    throw MappingError("refund_event",
                       "refund_event is set but no money field has refund_sign: true; "
                       "mark the amount whose sign tells a refund");
  }
  if (!refund_event && m.refund_conversion_ >= 0) {
    throw MappingError(m.conversions_[static_cast<size_t>(m.refund_conversion_)].target,
                       "sets refund_sign: true but the source has no refund_event option; "
                       "add refund_event: \"Order Refunded\"");
  }
  m.normal_ = compile_variant(targets, std::nullopt);
  if (refund_event) m.refund_ = compile_variant(targets, refund_event);
  return m;
}

void PosMapping::bind_variant(Bound &bound, const std::vector<std::string> &columns,
                              std::vector<std::string> &missing) {
  const auto &paths = bound.mapping.source_paths();
  bound.slots.assign(paths.size(), PathSlot{});
  for (size_t p = 0; p < paths.size(); ++p) {
    if (!paths[p].empty() && paths[p][0] == kSyntheticMark) {
      bound.slots[p].conversion = std::stoi(paths[p].substr(1));
      continue;
    }
    int32_t column = find_column(columns, paths[p]);
    if (column < 0) {
      if (std::find(missing.begin(), missing.end(), paths[p]) == missing.end()) {
        missing.push_back(paths[p]);
      }
      continue;
    }
    bound.slots[p].column = column;
    if (std::find(used_columns_.begin(), used_columns_.end(), bound.slots[p].column) ==
        used_columns_.end()) {
      used_columns_.push_back(bound.slots[p].column);
    }
  }
}

std::vector<std::string> PosMapping::bind(const std::vector<std::string> &columns) {
  std::vector<std::string> missing;
  used_columns_.clear();
  for (Conversion &c : conversions_) {
    c.column_index = find_column(columns, c.column);
    if (c.column_index < 0) {
      missing.push_back(c.column);
    } else if (std::find(used_columns_.begin(), used_columns_.end(), c.column_index) ==
               used_columns_.end()) {
      used_columns_.push_back(c.column_index);
    }
  }
  bind_variant(normal_, columns, missing);
  if (refund_) bind_variant(*refund_, columns, missing);
  return missing;
}

bool PosMapping::convert_all(const std::vector<std::string_view> &fields, std::string &error) {
  std::string reason;
  for (Conversion &c : conversions_) {
    c.present = false;
    c.negative = false;
    if (c.column_index < 0 || static_cast<size_t>(c.column_index) >= fields.size()) {
      if (!c.required) continue;
      error = "required column '" + c.column + "' (mapping target '" + c.target +
              "') is missing from the file's header";
      return false;
    }
    std::string_view text = trim_ascii(fields[static_cast<size_t>(c.column_index)]);
    if (text.empty() && c.required) {
      error = "required column '" + c.column + "' (mapping target '" + c.target +
              "') is empty; add it to the export or set a default";
      return false;
    }
    if (text.empty()) continue;
    bool ok = c.money ? convert_pos_money(*c.money, text, c.scratch, c.value, c.negative, reason)
                      : convert_pos_date(*c.date, text, c.scratch, c.value, reason);
    if (!ok) {
      error = "value " + quoted_value(text) + " of column '" + c.column + "' (mapping target '" +
              c.target + "') " + reason +
              (c.money ? "; fix the export or the field's decimal_separator"
                       : "; fix the export or the field's calendar/format");
      return false;
    }
    c.present = true;
  }
  return true;
}

bool PosMapping::apply(const std::vector<std::string_view> &fields, std::string_view message_id,
                       std::string &out, std::string &error) {
  if (!convert_all(fields, error)) return false;
  Bound *variant = &normal_;
  if (refund_conversion_ >= 0) {
    Conversion &amount = conversions_[static_cast<size_t>(refund_conversion_)];
    if (amount.present && amount.negative) {
      amount.value.erase(0, 1);  // refunds carry a positive amount
      variant = &*refund_;
    }
  }
  Lookup lookup(variant->slots, conversions_, fields);
  return variant->mapping.apply(lookup, message_id, out, error);
}

}  // namespace halo::plugins
