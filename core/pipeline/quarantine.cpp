// quarantine.cpp -- over-shared identifier values. A value that people
// share (a family phone, a shop's email typed at the till) shows up as
// links the rules refuse: demotions and refused merges, each between
// profiles the rules keep apart. Once the profiles one value would link
// outnumber its identifier's `quarantine_after`, the value is detached as an
// operator's `halo identity unmerge --detach` would be: kept on its events,
// used to link nothing. The caller (cmd_run.cpp) then rebuilds, so the value
// links nothing in earlier events either and the result is the same as a
// run that never used it (docs/pipeline.md#over-shared-values-quarantine).
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {

uint32_t quarantine_limit(const PipelineConfig &config, std::string_view type) {
  for (const IdentifierSpec &spec : config.identifiers) {
    if (spec.type == type) return spec.quarantine_after;
  }
  return 0;  // not a configured identifier: never linked by the kernel's rules
}

}  // namespace

// Runs on the calling thread once the writer is idle (end of finalize).
Status Pipeline::quarantine_overshared(RunSummary *summary) {
  if (!decides_identity_) return Status::Ok();
  auto shared = store_->overshared_identifiers(quarantine_after_sequence_);
  if (!shared.ok()) return shared.status();
  std::vector<std::pair<SharedIdentifier, uint32_t>> over;  // with its limit
  for (SharedIdentifier &v : *shared) {
    const uint32_t limit = quarantine_limit(config_, v.type);
    if (limit != 0 && v.profiles > limit) over.emplace_back(std::move(v), limit);
  }
  if (over.empty()) return Status::Ok();
  Status s = store_->begin();
  for (size_t i = 0; s.ok() && i < over.size(); ++i) {
    const auto &[v, limit] = over[i];
    const std::string why = "quarantined: would link " + std::to_string(v.profiles) +
                            " distinct profiles (quarantine_after: " + std::to_string(limit) + ")";
    log_warn("identity", v.type + " '" + v.value + "' " + why);
    s = store_->detach_identifier(v.type, v.value, wall_ms(), why);
    summary->quarantined.push_back(v.type + " " + v.value);
  }
  if (s.ok()) s = store_->commit();
  return s;
}

}  // namespace halo
