// profile_file_patch.h -- applies a delivery of changes to a profile export
// file written earlier: the new file is the old one with changed profiles
// replaced, new ones inserted and removed ones dropped, in one streaming
// pass (the file is never loaded whole).
//
// A patchable file is one this destination wrote: every line a profile of
// the export format (docs/export-format.md), starting with
// `{"profile_id":"<decimal id>"`, ids strictly ascending, at most
// kMaxPatchLineBytes long. Anything else -- a missing file, an edited
// order, a foreign or huge line -- is not patched: the destination asks for
// a full delivery instead. Memory: one line plus one read block.
//
// Invariants: replacements and removals are idempotent (a repeated delivery
// gives the same file); the output keeps ids strictly ascending.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atomic_file_writer.h"

namespace halo::plugins {

// Longer lines are not this destination's (no profile comes near it) and
// are never buffered whole.
inline constexpr size_t kMaxPatchLineBytes = size_t{64} << 20;

// The profile id a line of the export format starts with, or nullopt.
std::optional<uint64_t> export_line_id(std::string_view line);

class ProfileFilePatch {
 public:
  // Whether `path` holds a file that can be patched (see above). Never
  // throws: an unreadable file is simply not patchable.
  static bool patchable(const std::string &path);

  // `line` replaces (or adds) profile `id`; the last call for an id wins.
  void replace(uint64_t id, std::string_view line);
  // Profile `id` no longer exists (whatever replace() said about it); an id
  // the file does not hold is ignored.
  void remove(uint64_t id);
  // Writes the patched content of `old_path` to `out` (opened by the
  // caller). Throws IoError when the old file cannot be read or is no
  // longer patchable.
  void write(const std::string &old_path, AtomicFileWriter &out);

  bool empty() const { return replaced_.empty() && removed_.empty(); }

 private:
  std::vector<std::pair<uint64_t, std::string>> replaced_;
  std::vector<uint64_t> removed_;
};

}  // namespace halo::plugins
