// blocking.h -- candidate pairs: only records that share a blocking key are
// compared, so the work grows with the records and the sizes of their
// blocks, not with the square of the records.
//
// A key is a list of parts (COLUMN[:TRANSFORM], linkage_config.h); a record
// has a key value when every part is non-empty. Two records are a candidate
// pair when they have the same value of at least one key (the union over
// keys catches a pair that a typo hides from one key). A value shared by
// more than max_block_records records (a placeholder, "smith" in a large
// file) would cost the square of its size and says little; it is skipped
// and counted, never silently truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "linkage_config.h"

namespace halo::linkage {

struct ResolvedKeyPart {
  size_t column;
  KeyTransform transform;
};

struct CandidatePairs {
  // (a << 32) | b with a < b, sorted and unique.
  std::vector<uint64_t> pairs;
  size_t skipped_blocks = 0;  // key values over max_block_records
  size_t largest_block = 0;   // records in the largest block compared
};

// The value of one key part for a raw field: "" when it has none.
std::string key_part_value(std::string_view raw, KeyTransform transform);

CandidatePairs candidate_pairs(const std::vector<std::vector<std::string>> &rows,
                               const std::vector<std::vector<ResolvedKeyPart>> &keys,
                               size_t max_block_records);

inline uint32_t pair_first(uint64_t pair) {
  return static_cast<uint32_t>(pair >> 32);
}
inline uint32_t pair_second(uint64_t pair) {
  return static_cast<uint32_t>(pair);
}

}  // namespace halo::linkage
