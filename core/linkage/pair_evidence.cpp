// pair_evidence.cpp -- see pair_evidence.h.
#include "pair_evidence.h"

#include <cstdio>
#include <string>

#include "comparison.h"

namespace halo::linkage {

namespace {
std::string bits(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
}
}  // namespace

void write_pair_evidence(JsonWriter &w, const RecordTable &table, const LinkageConfig &config,
                         const Model &model, Pattern pattern, uint32_t a_row, uint32_t b_row) {
  const auto &a = table.rows[a_row], &b = table.rows[b_row];
  w.key("weight").raw(bits(model.weight(pattern)));
  w.key("fields").begin_array();
  for (size_t f = 0; f < config.fields.size(); ++f) {
    const FieldRule &rule = config.fields[f];
    const auto column = static_cast<size_t>(table.column(rule.column));
    const uint8_t level = level_of(pattern, f);
    w.begin_object().key("column").string(rule.column);
    w.key("a").string(a[column]).key("b").string(b[column]);
    w.key("level").string(level_name(rule.compare, level));
    w.key("weight").raw(bits(model.field_weight(f, level)));
    w.end_object();
  }
  w.end_array();
}

}  // namespace halo::linkage
