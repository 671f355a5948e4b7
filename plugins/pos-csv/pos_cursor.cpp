// pos_cursor.cpp -- the bounded processed-file set and the cursor codec.
#include "pos_cursor.h"

#include "common/file_cursor.h"

#include <charconv>
#include <vector>

namespace halo::plugins {

namespace {

constexpr std::string_view kMagic = "halo-pos-csv-cursor v1\n";

std::string escape_path(std::string_view path) {
  std::string out;
  append_escaped_path(out, path);
  return out;
}

std::vector<std::string_view> split_fields(std::string_view line, size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    size_t bar = line.find('|');
    if (bar == std::string_view::npos) break;
    fields.push_back(line.substr(0, bar));
    line.remove_prefix(bar + 1);
  }
  fields.push_back(line);
  return fields;
}

template <typename T>
bool parse_number(std::string_view s, T &out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool valid_sha(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool decode_line(std::string_view line, PosCursor &out) {
  bool processed = line.substr(0, 2) == "P|";
  if (!processed && line.substr(0, 2) != "C|") return false;
  auto f = split_fields(line.substr(2), processed ? 4 : 5);
  if (f.size() != (processed ? 4u : 5u) || !valid_sha(f[1])) return false;
  FileKey key;
  if (!parse_number(f[0], key.size)) return false;
  key.sha256 = std::string(f[1]);
  if (processed) {
    ProcessedFile p{std::move(key), 0, {}};
    if (!parse_number(f[2], p.ctime_ns) || !unescape_path(f[3], p.path)) return false;
    out.processed.add(std::move(p));
    return true;
  }
  InProgressFile c{std::move(key), 0, 1, {}};
  if (out.current || !parse_number(f[2], c.offset) || !parse_number(f[3], c.next_line) ||
      !unescape_path(f[4], c.path)) {
    return false;
  }
  out.current = std::move(c);
  return true;
}

}  // namespace

std::string ProcessedSet::key_text(const FileKey &key) {
  return std::to_string(key.size) + ":" + key.sha256;
}

void ProcessedSet::add(ProcessedFile file) {
  if (!keys_.insert(key_text(file.key)).second) return;
  files_.push_back(std::move(file));
  while (files_.size() > capacity_) {
    keys_.erase(key_text(files_.front().key));
    files_.pop_front();
  }
}

bool ProcessedSet::contains(const FileKey &key) const {
  return keys_.count(key_text(key)) > 0;
}

const ProcessedFile *ProcessedSet::unchanged(const std::string &path, uint64_t size,
                                             int64_t ctime_ns) const {
  for (auto it = files_.rbegin(); it != files_.rend(); ++it) {
    if (it->path == path && it->key.size == size && it->ctime_ns == ctime_ns) return &*it;
  }
  return nullptr;
}

std::string encode_processed(const ProcessedSet &set) {
  std::string out(kMagic);
  for (const ProcessedFile &p : set.files()) {
    out += "P|" + std::to_string(p.key.size) + "|" + p.key.sha256 + "|" +
           std::to_string(p.ctime_ns) + "|" + escape_path(p.path) + "\n";
  }
  return out;
}

std::string encode_in_progress(const InProgressFile &c) {
  return "C|" + std::to_string(c.key.size) + "|" + c.key.sha256 + "|" + std::to_string(c.offset) +
         "|" + std::to_string(c.next_line) + "|" + escape_path(c.path) + "\n";
}

bool decode_pos_cursor(std::string_view text, PosCursor &out, std::string &error) {
  if (text.substr(0, kMagic.size()) != kMagic) {
    error = "the stored cursor is not a pos-csv cursor (expected \"halo-pos-csv-cursor v1\")";
    return false;
  }
  text.remove_prefix(kMagic.size());
  size_t line_no = 1;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos || !decode_line(text.substr(0, nl), out)) {
      error = "the stored pos-csv cursor is damaged at line " + std::to_string(line_no);
      return false;
    }
    text.remove_prefix(nl + 1);
  }
  return true;
}

}  // namespace halo::plugins
