// change_scan.h -- what the change-log consumers (change_consumers.cpp,
// segment_consumer.cpp) share: their names and reading the log.
// Internal to halo_pipeline.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/pipeline_config.h"
#include "store/store.h"

namespace halo {

// A consumer's name: its kind, the plugin use's name when there is one
// use, and a hash of the configuration it works from ("features@1f2e...",
// "destination:crm@..."), so a changed configuration is a new consumer
// that starts from the beginning of the log.
std::string consumer_name(std::string_view kind, const std::vector<const PluginUse *> &uses);
std::string consumer_name(std::string_view kind, std::string_view configuration);

// Sorts ascending and drops repeats.
void sort_unique(std::vector<uint64_t> &ids);

// Calls fn for every change-log entry after `after` up to `through`, a
// chunk of the log at a time.
Status scan_changes_through(Store &store, uint64_t after, uint64_t through,
                            const std::function<void(const ProfileChange &)> &fn);

}  // namespace halo
