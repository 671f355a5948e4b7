// typed_codec_fuzz.cpp -- libFuzzer target for the store's typed trait and
// feature decoder (profile/typed_codec.h), which reads rows from a file that
// may be damaged or edited by hand.
// Invariants checked: decoding any bytes either fails or yields values that
// encode and decode again to the same values, trait names strictly
// ascending, and the values render as valid JSON (RFC 8259 grammar,
// json_syntax.h: an exact decimal may have more digits than simdjson
// accepts, and JSON allows it).
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "json_syntax.h"
#include "profile/typed_codec.h"

namespace {

void check_json(const halo::NamedValues &values) {
  if (!halo::fuzz::is_json_text(halo::json_object(values))) std::abort();
}

void features(std::string_view bytes) {
  halo::NamedValues values, again;
  if (!halo::decode_features(bytes, &values).ok()) return;
  if (!halo::decode_features(halo::encode_features(values), &again).ok()) std::abort();
  if (again != values) std::abort();
  check_json(values);
}

// One tally entry, owned (a decoded record's tally is valid during the call).
struct Tallied {
  halo::TypedValue value;
  uint64_t times;
  std::string source;
  int64_t timestamp_ms;
  uint64_t sequence;
  bool operator==(const Tallied &) const = default;
};

std::vector<Tallied> own(std::span<const halo::TallyRecord> tally) {
  std::vector<Tallied> out;
  for (const halo::TallyRecord &t : tally) {
    out.push_back({*t.value, t.times, std::string(t.source), t.timestamp_ms, t.sequence});
  }
  return out;
}

void traits(std::string_view bytes) {
  halo::NamedValues values;
  std::vector<std::string> sources;
  std::vector<halo::TraitRecord> records;
  std::vector<std::vector<Tallied>> tallies;
  halo::Status s = halo::decode_traits(bytes, [&](const halo::TraitRecord &r) {
    values.push_back({std::string(r.name), *r.value});
    sources.emplace_back(r.source);
    records.push_back(r);
    records.back().tally = {};
    tallies.push_back(own(r.tally));
  });
  if (!s.ok()) return;
  for (size_t i = 1; i < values.size(); ++i) {
    if (!(values[i - 1].name < values[i].name)) std::abort();
  }
  const bool with_tallies = !bytes.empty() && bytes[0] == halo::kTraitsWithTalliesVersion;
  halo::TraitEncoder enc(values.size(), with_tallies);
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<halo::TallyRecord> tally;
    for (const Tallied &t : tallies[i]) {
      tally.push_back({&t.value, t.times, t.source, t.timestamp_ms, t.sequence});
    }
    halo::TraitRecord r = records[i];
    r.name = values[i].name;
    r.source = sources[i];
    r.value = &values[i].value;
    r.tally = tally;
    enc.add(r);
  }
  size_t k = 0;
  s = halo::decode_traits(enc.take(), [&](const halo::TraitRecord &r) {
    if (k >= values.size() || r.name != values[k].name || *r.value != values[k].value ||
        r.source != sources[k] || r.priority != records[k].priority ||
        r.timestamp_ms != records[k].timestamp_ms || r.sequence != records[k].sequence ||
        own(r.tally) != tallies[k]) {
      std::abort();
    }
    ++k;
  });
  if (!s.ok() || k != values.size()) std::abort();
  check_json(values);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  features(bytes);
  traits(bytes);
  return 0;
}
