// finalize.cpp -- the end of a run: compute every profile's features as of
// the run's reference time, store them, and hand all profiles in the export
// format to the destinations.
//
// Features are emitted for every live profile (not only changed ones)
// because windowed aggregates change with the reference time alone.
#include <chrono>

#include "common/log.h"
#include "pipeline/pipeline.h"
#include "profile/profile_export.h"

namespace halo {

namespace {
constexpr size_t kExportBatch = 1000;

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Status Pipeline::finalize(RunSummary *summary) {
  int64_t as_of = config_.as_of_ms ? *config_.as_of_ms : wall_ms();
  // Profiles are exported from memory while the writer thread may still be
  // storing the last batches; only the final commit waits for it.
  Status s = begin_if_needed();
  if (!s.ok()) return s;
  for (auto &d : destinations_) {
    s = d->start();
    if (!s.ok()) return s;
  }
  std::vector<std::string> lines;
  std::vector<uint64_t> ids;
  auto flush = [&]() -> Status {
    for (auto &d : destinations_) {
      Status w = d->write_profiles(lines, ids);
      if (!w.ok()) return w;
    }
    lines.clear();
    ids.clear();
    return Status::Ok();
  };
  auto feature_rows = std::make_shared<std::vector<std::pair<uint64_t, std::string>>>();
  for (uint64_t id : profiles_.ids()) {
    std::string members;
    for (auto &f : features_) {
      s = f->emit(id, as_of, members);
      if (!s.ok()) return s;
    }
    ProfileExport e;
    e.id = id;
    e.features_json = "{" + members + "}";
    feature_rows->emplace_back(id, e.features_json);
    if (destinations_.empty()) continue;
    if (const IdentifierList *ids = identifiers_.find(id)) e.identifiers = *ids;
    e.traits_json = profiles_.export_traits(id);
    const ProfileData *p = profiles_.find(id);
    e.updated_at_ms = p ? p->updated_at_ms : 0;
    lines.push_back(export_profile_json(e));
    ids.push_back(id);
    if (lines.size() >= kExportBatch) {
      s = flush();
      if (!s.ok()) return s;
    }
  }
  s = flush();
  if (!s.ok()) return s;
  s = write([feature_rows](Store &st) {
    for (const auto &[id, json] : *feature_rows) {
      Status w = st.put_features(id, json);
      if (!w.ok()) return w;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (auto &d : destinations_) {
    s = d->stop();
    if (!s.ok()) return s;
  }
  s = commit();
  if (!s.ok()) return s;
  s = writer_ ? writer_->drain() : Status::Ok();
  if (!s.ok()) return s;
  summary->profiles = profiles_.size();
  summary->dead_letters_total = store_->dead_letter_count();
  summary->seconds = now_seconds() - started_;
  report_progress(*summary, true);
  return Status::Ok();
}

}  // namespace halo
