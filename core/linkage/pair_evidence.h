// pair_evidence.h -- why two records were (nearly) linked, field by field:
// each compared column's two values, their agreement level and its weight.
// Written by `halo identity evaluate --pairs` and stored with every
// probabilistic link of a pipeline, which `halo identity explain` shows.
#pragma once

#include <cstdint>

#include "common/json_writer.h"
#include "fellegi_sunter.h"
#include "linkage.h"
#include "linkage_config.h"
#include "record_table.h"

namespace halo::linkage {

// Writes `"weight":W,"fields":[{"column","a","b","level","weight"}...]`
// into the object `w` has open: the pair's total weight, then one entry per
// configured field in configuration order; `a` is the value of row `a_row`,
// `b` of row `b_row` (the two rows `pattern` compared, in either order).
// Weights are in bits (log2 m/u) with three decimals.
void write_pair_evidence(JsonWriter &w, const RecordTable &table, const LinkageConfig &config,
                         const Model &model, Pattern pattern, uint32_t a_row, uint32_t b_row);

}  // namespace halo::linkage
