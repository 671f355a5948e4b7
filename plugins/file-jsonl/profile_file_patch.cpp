// profile_file_patch.cpp -- see profile_file_patch.h.
#include "profile_file_patch.h"

#include "common/block_buffer.h"

#include <algorithm>
#include <cstring>
#include <functional>

namespace halo::plugins {

namespace {

constexpr size_t kBlock = 1 << 20;
constexpr std::string_view kPrefix = "{\"profile_id\":\"";

// Calls fn(line) for every '\n'-terminated line of the file, without the
// '\n'; returns false as soon as fn does, when the file does not end with
// '\n' (a torn or foreign file), or at a line over kMaxPatchLineBytes.
bool for_each_line(const std::string &path, const std::function<bool(std::string_view)> &fn) {
  FileByteSource file(path);
  BlockBuffer buffer(kBlock, kBlock);
  buffer.reset(&file, 0);
  for (;;) {
    std::string_view pending = buffer.pending();
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string_view::npos; start = nl + 1) {
      if (nl - start > kMaxPatchLineBytes || !fn(pending.substr(start, nl - start))) return false;
    }
    buffer.consume(start);
    if (buffer.pending().size() > kMaxPatchLineBytes) return false;
    if (!buffer.refill()) return buffer.pending().empty();
  }
}

}  // namespace

std::optional<uint64_t> export_line_id(std::string_view line) {
  if (line.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  uint64_t id = 0;
  size_t i = kPrefix.size();
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    const uint64_t digit = static_cast<uint64_t>(line[i] - '0');
    if (id > (UINT64_MAX - digit) / 10) return std::nullopt;
    id = id * 10 + digit;
  }
  if (i == kPrefix.size() || i >= line.size() || line[i] != '"') return std::nullopt;
  return id;
}

bool ProfileFilePatch::patchable(const std::string &path) {
  try {
    std::optional<uint64_t> last;
    return for_each_line(path, [&](std::string_view line) {
      auto id = export_line_id(line);
      if (!id || (last && *id <= *last)) return false;
      last = id;
      return true;
    });
  } catch (const IoError &) {
    return false;
  }
}

void ProfileFilePatch::replace(uint64_t id, std::string_view line) {
  replaced_.emplace_back(id, std::string(line));
}

void ProfileFilePatch::remove(uint64_t id) {
  removed_.push_back(id);
}

void ProfileFilePatch::write(const std::string &old_path, AtomicFileWriter &out) {
  // Ascending ids; for a repeated id the last replacement wins.
  std::stable_sort(replaced_.begin(), replaced_.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  auto last_of_each = std::unique(replaced_.rbegin(), replaced_.rend(),
                                  [](const auto &a, const auto &b) { return a.first == b.first; });
  replaced_.erase(replaced_.begin(), last_of_each.base());
  std::sort(removed_.begin(), removed_.end());
  auto is_removed = [&](uint64_t id) {
    return std::binary_search(removed_.begin(), removed_.end(), id);
  };
  size_t next = 0;  // first replacement not written yet
  // Writes the replacements with ids below `limit` (all of them without).
  auto write_replacements = [&](std::optional<uint64_t> limit) {
    for (; next < replaced_.size() && (!limit || replaced_[next].first < *limit); ++next) {
      if (!is_removed(replaced_[next].first)) out.append_line(replaced_[next].second);
    }
  };
  std::optional<uint64_t> last;
  bool intact = for_each_line(old_path, [&](std::string_view line) {
    auto id = export_line_id(line);
    if (!id || (last && *id <= *last)) return false;
    last = id;
    write_replacements(*id);
    if (next < replaced_.size() && replaced_[next].first == *id) {
      if (!is_removed(*id)) out.append_line(replaced_[next].second);  // instead of the old line
      ++next;
    } else if (!is_removed(*id)) {
      out.append_line(line);
    }
    return true;
  });
  if (!intact) {
    throw IoError("'" + old_path +
                  "' changed while a delivery was applied to it (it is no longer the file this "
                  "destination wrote); the next run writes it whole");
  }
  write_replacements(std::nullopt);
}

}  // namespace halo::plugins
