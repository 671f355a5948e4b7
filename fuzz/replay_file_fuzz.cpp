// replay_file_fuzz.cpp -- libFuzzer target for the --from file parser of
// `halo deadletters replay` (core/pipeline/replay_file.h).
// Invariants checked: an accepted file yields positive, unique ids and at
// most one fix per line; writing the fixes back as JSON Lines and parsing
// that gives the same fixes (nothing is lost or altered in between).
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "common/json_writer.h"
#include "pipeline/replay_file.h"

namespace {

std::string to_jsonl(const std::vector<halo::ReplayFix> &fixes) {
  std::string out;
  for (const halo::ReplayFix &f : fixes) {
    out += "{\"id\":" + std::to_string(f.id) + ",\"raw\":";
    halo::append_json_string(out, f.raw);
    if (f.source) {
      out += ",\"source\":";
      halo::append_json_string(out, *f.source);
    }
    if (f.position) {
      out += ",\"position\":";
      halo::append_json_string(out, *f.position);
    }
    out += "}\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  auto fixes = halo::parse_replay_file(text, "fuzz.jsonl");
  if (!fixes.ok()) {
    if (fixes.status().message().rfind("fuzz.jsonl", 0) != 0) std::abort();  // names the file
    return 0;
  }
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (fixes->size() > lines) std::abort();
  std::set<uint64_t> ids;
  for (const halo::ReplayFix &f : *fixes) {
    if (f.id == 0 || f.id > uint64_t{INT64_MAX} || !ids.insert(f.id).second) std::abort();
  }
  auto again = halo::parse_replay_file(to_jsonl(*fixes), "again.jsonl");
  if (!again.ok() || again->size() != fixes->size()) std::abort();
  for (size_t i = 0; i < fixes->size(); ++i) {
    const halo::ReplayFix &a = (*fixes)[i], &b = (*again)[i];
    if (a.id != b.id || a.raw != b.raw || a.source != b.source || a.position != b.position) {
      std::abort();
    }
  }
  return 0;
}
