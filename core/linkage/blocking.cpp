// blocking.cpp -- candidate pairs from blocking keys; see blocking.h.
#include "blocking.h"

#include <xxhash.h>

#include <algorithm>

#include "name_fold.h"
#include "similarity.h"

namespace halo::linkage {

std::string key_part_value(std::string_view raw, KeyTransform transform) {
  const std::string folded = fold_text(raw);
  switch (transform) {
    case KeyTransform::kValue:
      return folded;
    case KeyTransform::kSoundex:
      return soundex(folded);
    case KeyTransform::kFirst3:
      return encode_utf8(decode_utf8(folded, 3));
    case KeyTransform::kYear:
      return folded.size() >= 4 ? folded.substr(0, 4) : std::string();
    case KeyTransform::kSkeleton:
      return skeleton(folded);
  }
  return {};
}

namespace {

struct Keyed {
  uint64_t hash;
  uint32_t record;
  bool operator<(const Keyed &o) const {
    return hash != o.hash ? hash < o.hash : record < o.record;
  }
};

// Records by the hash of one key's value. Hash collisions (2^-64 per pair
// of values) could only add a candidate pair, which the comparison scores.
std::vector<Keyed> keyed_records(const std::vector<std::vector<std::string>> &rows,
                                 const std::vector<ResolvedKeyPart> &key) {
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  std::string value;
  for (size_t r = 0; r < rows.size(); ++r) {
    value.clear();
    bool complete = true;
    for (const ResolvedKeyPart &part : key) {
      const std::string v = key_part_value(rows[r][part.column], part.transform);
      complete = complete && !v.empty();
      value += v;
      value.push_back('\x1f');  // unit separator: parts never run together
    }
    if (complete)
      keyed.push_back({XXH3_64bits(value.data(), value.size()), static_cast<uint32_t>(r)});
  }
  std::sort(keyed.begin(), keyed.end());
  return keyed;
}

}  // namespace

CandidatePairs candidate_pairs(const std::vector<std::vector<std::string>> &rows,
                               const std::vector<std::vector<ResolvedKeyPart>> &keys,
                               size_t max_block_records) {
  CandidatePairs out;
  for (const auto &key : keys) {
    const std::vector<Keyed> keyed = keyed_records(rows, key);
    for (size_t begin = 0, end = 0; begin < keyed.size(); begin = end) {
      end = begin + 1;
      while (end < keyed.size() && keyed[end].hash == keyed[begin].hash) ++end;
      const size_t size = end - begin;
      if (size > max_block_records) {
        ++out.skipped_blocks;
        continue;
      }
      out.largest_block = std::max(out.largest_block, size);
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          out.pairs.push_back(uint64_t{keyed[i].record} << 32 | keyed[j].record);
        }
      }
    }
    // Deduplicate as we go so the union never holds one pair many times.
    std::sort(out.pairs.begin(), out.pairs.end());
    out.pairs.erase(std::unique(out.pairs.begin(), out.pairs.end()), out.pairs.end());
  }
  return out;
}

}  // namespace halo::linkage
