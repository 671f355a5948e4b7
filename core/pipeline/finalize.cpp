// finalize.cpp -- the end of a run: compute every profile's features as of
// the run's reference time, store them, and hand all profiles in the export
// format to the destinations.
//
// Features are emitted for every live profile (not only changed ones)
// because windowed aggregates change with the reference time alone.
//
// Interruption: a run stopped by SIGINT/SIGTERM has not read all of its
// input, so its profiles must not replace the previous complete export.
// Destinations are then not started, or, when the signal arrives during
// the export, not stopped: a destination commits its export only in stop()
// and discards it when destroyed without one (file-jsonl removes its
// .tmp file). The store keeps every committed batch either way.

#include "common/clock.h"
#include "common/log.h"
#include "pipeline/pipeline.h"
#include "profile/profile_export.h"
#include "profile/typed_codec.h"

namespace halo {

namespace {
constexpr size_t kExportBatch = 1000;

}  // namespace

Status Pipeline::finalize(RunSummary *summary) {
  int64_t as_of = config_.as_of_ms ? *config_.as_of_ms : wall_ms();
  // Profiles are exported from memory while the writer thread may still be
  // storing the last batches; only the final commit waits for it.
  auto interrupted = [this] { return options_.cancel && options_.cancel->load(); };
  Status s = begin_if_needed();
  if (!s.ok()) return s;
  bool exporting = !destinations_.empty() && !interrupted();
  for (size_t i = 0; exporting && i < destinations_.size(); ++i) {
    s = destinations_[i]->start();
    if (!s.ok()) return s;
  }
  std::vector<std::string> lines;
  std::vector<uint64_t> ids;
  std::vector<ProfileExport> typed;  // lines[i] rendered from typed[i]
  auto flush = [&]() -> Status {
    for (auto &d : destinations_) {
      Status w = d->write_profiles(lines, ids, &typed);
      if (!w.ok()) return w;
    }
    lines.clear();
    ids.clear();
    typed.clear();
    return Status::Ok();
  };
  auto feature_rows = std::make_shared<std::vector<std::pair<uint64_t, std::string>>>();
  for (uint64_t id : profiles_.ids()) {
    ProfileExport e;
    e.id = id;
    for (auto &f : features_) {
      s = f->emit(id, as_of, e.features);
      if (!s.ok()) return s;
    }
    feature_rows->emplace_back(id, encode_features(e.features));
    if (!exporting) continue;
    if (const IdentifierList *ids = identifiers_.find(id)) e.identifiers = *ids;
    sort_identifiers(e.identifiers);
    e.traits = profiles_.export_traits(id);
    const ProfileData *p = profiles_.find(id);
    e.updated_at_ms = p ? p->updated_at_ms : 0;
    lines.push_back(export_profile_json(e));
    ids.push_back(id);
    typed.push_back(std::move(e));
    if (lines.size() >= kExportBatch) {
      exporting = !interrupted();  // no point writing an export that is discarded
      s = exporting ? flush() : Status::Ok();
      if (!s.ok()) return s;
    }
  }
  s = exporting ? flush() : Status::Ok();
  if (!s.ok()) return s;
  s = write([feature_rows](Store &st) {
    for (const auto &[id, features] : *feature_rows) {
      Status w = st.put_features(id, features);
      if (!w.ok()) return w;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // The last moment a signal counts: past it the exports are complete.
  summary->interrupted = interrupted();
  for (size_t i = 0; exporting && !summary->interrupted && i < destinations_.size(); ++i) {
    s = destinations_[i]->stop();
    if (!s.ok()) return s;
  }
  s = commit();
  if (!s.ok()) return s;
  s = writer_ ? writer_->drain() : Status::Ok();
  if (!s.ok()) return s;
  summary->profiles = profiles_.size();
  auto dead_letters = store_->dead_letter_count();
  if (!dead_letters.ok()) return dead_letters.status();
  summary->dead_letters_total = *dead_letters;
  summary->seconds = steady_seconds() - started_;
  report_progress(*summary, true);
  return Status::Ok();
}

}  // namespace halo
