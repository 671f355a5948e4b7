// profile_file_patch_fuzz.cpp -- libFuzzer target for the file-jsonl
// destination's patching of its previous export (profile_file_patch.h):
// the input is that file, as a user or a bug may have left it.
// Invariants checked: nothing crashes or throws anything but IoError;
// patchable() agrees with a plain model of the rule (lines ending in '\n',
// each starting with `{"profile_id":"<digits>"`, ids strictly ascending);
// and for a patchable file, applying replacements (one existing id, one new
// id, one id both replaced and removed) and removals gives exactly the old
// lines with those changes, in ascending id order, and is patchable again.
// (Inputs stay far below kMaxPatchLineBytes, which the model leaves out.)
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profile_file_patch.h"

namespace {

using halo::plugins::AtomicFileWriter;
using halo::plugins::export_line_id;
using halo::plugins::ProfileFilePatch;

void require(bool ok) {
  if (!ok) std::abort();
}

const std::string &dir() {
  static const std::string d = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "halo-fuzz-XXXXXX").string();
    require(mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
  }();
  return d;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The rule, written plainly: nullopt when the file is not patchable.
std::optional<std::map<uint64_t, std::string>> model(std::string_view text) {
  std::map<uint64_t, std::string> lines;
  if (!text.empty() && text.back() != '\n') return std::nullopt;
  std::optional<uint64_t> last;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    auto id = export_line_id(line);
    if (!id || (last && *id <= *last)) return std::nullopt;
    last = id;
    lines.emplace(*id, std::string(line));
  }
  return lines;
}

std::string line_for(uint64_t id) {
  return "{\"profile_id\":\"" + std::to_string(id) + "\",\"fuzz\":true}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string old_path = dir() + "/old.jsonl", new_path = dir() + "/new.jsonl";
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  std::ofstream(old_path, std::ios::binary | std::ios::trunc) << text;
  auto expected = model(text);
  require(ProfileFilePatch::patchable(old_path) == expected.has_value());
  if (!expected) return 0;

  // Changes derived from the file: its first id replaced, its second
  // removed, a new id added, and one id both replaced and removed.
  // A removal wins over a replacement of the same id, in either order.
  ProfileFilePatch patch;
  std::vector<uint64_t> removed;
  auto apply = [&](uint64_t id, bool replace) {
    if (replace) {
      patch.replace(id, line_for(id));
      (*expected)[id] = line_for(id);
    } else {
      patch.remove(id);
      removed.push_back(id);
    }
  };
  auto it = expected->begin();
  if (it != expected->end()) apply(it->first, true);
  if (it != expected->end() && ++it != expected->end()) apply(it->first, false);
  const uint64_t fresh = size * 2654435761u;
  apply(fresh, true);
  apply(fresh ^ 1, true);
  apply(fresh ^ 1, false);
  for (uint64_t id : removed) expected->erase(id);

  AtomicFileWriter out;
  out.open(new_path);
  patch.write(old_path, out);
  out.commit();
  std::string want;
  for (const auto &[id, line] : *expected) want += line + "\n";
  require(slurp(new_path) == want);
  require(ProfileFilePatch::patchable(new_path));
  return 0;
}
