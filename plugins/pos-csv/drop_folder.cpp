// drop_folder.cpp -- drop-folder listing, eligibility and SHA-256.
#include "drop_folder.h"

#include "common/block_buffer.h"

#include <fnmatch.h>
#include <openssl/evp.h>

#include <sys/stat.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace fs = std::filesystem;

namespace halo::plugins {

namespace {

bool ends_with(const std::string &s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int64_t mtime_ns_of(const struct stat &st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace

bool is_temporary_name(const std::string &name) {
  if (name.empty() || name[0] == '.' || name.back() == '~') return true;
  for (std::string_view s : {".tmp", ".part", ".partial", ".crdownload", ".done"}) {
    if (ends_with(name, s)) return true;
  }
  return false;
}

std::string done_marker_of(const std::string &path) {
  std::error_code ec;
  if (fs::exists(path + ".done", ec)) return path + ".done";
  fs::path replaced = fs::path(path).replace_extension(".done");
  if (fs::exists(replaced, ec)) return replaced.string();
  return {};
}

DropScan scan_drop_folder(const DropFolderRules &rules, int64_t now_ms) {
  std::error_code ec;
  fs::directory_iterator it(rules.dir, ec);
  if (ec) {
    throw std::runtime_error("cannot list drop folder '" + rules.dir + "': " + ec.message());
  }
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::string name = it->path().filename().string();
    if (is_temporary_name(name) || fnmatch(rules.pattern.c_str(), name.c_str(), 0) != 0) continue;
    names.push_back(it->path().string());
  }
  std::sort(names.begin(), names.end());
  DropScan scan;
  for (const std::string &path : names) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;  // gone since the listing
    if (S_ISLNK(st.st_mode)) {
      scan.refused.push_back(path + ": is a symbolic link (it may point outside the drop folder)");
      continue;
    }
    if (!S_ISREG(st.st_mode)) {
      scan.refused.push_back(path +
                             ": is not a regular file (a directory, FIFO, socket or device)");
      continue;
    }
    int64_t mtime_ns = mtime_ns_of(st);
    int64_t age_ms = now_ms - mtime_ns / 1000000;
    if (age_ms < rules.settle_ms) {
      scan.unsettled.push_back(path);
    } else if (rules.require_done_marker && done_marker_of(path).empty()) {
      scan.waiting_marker.push_back(path);
    } else {
      int64_t ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
      scan.ready.push_back({path, static_cast<uint64_t>(st.st_size), mtime_ns, ctime_ns});
    }
  }
  return scan;
}

FileKey fingerprint_content(const std::string &path) {
  FileByteSource file(path, FollowLinks::kNo);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw IoError("cannot start SHA-256 for " + path);
  }
  FileKey key;
  std::string block(1 << 20, '\0');
  for (size_t n; (n = file.read(block.data(), block.size())) > 0;) {
    EVP_DigestUpdate(ctx.get(), block.data(), n);
    key.size += n;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static const char kHex[] = "0123456789abcdef";
  for (unsigned i = 0; i < length; ++i) {
    key.sha256.push_back(kHex[digest[i] >> 4]);
    key.sha256.push_back(kHex[digest[i] & 0xF]);
  }
  return key;
}

}  // namespace halo::plugins
