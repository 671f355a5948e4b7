// change_consumers.cpp -- the stages that follow the change log: feature
// emission, then delivery to each destination. Each is a consumer with its
// own cursor in the store (table consumers), committed in the transaction of
// the outputs it describes, so a run killed anywhere resumes every consumer
// where its last commit left it.
//
// Feature emission re-emits only profiles the log says changed (created,
// traits, feature state) plus those whose re-emit time has come (a builder
// named the time its values change by themselves: feature_valid_until), and
// logs kChangeFeatures for profiles whose emitted values differ from the
// stored ones. It re-emits every profile when it has never run on this
// store or its configuration changed (the consumer name carries a hash of
// it), and when a builder predates ABI 1.2 and cannot name such times.
//
// Delivery happens when the log moved past the destination's cursor, and
// not otherwise. A destination that applies changes
// (HALO_CAP_INCREMENTAL_DELIVERY) gets the profiles created or changed
// since its cursor and the ids of those merged away, unless they are half
// of the live profiles or more; any other gets every live profile (it
// replaces its whole export). A changed destination configuration is a new
// consumer and gets a full export.
//
// The store is read on this thread only after the writer thread drained;
// writes still go through write() so they land in submission order.

#include <algorithm>
#include <cstdio>

#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "pipeline/change_scan.h"
#include "pipeline/page_stream.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_setup.h"
#include "profile/profile_export.h"
#include "profile/typed_codec.h"
#include "store/profile_reads.h"

namespace halo {

namespace {

constexpr size_t kEmitChunk = 5'000;  // profiles emitted per store task
constexpr size_t kExportBatch = 1'000;
// From this many pages on, a delivery reads ahead on a snapshot connection
// (Pipeline::snapshot_reader). Fewer than a segment evaluation: rendering
// a page costs less than evaluating it, and the commit and the open cost
// the 10k-event run (9 pages) about 15 ms more than the overlap saves.
constexpr size_t kDeliveryReaderPages = 2 * kReaderPages;

// What changed for a destination since its cursor: ascending ids, each
// once, none in both.
struct DeliveryChanges {
  std::vector<uint64_t> changed;  // created, traits or feature values changed
  std::vector<uint64_t> removed;  // merged into another profile
};

Result<DeliveryChanges> delivery_changes(Store &store, uint64_t after, uint64_t through) {
  DeliveryChanges out;
  constexpr uint32_t kExported = kChangeCreated | kChangeTraits | kChangeFeatures | kChangeSegments;
  Status s = scan_changes_through(store, after, through, [&](const ProfileChange &c) {
    if (c.kinds & kChangeMerged) {
      out.removed.push_back(c.profile_id);
    } else if (c.kinds & kExported) {
      out.changed.push_back(c.profile_id);
    }
  });
  if (!s.ok()) return s;
  sort_unique(out.removed);
  sort_unique(out.changed);
  // A profile merged away after it changed is gone.
  std::erase_if(out.changed, [&](uint64_t id) {
    return std::binary_search(out.removed.begin(), out.removed.end(), id);
  });
  return out;
}

// Renders a page of profiles (identifiers filled) and hands it over.
Status write_page(DestinationInstance &dest, const std::vector<ProfileExport> &page,
                  RunSummary *summary) {
  std::vector<std::string> lines;
  std::vector<uint64_t> ids;
  lines.reserve(page.size());
  ids.reserve(page.size());
  for (const ProfileExport &e : page) {
    lines.push_back(export_profile_json(e));
    ids.push_back(e.id);
  }
  summary->profiles_delivered += page.size();
  return dest.write_profiles(lines, ids, &page);
}

// Everything comes from `source` (the writer has drained, or a snapshot
// reader that may read `ahead`): profiles by id pages, each with its
// identifiers and segments.
Status export_all(Store &source, bool ahead, DestinationInstance &dest,
                  const std::function<bool()> &interrupted, RunSummary *summary) {
  uint64_t after = 0;
  auto read = [&](std::vector<ProfileExport> &into, bool &more) {
    Status s = read_profile_page(source, after, kExportBatch, IdentifierTypes::all(), into);
    more = s.ok() && !into.empty();
    if (more) after = into.back().id;
    return s;
  };
  return each_page(ahead, read, interrupted, [&](const std::vector<ProfileExport> &page) {
    return write_page(dest, page, summary);
  });
}

// The changed profiles, a page of ids per read, then the removed ids (and
// any changed profile no longer in the store). With `ahead` (as
// export_all), `changes` is touched by the reads only until the pages end.
Status export_changes(Store &source, bool ahead, DestinationInstance &dest,
                      DeliveryChanges &changes, const std::function<bool()> &interrupted,
                      RunSummary *summary) {
  size_t first = 0;
  auto read = [&](std::vector<ProfileExport> &into, bool &more) {
    more = false;
    into.clear();
    // A page of ids whose profiles are all gone reads the next one.
    while (into.empty() && first < changes.changed.size()) {
      auto ids = std::span(changes.changed)
                     .subspan(first, std::min(kExportBatch, changes.changed.size() - first));
      first += ids.size();
      Status s = read_profile_exports(source, ids, IdentifierTypes::all(), into);
      if (!s.ok()) return s;
      size_t next = 0;  // `into` holds the stored ones of ids, both ascending
      for (uint64_t id : ids) {
        if (next < into.size() && into[next].id == id) {
          ++next;
        } else {
          changes.removed.push_back(id);
        }
      }
    }
    more = !into.empty();
    return Status::Ok();
  };
  Status s = each_page(ahead, read, interrupted, [&](const std::vector<ProfileExport> &page) {
    return write_page(dest, page, summary);
  });
  if (!s.ok() || interrupted()) return s;
  sort_unique(changes.removed);
  return dest.remove_profiles(changes.removed);
}

struct EmittedRow {
  uint64_t profile_id;
  std::string features;  // encode_features bytes
  int64_t valid_until_ms;
  bool changed;
};

}  // namespace

Status Pipeline::drain_writer() {
  return writer_ ? writer_->drain() : Status::Ok();
}

Status Pipeline::catch_up_profiles(int64_t as_of_ms, RunSummary *summary) {
  actions_logged_ = false;
  Status s;
  {
    StageTimer t(summary->stages.emit);
    s = emit_features(as_of_ms, summary);
  }
  if (!s.ok()) return s;
  StageTimer t(summary->stages.segments);
  s = start_trigger_cursors();  // before this pass's segment changes
  if (s.ok()) s = update_segments(as_of_ms, summary);
  if (s.ok()) s = schedule_triggers();
  if (s.ok()) s = fire_due_triggers(as_of_ms, summary);
  return s;
}

Status Pipeline::catch_up_consumers(int64_t as_of_ms, RunSummary *summary) {
  // Trigger actions change traits: their profiles go round again (after a
  // commit, which puts the changes in the log), so features, segments and
  // triggers see them in the same run. Bounded: triggers that keep acting
  // on each other's changes go on in the next run.
  constexpr int kActionRounds = 4;
  Status s = catch_up_profiles(as_of_ms, summary);
  for (int round = 1; s.ok() && actions_logged_; ++round) {
    if (round == kActionRounds) {
      log_warn("triggers", "trigger actions still changed profiles after " +
                               std::to_string(kActionRounds) +
                               " rounds (triggers acting on each other's traits?); the rest "
                               "follows in the next run");
      break;
    }
    s = commit();
    if (s.ok()) s = catch_up_profiles(as_of_ms, summary);
  }
  // A signal up to here counts (the run may not have read all of its
  // input); deliver() checks again up to the moment its export completes.
  if (options_.cancel && options_.cancel->load()) summary->interrupted = true;
  if (s.ok() && options_.exit_before_delivery) {
    s = commit();
    if (s.ok()) s = drain_writer();
    if (!s.ok()) return s;
    std::fflush(nullptr);
    _exit(3);
  }
  StageTimer t(summary->stages.deliver);
  // What the run committed is moved into the store's main file while the
  // destinations read and export (closing the store would do it after).
  if (s.ok()) s = drain_writer();
  if (s.ok()) store_->start_write_back();
  for (size_t d = 0; s.ok() && d < destinations_.size(); ++d) s = deliver(d, summary);
  for (size_t d = 0; s.ok() && d < destinations_.size(); ++d) s = deliver_outbox(d, summary);
  return s;
}

Status Pipeline::serve_consumers(RunSummary *summary) {
  // After new commits: at most once a second, and at most a fifth of the
  // time (a catch-up that took 2 s waits 8 s), so a busy source is not
  // starved by whole exports; at least once a minute so that time-driven
  // re-emits happen with no new events.
  constexpr double kMinGap = 1.0, kMaxGap = 60.0;
  double now = steady_seconds();
  bool moved = last_change_ != served_change_;
  double gap = std::max(kMinGap, 4 * last_serve_seconds_);
  if (!(moved && now - last_served_ >= gap) && now - last_served_ < kMaxGap) {
    return Status::Ok();
  }
  Status s = catch_up_consumers(as_of_ms(), summary);
  if (s.ok()) s = commit();
  served_change_ = last_change_;
  last_served_ = steady_seconds();
  last_serve_seconds_ = last_served_ - now;
  return s;
}

Result<std::vector<uint64_t>> Pipeline::profiles_to_emit(uint64_t after, int64_t as_of_ms,
                                                         RunSummary *summary) {
  std::vector<uint64_t> ids;
  constexpr uint32_t kInputs = kChangeCreated | kChangeTraits | kChangeFeatureState;
  Status s = scan_changes_through(*store_, after, last_change_, [&](const ProfileChange &c) {
    if (c.kinds & kInputs) ids.push_back(c.profile_id);
  });
  if (!s.ok()) return s;
  s = store_->scan_due_reemits(as_of_ms, [&](uint64_t id) { ids.push_back(id); });
  if (!s.ok()) return s;
  if (ids.empty()) return ids;
  {
    StageTimer t(summary->stages.restore);
    s = state_restored_ || !partial_restore_supported() ? ensure_restored(summary)
                                                        : load_profiles(ids, summary);
  }
  if (!s.ok()) return s;
  // Only live profiles: a profile merged away since its change is gone.
  std::erase_if(ids, [&](uint64_t id) { return profiles_.find(id) == nullptr; });
  sort_unique(ids);
  return ids;
}

std::string Pipeline::features_consumer() const {
  std::vector<const PluginUse *> uses;
  for (const PluginUse &u : config_.features) uses.push_back(&u);
  return consumer_name("features", uses);
}

Status Pipeline::read_features_position() {
  auto position = store_->consumer_position(features_consumer());
  if (!position.ok()) return position.status();
  features_position_ = *position;
  features_position_known_ = true;
  return Status::Ok();
}

Status Pipeline::emit_features(int64_t as_of_ms, RunSummary *summary) {
  if (features_.empty()) return Status::Ok();
  // The position is known without the store when it was read at start (or
  // cleared by a rebuild): emitting every profile then overlaps the writer
  // thread's last batches; only the comparison with stored values waits.
  Status s = features_position_known_ ? Status::Ok() : drain_writer();
  if (s.ok() && !features_position_known_) s = read_features_position();
  if (!s.ok()) return s;
  bool everyone = !features_position_.has_value();
  for (auto &f : features_) everyone = everyone || !f->reports_time_changes();
  std::vector<uint64_t> ids;
  if (everyone) {
    StageTimer t(summary->stages.restore);
    s = ensure_restored(summary);
    if (!s.ok()) return s;
    ids = profiles_.ids();
  } else {
    s = drain_writer();  // profiles_to_emit reads the change log
    if (!s.ok()) return s;
    auto changed = profiles_to_emit(*features_position_, as_of_ms, summary);
    if (!changed.ok()) return changed.status();
    ids = std::move(*changed);
  }
  // A population step changes what every profile's features are computed
  // from: after one, every profile is emitted.
  if (any_fits()) {
    auto fitting = builders_to_fit(as_of_ms, !ids.empty());
    if (!fitting.ok()) return fitting.status();
    if (!fitting->empty()) {
      s = fit_models(*fitting, as_of_ms, summary);
      if (!s.ok()) return s;
      ids = profiles_.ids();
    }
  }
  s = begin_if_needed();
  for (size_t first = 0; s.ok() && first < ids.size(); first += kEmitChunk) {
    // Stopped: what was emitted is stored, the cursor stays, the next run
    // emits again.
    if (options_.cancel && options_.cancel->load()) return s;
    size_t end = std::min(ids.size(), first + kEmitChunk);
    s = emit_chunk(std::span(ids).subspan(first, end - first), as_of_ms, summary);
  }
  if (!s.ok()) return s;
  // Past this pass's own entries too: they are kChangeFeatures only, which
  // is not an input of emission, and nothing else wrote to the log
  // meanwhile. (Stopping at the entries before them made every next run
  // scan them again: the whole population's after a full run.)
  const uint64_t through = last_change_;
  s = write([name = features_consumer(), through](Store &st) {
    return st.set_consumer_position(name, through);
  });
  if (s.ok()) features_position_ = through;
  return s;
}

bool Pipeline::any_fits() const {
  return std::any_of(features_.begin(), features_.end(), [](const auto &f) { return f->fits(); });
}

std::string Pipeline::model_config(size_t builder) const {
  return consumer_name("model", {&config_.features[builder]});
}

Result<std::vector<size_t>> Pipeline::builders_to_fit(int64_t as_of_ms, bool changed) {
  models_.resize(features_.size());
  std::vector<size_t> fitting;
  for (size_t i = 0; i < features_.size(); ++i) {
    if (!features_[i]->fits()) continue;
    const std::optional<int64_t> &refit_after = config_.features[i].refit_after_ms;
    if (fit_always_ || !refit_after) {
      if (changed || fit_always_) fitting.push_back(i);
      continue;
    }
    if (!models_[i].tried_store) {
      Status s = load_stored_model(i);
      if (!s.ok()) return s;
    }
    const std::optional<int64_t> &fitted = models_[i].as_of_ms;
    const bool stale = !fitted || (*refit_after != PluginUse::kRefitOnRequest &&
                                   as_of_ms - *fitted >= *refit_after);
    if (stale) fitting.push_back(i);
  }
  return fitting;
}

// A stored fit is reused only when the same configuration made it and the
// builder takes its model back; anything else is logged and fitted again.
Status Pipeline::load_stored_model(size_t i) {
  models_[i].tried_store = true;
  Status s = drain_writer();  // this thread reads the store
  if (!s.ok()) return s;
  const std::string &name = config_.features[i].name;
  auto fit = store_->latest_model_fit(name);
  if (!fit.ok()) return fit.status();
  if (!fit->has_value()) return Status::Ok();
  if ((*fit)->config != model_config(i) || (*fit)->model.empty()) {
    log_info("features", "feature '" + name + "': the stored fit " +
                             ((*fit)->model.empty() ? "holds no model to reuse"
                                                    : "was made by another configuration") +
                             "; fitting again");
    return Status::Ok();
  }
  s = features_[i]->load_model((*fit)->model);
  if (!s.ok()) {
    log_warn("features", s.message() + "; fitting again");
    return Status::Ok();
  }
  models_[i].as_of_ms = (*fit)->as_of_ms;
  return Status::Ok();
}

Status Pipeline::fit_models(const std::vector<size_t> &which, int64_t as_of_ms,
                            RunSummary *summary) {
  Status s = ensure_restored(summary);  // builders_to_fit sized models_
  if (s.ok()) s = begin_if_needed();
  for (size_t k = 0; s.ok() && k < which.size(); ++k) {
    const size_t i = which[k];
    auto fitted = features_[i]->fit(as_of_ms);
    if (!fitted.ok()) return fitted.status();
    models_[i].as_of_ms = as_of_ms;
    ModelFit fit{config_.features[i].name,
                 wall_ms(),
                 as_of_ms,
                 profiles_.size(),
                 last_sequence_,
                 std::move(fitted->params),
                 model_config(i),
                 std::move(fitted->data)};
    s = write([fit = std::move(fit)](Store &st) { return st.add_model_fit(fit); });
  }
  return s;
}

Status Pipeline::emit_chunk(std::span<const uint64_t> ids, int64_t as_of_ms, RunSummary *summary) {
  // Computed first (plugin calls, no store access), so that they overlap
  // what the writer thread still stores.
  auto rows = std::make_shared<std::vector<EmittedRow>>();
  NamedValues values;
  for (uint64_t id : ids) {
    values.clear();
    int64_t valid_until = INT64_MAX;
    for (auto &f : features_) {
      Status s = f->emit(id, as_of_ms, values, &valid_until);
      if (!s.ok()) return s;
    }
    rows->push_back({id, encode_features(values), valid_until, false});
  }
  Status s = drain_writer();  // this thread reads the stored features below
  if (!s.ok()) return s;
  // The stored features of the chunk: one range read when its ids are
  // dense (a first emission: every profile), else one read of the list.
  std::unordered_map<uint64_t, std::string> stored;
  auto keep = [&](uint64_t id, std::string_view f) { stored.emplace(id, f); };
  s = ids.back() - ids.front() < 4 * ids.size()
          ? store_->scan_features(ids.front(), ids.back(), keep)
          : store_->get_features(ids, keep);
  if (!s.ok()) return s;
  auto changes = std::make_shared<std::vector<ProfileChange>>();
  int64_t now = wall_ms();
  for (EmittedRow &r : *rows) {
    auto before = stored.find(r.profile_id);
    r.changed = before == stored.end() || before->second != r.features;
    if (r.changed) changes->push_back({++last_change_, r.profile_id, kChangeFeatures, 0, now});
  }
  summary->features_emitted += ids.size();
  summary->features_changed += changes->size();
  return write([rows, changes](Store &st) {
    for (const EmittedRow &r : *rows) {
      Status w = r.changed ? st.put_features(r.profile_id, r.features) : Status::Ok();
      if (w.ok()) {
        w = r.valid_until_ms == INT64_MAX ? st.cancel_reemit(r.profile_id)
                                          : st.schedule_reemit(r.profile_id, r.valid_until_ms);
      }
      if (!w.ok()) return w;
    }
    return st.append_changes(*changes);
  });
}

Status Pipeline::start_destination(size_t d) {
  if (destination_spent_.size() < destinations_.size()) {
    destination_spent_.resize(destinations_.size(), false);
  }
  if (destination_spent_[d]) {  // started and stopped once already: a fresh one
    destinations_[d].reset();
    auto fresh =
        create_destination_instance(config_, *catalog_, options_.cancel, options_.keep_polling, d);
    if (!fresh.ok()) return fresh.status();
    destinations_[d] = std::move(fresh.value());
    destination_spent_[d] = false;
  }
  return destinations_[d]->start();
}

// A stage that reads many pages (`large`) reads them on a read-only
// connection of its own, so that the next page is read beside the work on
// this one (and the writer's writes of the last one) instead of waiting
// for them. It reads a snapshot: what was written so far (features
// emitted, segments defined and dropped) is committed first. Pages hold
// distinct profiles, so no page is read after its own writes. nullptr:
// read on the pipeline's connection.
Result<std::unique_ptr<Store>> Pipeline::snapshot_reader(bool large) {
  if (!large) return std::unique_ptr<Store>();
  Status s = commit();
  if (s.ok()) s = drain_writer();
  if (s.ok()) s = begin_if_needed();
  if (!s.ok()) return s;
  return halo::open_store(config_.store_kind, config_.store_path, store_options(true));
}

Status Pipeline::deliver(size_t d, RunSummary *summary) {
  if (!destinations_[d]->takes_profiles()) return Status::Ok();  // messages only
  const std::string name = consumer_name("destination", {&config_.destinations[d]});
  Status s = drain_writer();
  if (!s.ok()) return s;
  auto position = store_->consumer_position(name);
  if (!position.ok()) return position.status();
  if (position->has_value() && **position == last_change_) return Status::Ok();
  auto interrupted = [this] { return options_.cancel && options_.cancel->load(); };
  // An interrupted run has not read all of its input: its profiles must
  // not replace the previous complete export.
  if (summary->interrupted || interrupted()) {
    summary->interrupted = true;
    return Status::Ok();
  }
  s = start_destination(d);
  if (!s.ok()) return s;
  DestinationInstance &dest = *destinations_[d];
  auto live = store_->profile_count();  // picks the mode, and a reader
  if (!live.ok()) return live.status();
  int32_t mode = HALO_DELIVERY_FULL;
  DeliveryChanges changes;
  if (dest.applies_changes()) {
    if (position->has_value()) {
      auto found = delivery_changes(*store_, **position, last_change_);
      if (!found.ok()) return found.status();
      changes = std::move(*found);
      if (2 * changes.changed.size() < *live) mode = HALO_DELIVERY_CHANGES;
    }
    auto accepted = dest.begin_delivery(mode);
    if (!accepted.ok()) return accepted.status();
    mode = *accepted;
  }
  // Large deliveries read on a snapshot connection of their own, a page
  // ahead of the one rendered and handed over.
  const bool by_changes = mode == HALO_DELIVERY_CHANGES;
  const uint64_t pages = (by_changes ? changes.changed.size() : *live) / kExportBatch;
  auto reader = snapshot_reader(pages >= kDeliveryReaderPages);
  if (!reader.ok()) return reader.status();
  Store &source = *reader ? **reader : *store_;
  const bool ahead = *reader != nullptr;
  s = by_changes ? export_changes(source, ahead, dest, changes, interrupted, summary)
                 : export_all(source, ahead, dest, interrupted, summary);
  if (!s.ok()) return s;
  // The last moment a signal counts: past it the export is complete.
  if (interrupted()) {
    summary->interrupted = true;
    return Status::Ok();
  }
  s = dest.stop();
  destination_spent_[d] = true;
  if (!s.ok()) return s;
  const uint64_t through = last_change_;
  s = begin_if_needed();
  if (!s.ok()) return s;
  return write([name, through](Store &st) { return st.set_consumer_position(name, through); });
}

}  // namespace halo
