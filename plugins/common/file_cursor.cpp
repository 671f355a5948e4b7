// file_cursor.cpp -- fingerprints and the cursor text codec.
#include "common/file_cursor.h"

#include "common/block_buffer.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <new>
#include <optional>

namespace halo::plugins {

namespace {
constexpr std::string_view kHeader = "halo-file-cursor v3\n";
constexpr std::string_view kHeaderV2 = "halo-file-cursor v2\n";
constexpr std::string_view kHeaderV1 = "halo-file-cursor v1\n";

uint64_t hash_prefix(const std::string &path, uint64_t max_len, uint64_t &got_len) {
  FileByteSource source(path);
  char buf[kFingerprintBytes];
  const size_t got = source.read_up_to(buf, static_cast<size_t>(max_len));
  got_len = got;
  return XXH3_64bits(buf, got);
}

}  // namespace

void append_escaped_path(std::string &out, std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char c : path) {
    if (c == '%' || c == '|' || c == '\n' || c == '\r') {
      out.push_back('%');
      out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 0xF]);
      out.push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
    } else {
      out.push_back(c);
    }
  }
}

bool unescape_path(std::string_view in, std::string &out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= in.size()) return false;
    auto r = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
    if (r.ec != std::errc() || r.ptr != in.data() + i + 3) return false;
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return true;
}

namespace {

bool parse_u64(std::string_view s, uint64_t &out, int base = 10) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// `fields`: 4 (v1), 5 (v2: + ctime) or 6 (v3: + tail) before the path.
bool decode_line(std::string_view line, size_t fields, FilePosition &pos) {
  std::string_view parts[6];
  for (size_t i = 0; i < fields; ++i) {
    size_t bar = line.find('|');
    if (bar == std::string_view::npos) return false;
    parts[i] = line.substr(0, bar);
    line.remove_prefix(bar + 1);
  }
  uint64_t ctime = 0;
  if (fields >= 5 && !parse_u64(parts[4], ctime)) return false;
  pos.ctime_ns = static_cast<int64_t>(ctime);
  if (fields >= 6 && !parts[5].empty()) {
    uint64_t tail = 0;
    if (!parse_u64(parts[5], tail, 16)) return false;
    pos.fingerprint.tail = tail;
  }
  return parse_u64(parts[0], pos.offset) && parse_u64(parts[1], pos.next_position) &&
         parse_u64(parts[2], pos.fingerprint.length) &&
         parse_u64(parts[3], pos.fingerprint.hash, 16) && unescape_path(line, pos.path) &&
         !pos.path.empty() && (fields > 4 || pos.fingerprint.length <= kFingerprintBytes);
}
}  // namespace

FileFingerprint fingerprint_file(const std::string &path) {
  FileFingerprint fp;
  fp.hash = hash_prefix(path, kFingerprintBytes, fp.length);
  return fp;
}

bool fingerprint_matches(const std::string &path, const FileFingerprint &fp) {
  PrefixHasher hasher;
  hasher.begin(path);
  return hasher.advance(fp.length) && hasher.digest() == fp.hash;
}

std::optional<uint64_t> tail_hash(const std::string &path, uint64_t length) {
  const uint64_t from = length - std::min(length, kTailBytes);
  FileByteSource source(path);
  source.seek(from);
  char buf[kTailBytes];
  const size_t want = static_cast<size_t>(length - from);
  if (source.read_up_to(buf, want) != want) return std::nullopt;
  return XXH3_64bits(buf, want);
}

PrefixHasher::PrefixHasher() : state_(XXH3_createState()) {
  if (state_ == nullptr) throw std::bad_alloc();
  XXH3_64bits_reset(static_cast<XXH3_state_t *>(state_));
}

PrefixHasher::~PrefixHasher() {
  XXH3_freeState(static_cast<XXH3_state_t *>(state_));
}

void PrefixHasher::begin(const std::string &path) {
  path_ = path;
  hashed_ = 0;
  XXH3_64bits_reset(static_cast<XXH3_state_t *>(state_));
}

bool PrefixHasher::advance(uint64_t length) {
  if (length <= hashed_) return length == hashed_;
  FileByteSource source(path_);
  source.seek(hashed_);
  std::string block(static_cast<size_t>(std::min<uint64_t>(length - hashed_, 128 << 10)), '\0');
  while (hashed_ < length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(length - hashed_, block.size()));
    size_t n = source.read(block.data(), want);
    if (n == 0) return false;
    XXH3_64bits_update(static_cast<XXH3_state_t *>(state_), block.data(), n);
    hashed_ += n;
  }
  return true;
}

uint64_t PrefixHasher::digest() const {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t *>(state_));
}

std::string encode_cursor(const std::vector<FilePosition> &files) {
  std::string out(kHeader);
  char hex[17];
  for (const FilePosition &f : files) {
    out += std::to_string(f.offset);
    out.push_back('|');
    out += std::to_string(f.next_position);
    out.push_back('|');
    out += std::to_string(f.fingerprint.length);
    out.push_back('|');
    auto r = std::to_chars(hex, hex + sizeof(hex), f.fingerprint.hash, 16);
    out.append(hex, r.ptr);
    out.push_back('|');
    out += std::to_string(f.ctime_ns < 0 ? 0 : f.ctime_ns);
    out.push_back('|');
    // Empty: no tail known (a position carried over from an older cursor).
    if (f.fingerprint.tail) {
      r = std::to_chars(hex, hex + sizeof(hex), *f.fingerprint.tail, 16);
      out.append(hex, r.ptr);
    }
    out.push_back('|');
    append_escaped_path(out, f.path);
    out.push_back('\n');
  }
  return out;
}

bool decode_cursor(std::string_view text, std::vector<FilePosition> &files, std::string &error) {
  files.clear();
  const size_t fields = text.substr(0, kHeader.size()) == kHeader       ? 6
                        : text.substr(0, kHeaderV2.size()) == kHeaderV2 ? 5
                        : text.substr(0, kHeaderV1.size()) == kHeaderV1 ? 4
                                                                        : 0;
  if (fields == 0) {
    error = "cursor does not start with '" + std::string(kHeader.substr(0, kHeader.size() - 1)) +
            "'; it was written by another plugin or a newer version";
    return false;
  }
  text.remove_prefix(kHeader.size());
  size_t number = 1;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      error = "cursor entry " + std::to_string(number) + " is truncated";
      return false;
    }
    FilePosition pos;
    if (!decode_line(text.substr(0, nl), fields, pos)) {
      error = "cursor entry " + std::to_string(number) + " is malformed";
      return false;
    }
    files.push_back(std::move(pos));
    text.remove_prefix(nl + 1);
    ++number;
  }
  return true;
}

}  // namespace halo::plugins
