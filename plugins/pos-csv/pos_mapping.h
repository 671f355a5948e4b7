// pos_mapping.h -- the pos-csv row mapping: the generic RecordMapping
// (plugins/common) plus per-field POS conversions (`as: date` with a
// calendar/format/UTC offset, `as: money` with rial/toman scaling) and the
// refund switch (a negative amount turns the row into `refund_event`).
//
// How it plugs into RecordMapping: a converted target reads a synthetic
// source path ("\x1F<n>") whose value is the conversion's output for the
// current row, so nesting, defaults, `required` and JSON writing stay the
// common code's. Conversions run before the mapping, so a bad value
// rejects the row with a message naming the column, the target and the fix.
//
// Invariants:
//  - compile() rejects every spec problem up front with a MappingError
//    naming the target.
//  - bind() is called once per file (header order may differ per file).
//  - A refund row is mapped by a second compiled mapping that differs only
//    in its `event` target, and its amount is written without the sign.
#pragma once

#include "common/record_mapping.h"
#include "pos_date.h"
#include "pos_money.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins {

struct PosTarget {
  std::string target;
  FieldSpec spec;  // spec.from is the column; date/money set `as` themselves
  std::optional<DateSpec> date;
  std::optional<MoneySpec> money;
  bool refund_sign = false;  // money only: a negative value marks a refund
};

class PosMapping {
 public:
  // Throws MappingError.
  static PosMapping compile(const std::vector<PosTarget> &targets,
                            const std::optional<std::string> &refund_event);

  // Binds column names of one file; returns the mapped columns it lacks.
  std::vector<std::string> bind(const std::vector<std::string> &columns);
  bool sets_message_id() const { return normal_.mapping.sets_message_id(); }
  // Header indexes of every column the mapping reads, in mapping order
  // (independent of the header's column order; for row hashes).
  const std::vector<int32_t> &used_columns() const { return used_columns_; }

  // Maps one row (fields in header order). False with `error` when a value
  // does not convert or the mapping rejects the row.
  bool apply(const std::vector<std::string_view> &fields, std::string_view message_id,
             std::string &out, std::string &error);

 private:
  struct Conversion {
    std::string target, column;
    std::optional<DateSpec> date;
    std::optional<MoneySpec> money;
    bool refund_sign = false;
    bool required = false;  // and no default: an empty cell rejects the row
    int32_t column_index = -1;
    bool present = false, negative = false;
    std::string value, scratch;
  };
  struct PathSlot {
    int32_t column = -1;      // header index, or -1
    int32_t conversion = -1;  // conversions_ index, or -1
  };
  struct Bound {
    RecordMapping mapping;
    std::vector<PathSlot> slots;  // per mapping.source_paths()
  };
  class Lookup;

  static Bound compile_variant(const std::vector<PosTarget> &targets,
                               const std::optional<std::string> &event_literal);
  void bind_variant(Bound &bound, const std::vector<std::string> &columns,
                    std::vector<std::string> &missing);
  bool convert_all(const std::vector<std::string_view> &fields, std::string &error);

  std::vector<Conversion> conversions_;
  Bound normal_;
  std::optional<Bound> refund_;
  int32_t refund_conversion_ = -1;
  std::vector<int32_t> used_columns_;
};

}  // namespace halo::plugins
