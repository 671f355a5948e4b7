// linkage.h -- probabilistic record linkage of one table of person records:
// blocking, field comparisons, the Fellegi-Sunter model fitted without
// labels, and clusters of linked records (one cluster per person).
//
// Deterministic and order-independent: the same records and configuration
// give the same model, links and partition into clusters, in any row order
// (the random pair sample is seeded by the configuration and drawn over the
// rows sorted by content; patterns are summed in sorted order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fellegi_sunter.h"
#include "linkage_config.h"
#include "record_table.h"

namespace halo::linkage {

struct ScoredPair {
  uint32_t a, b;  // row indices, a < b
  Pattern pattern;
  double probability;
};

struct LinkageResult {
  size_t candidate_pairs = 0;
  size_t skipped_blocks = 0;
  size_t largest_block = 0;
  size_t u_sample_pairs = 0;  // random pairs behind u
  Model model;
  std::vector<ScoredPair> links;   // probability >= link_probability
  std::vector<ScoredPair> review;  // review_probability <= p < link_probability
  // Per row: the smallest row index of its cluster (links closed transitively).
  std::vector<uint32_t> cluster;
};

// False with `error` when the configuration names a column the table does
// not have.
bool link_records(const RecordTable &table, const LinkageConfig &config, LinkageResult &out,
                  std::string &error);

// The comparison pattern of rows a and b under `config` (what link_records
// scores), for tools and tests. False with `error` for a missing column or
// row.
bool compare_rows(const RecordTable &table, const LinkageConfig &config, uint32_t a, uint32_t b,
                  Pattern &out, std::string &error);

}  // namespace halo::linkage
