// change_scan.cpp -- helpers of the change-log consumers (change_scan.h).
#include "pipeline/change_scan.h"

#include <xxhash.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace halo {

namespace {

constexpr size_t kScanChunk = 10'000;  // change-log entries read per query

}  // namespace

std::string consumer_name(std::string_view kind, std::string_view configuration) {
  char hash[20];
  std::snprintf(hash, sizeof hash, "%016" PRIx64,
                XXH3_64bits(configuration.data(), configuration.size()));
  return std::string(kind) + '@' + hash;
}

std::string consumer_name(std::string_view kind, const std::vector<const PluginUse *> &uses) {
  std::string text;
  for (const PluginUse *u : uses) {
    text += u->name + '\n' + u->plugin + '\n' + YAML::Dump(u->config) + '\n';
  }
  std::string named(kind);
  if (uses.size() == 1) named += ':' + uses[0]->name;
  return consumer_name(named, text);
}

void sort_unique(std::vector<uint64_t> &ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

Status scan_changes_through(Store &store, uint64_t after, uint64_t through,
                            const std::function<void(const ProfileChange &)> &fn) {
  while (after < through) {
    size_t read = 0;
    Status s = store.scan_changes(after, kScanChunk, [&](const ProfileChange &c) {
      after = c.sequence;
      ++read;
      fn(c);
    });
    if (!s.ok()) return s;
    if (read == 0) break;
  }
  return Status::Ok();
}

}  // namespace halo
