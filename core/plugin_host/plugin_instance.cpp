// plugin_instance.cpp -- vtable calls with status translation and retries.
#include "plugin_host/plugin_instance.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/clock.h"
#include "common/log.h"
#include "common/secrets.h"
#include "config/option_validation.h"
#include "plugin_host/host_api_http_server.h"

namespace halo {

namespace {

// The lifecycle prefix every vtable starts with (HALO_LIFECYCLE_FIELDS).
struct Lifecycle {
  HALO_LIFECYCLE_FIELDS;
};

template <class VT>
bool copy_vtable(const void *plugin_vt, VT *out) {
  uint32_t size = 0;
  std::memcpy(&size, plugin_vt, sizeof size);
  if (size < sizeof(Lifecycle)) return false;
  std::memset(out, 0, sizeof(VT));
  std::memcpy(out, plugin_vt, std::min<size_t>(size, sizeof(VT)));
  return true;
}

}  // namespace

PluginInstance::PluginInstance(const PluginInfo &info, const InstanceSetup &setup)
    : info_(info), where_(setup.where) {
  ctx_.label = setup.label;
  ctx_.base_dir = setup.base_dir;
  ctx_.cancel = setup.cancel;
  ctx_.dry_run = setup.dry_run;
  ctx_.retry.set_policy(setup.retry);
  ctx_.http_concurrency = setup.http_concurrency;
  ctx_.routes_until_destroy = setup.routes_until_destroy;
  ctx_.reports = setup.reports;
  ctx_.report_name = setup.report_name;
}

PluginInstance::~PluginInstance() {
  drop_http_routes(&ctx_);  // no handler may run once destroy() starts
  if (inst_ == nullptr || destroy_ == nullptr) return;
  PluginCallScope scope = enter("destroy");
  destroy_(inst_);
}

PluginCallScope PluginInstance::enter(const char *operation) const {
  return PluginCallScope(ctx_.label, operation);
}

Status PluginInstance::init(const PluginUse &use, const void *copy) {
  const halo_plugin_descriptor *d = info_.descriptor;
  Status valid = validate_plugin_options(where_, use, d->options, d->option_count);
  if (!valid.ok()) return valid;
  options_ = std::make_unique<OptionView>(use, d->options, d->option_count);
  ctx_.options = options_.get();
  const auto *life = static_cast<const Lifecycle *>(copy);
  if (life->create == nullptr || life->destroy == nullptr) {
    return Status::Plugin(ctx_.label + ": plugin vtable lacks create/destroy (" + info_.path + ")");
  }
  start_ = life->start;
  stop_ = life->stop;
  destroy_ = life->destroy;
  halo_status st;
  {
    PluginCallScope scope = enter("create");
    st = life->create(host_api(), &ctx_, &inst_);
  }
  if (st != HALO_OK || inst_ == nullptr || !ctx_.config_errors.empty()) drop_http_routes(&ctx_);
  if (!ctx_.config_errors.empty()) {
    std::string msg;
    for (const auto &[path, text] : ctx_.config_errors) {
      std::string key = where_ + ".config" + (path.empty() ? "" : "." + path);
      if (!msg.empty()) msg += "\n";
      msg += options_->mark_of(path).str() + ": " + key + ": " + text;
    }
    return Status::Invalid(msg);
  }
  if (st != HALO_OK || inst_ == nullptr) {
    Status s = check(st == HALO_OK ? HALO_FATAL : st, "create");
    inst_ = nullptr;  // a failed create owns nothing
    return s;
  }
  return Status::Ok();
}

Status PluginInstance::check(halo_status st, const char *operation) {
  if (st == HALO_OK) return Status::Ok();
  std::string kind = st == HALO_RETRY   ? "kept asking to retry"
                     : st == HALO_ERROR ? "failed"
                     : st == HALO_FATAL ? "failed fatally"
                                        : "returned unknown status " + std::to_string(st);
  std::string msg = ctx_.label + ": " + operation + " " + kind;
  // ctx_.error may come from the host HTTP client as well as set_error.
  if (!ctx_.error.empty()) msg += ": " + mask_secrets(ctx_.error);
  ctx_.error.clear();
  return Status(st == HALO_ERROR ? StatusCode::kPlugin : StatusCode::kInternal, msg);
}

halo_status PluginInstance::with_retry(const std::function<halo_status()> &fn) {
  ctx_.retry.reset();  // a fresh budget per call into the plugin
  halo_status st = HALO_OK;
  for (int attempt = 0; attempt < RetryPolicy::kMaxMaxAttempts; ++attempt) {
    st = fn();  // each fn enters its own PluginCallScope
    if (st != HALO_RETRY) return st;
    if (ctx_.cancel && ctx_.cancel->load()) return st;
    // 50 ms doubling, capped at 1.6 s as before the budget (the sleep is not
    // cancellable; the budget, not the delay, bounds the retries).
    auto delay = std::chrono::milliseconds(50 << std::min(attempt, 5));
    // The HTTP attempts the plugin made in this call were charged already:
    // a HALO_RETRY after a request that spent the budget is not re-called.
    if (!ctx_.retry.allow_retry_after_failure(delay)) {
      if (ctx_.error.find("retry budget spent") == std::string::npos) {
        ctx_.error += (ctx_.error.empty() ? "" : "; ") + std::string("retry budget spent: ") +
                      ctx_.retry.describe();
      }
      return st;
    }
    log_warn(ctx_.label, "asked to retry (" + ctx_.error + "); waiting " +
                             std::to_string(delay.count()) + " ms");
    current_clock().sleep_for(delay);  // a test's manual clock fast-forwards it
  }
  return st;
}

Status PluginInstance::start() {
  if (!start_) return Status::Ok();
  return check(with_retry([&] {
                 PluginCallScope scope = enter("start");
                 return start_(inst_);
               }),
               "start");
}

Status PluginInstance::stop() {
  // Requests stop reaching an instance that is stopping, unless its
  // routes only record reports (destinations, plugin.h http_route_add).
  if (!ctx_.routes_until_destroy) drop_http_routes(&ctx_);
  if (!stop_) return Status::Ok();
  PluginCallScope scope = enter("stop");
  return check(stop_(inst_), "stop");
}

// ---- kind-specific instances ----

template <class Inst, class VT>
static Result<std::unique_ptr<Inst>> make_instance(const PluginInfo &info, const PluginUse &use,
                                                   const InstanceSetup &setup, VT *(*vt)(Inst &)) {
  auto p = std::make_unique<Inst>(info, setup);
  VT *table = vt(*p);
  if (!copy_vtable(info.descriptor->vtable, table)) {
    return Status::Plugin(setup.label + ": vtable struct_size too small (" + info.path + ")");
  }
  Status s = p->init(use, table);
  if (!s.ok()) return s;
  return p;
}

Result<std::unique_ptr<SourceInstance>> SourceInstance::create(const PluginInfo &info,
                                                               const PluginUse &use,
                                                               const InstanceSetup &setup) {
  auto r = make_instance<SourceInstance>(info, use, setup, &SourceInstance::vtable_of);
  if (r.ok() && (!r.value()->vt_.next_batch || !r.value()->vt_.cursor)) {
    return Status::Plugin(setup.label + ": source vtable lacks next_batch/cursor");
  }
  return r;
}

Status SourceInstance::restore_cursor(std::string_view cursor) {
  if (!vt_.restore_cursor) return Status::Ok();
  PluginCallScope scope = enter("restore_cursor");
  return check(vt_.restore_cursor(inst_, cursor.data(), cursor.size()), "restore_cursor");
}

Status SourceInstance::next_batch(RawBatch &out, uint32_t max_records) {
  halo_sink sink{&out};
  out.clear();
  halo_status st = with_retry([&] {
    // What a call that asked to retry handed over is kept (plugin.h): the
    // call after the backoff fills only the rest of the batch.
    size_t added = out.records.size() + out.errors.size();
    if (added > 0 && added >= max_records) {
      ctx_.error.clear();  // the batch is full: it goes on as it is
      return HALO_OK;
    }
    PluginCallScope scope = enter("next_batch");
    return vt_.next_batch(inst_, &sink, max_records - static_cast<uint32_t>(added));
  });
  // FATAL (or a status outside the enum): nothing of the call is kept.
  if (st != HALO_OK && st != HALO_RETRY && st != HALO_ERROR) out.clear();
  return check(st, "next_batch");
}

Result<std::string> SourceInstance::cursor() {
  const char *data = nullptr;
  size_t len = 0;
  PluginCallScope scope = enter("cursor");
  Status s = check(vt_.cursor(inst_, &data, &len), "cursor");
  if (!s.ok()) return s;
  return std::string(data ? data : "", data ? len : 0);
}

void SourceInstance::committed() {
  if (!vt_.committed) return;
  PluginCallScope scope = enter("committed");
  vt_.committed(inst_);
}

Result<std::unique_ptr<ResolverInstance>> ResolverInstance::create(const PluginInfo &info,
                                                                   const PluginUse &use,
                                                                   const InstanceSetup &setup) {
  auto r = make_instance<ResolverInstance>(info, use, setup, &ResolverInstance::vtable_of);
  if (r.ok() && !r.value()->vt_.resolve) {
    return Status::Plugin(setup.label + ": resolver vtable lacks resolve");
  }
  return r;
}

Status ResolverInstance::restore(const std::vector<halo_identity_link> &links,
                                 const std::vector<int64_t> &at_ms) {
  if (!vt_.restore || links.empty()) return Status::Ok();
  PluginCallScope scope = enter("restore");
  Status s = check(vt_.restore(inst_, links.data(), links.size()), "restore");
  if (!s.ok() || !vt_.restore_times) return s;
  return check(vt_.restore_times(inst_, at_ms.data(), links.size()), "restore_times");
}

Status ResolverInstance::resolve(const EventBatch &batch, ResolutionOut &out) {
  halo_batch b{&batch, &out.rejections};
  halo_resolution r{&out};
  PluginCallScope scope = enter("resolve");
  Status s = check(vt_.resolve(inst_, &b, &r), "resolve");
  // A refused event is never assigned, whatever else the plugin said.
  for (const EventRejection &rej : out.rejections) out.assignment[rej.index] = 0;
  return s;
}

Result<std::unique_ptr<FeatureInstance>> FeatureInstance::create(const PluginInfo &info,
                                                                 const PluginUse &use,
                                                                 const InstanceSetup &setup) {
  auto r = make_instance<FeatureInstance>(info, use, setup, &FeatureInstance::vtable_of);
  if (r.ok() && (!r.value()->vt_.update || !r.value()->vt_.emit)) {
    return Status::Plugin(setup.label + ": feature vtable lacks update/emit");
  }
  if (r.ok() && use.refit_after_ms && !r.value()->loads_models()) {
    return Status::Invalid(use.refit_mark.str() + ": " + setup.label +
                           ": `refit` needs a builder that can reuse a stored fit (load_model, "
                           "plugin ABI 1.2); this one fits in every run, remove the key");
  }
  return r;
}

Status FeatureInstance::restore(const std::vector<halo_state_row> &rows) {
  if (!vt_.restore || rows.empty()) return Status::Ok();
  PluginCallScope scope = enter("restore");
  return check(vt_.restore(inst_, rows.data(), rows.size()), "restore");
}

Status FeatureInstance::update(const EventBatch &batch, const std::vector<uint64_t> &ids,
                               std::vector<EventRejection> *rejected) {
  halo_batch b{&batch, rejected};
  PluginCallScope scope = enter("update");
  return check(vt_.update(inst_, &b, ids.data()), "update");
}

Status FeatureInstance::merge(uint64_t from, uint64_t into) {
  if (!vt_.merge) return Status::Ok();
  PluginCallScope scope = enter("merge");
  return check(vt_.merge(inst_, from, into), "merge");
}

Status FeatureInstance::save_dirty(const StateSink &sink) {
  if (!vt_.save_dirty) return Status::Ok();
  halo_state_writer w;
  w.user = const_cast<StateSink *>(&sink);
  w.write = [](void *user, uint64_t id, const void *data, size_t len) {
    (*static_cast<StateSink *>(user))(id, data, len);
  };
  PluginCallScope scope = enter("save_dirty");
  return check(vt_.save_dirty(inst_, &w), "save_dirty");
}

Status FeatureInstance::emit(uint64_t profile_id, int64_t as_of_ms, NamedValues &out,
                             int64_t *valid_until_ms) {
  halo_feature_writer w{&out};
  const size_t before = out.size();
  PluginCallScope scope = enter("emit");
  Status s = check(vt_.emit(inst_, profile_id, as_of_ms, &w), "emit");
  if (w.valid_until_ms < *valid_until_ms) *valid_until_ms = w.valid_until_ms;
  if (described_ && checked_emits_ < kCheckedEmits) check_described(out, before);
  return s;
}

Result<std::optional<std::vector<FeatureInstance::DescribedFeature>>>
FeatureInstance::describe_features() {
  using Described = std::vector<DescribedFeature>;
  if (vt_.describe_features == nullptr) return std::optional<Described>();
  NamedValues written;
  halo_feature_writer w{&written};
  PluginCallScope scope = enter("describe_features");
  Status s = check(vt_.describe_features(inst_, &w), "describe_features");
  if (!s.ok()) return s;
  Described features;
  described_.emplace();
  for (const NamedValue &v : written) {
    if (described_->insert(v.name).second) {
      features.push_back({v.name, TypedKind::kNull});
    }
    auto it = std::find_if(features.begin(), features.end(),
                           [&](const DescribedFeature &f) { return f.name == v.name; });
    if (it->kind == TypedKind::kNull) it->kind = v.value.kind();
  }
  return std::optional<Described>(std::move(features));
}

void FeatureInstance::check_described(const NamedValues &values, size_t from) {
  ++checked_emits_;
  for (size_t i = from; i < values.size(); ++i) {
    const std::string &name = values[i].name;
    if (described_->count(name) || !undescribed_reported_.insert(name).second) continue;
    log_error(label(), "emit() wrote feature '" + name +
                           "', which describe_features() did not name: `halo validate` cannot "
                           "check what reads it (a fault of the plugin; report it to its vendor)");
  }
}

Result<FittedModel> FeatureInstance::fit(int64_t as_of_ms) {
  halo_model_writer w;
  PluginCallScope scope = enter("fit");
  Status s = check(vt_.fit(inst_, as_of_ms, &w), "fit");
  if (!s.ok()) return s;
  if (!w.error.empty()) return Status::Plugin(label() + ": fit: " + w.error);
  return FittedModel{std::move(w.params), std::move(w.data)};
}

Status FeatureInstance::load_model(std::string_view data) {
  if (!loads_models()) return Status::Plugin(label() + ": cannot load a stored model");
  PluginCallScope scope = enter("load_model");
  return check(vt_.load_model(inst_, data.data(), data.size()), "load_model");
}

Result<std::unique_ptr<DestinationInstance>> DestinationInstance::create(
    const PluginInfo &info, const PluginUse &use, const InstanceSetup &setup) {
  auto r = make_instance<DestinationInstance>(info, use, setup, &DestinationInstance::vtable_of);
  if (r.ok() && !r.value()->takes_profiles() && !r.value()->delivers_messages()) {
    return Status::Plugin(setup.label +
                          ": destination vtable lacks write_profiles (and deliver_messages)");
  }
  if (r.ok() && r.value()->applies_changes() &&
      (!r.value()->vt_.begin_delivery || !r.value()->vt_.remove_profiles)) {
    return Status::Plugin(setup.label +
                          ": declares HALO_CAP_INCREMENTAL_DELIVERY but its vtable lacks "
                          "begin_delivery or remove_profiles");
  }
  return r;
}

Result<int32_t> DestinationInstance::begin_delivery(int32_t proposed) {
  int32_t mode = proposed;
  Status s = check(with_retry([&] {
                     mode = proposed;
                     PluginCallScope scope = enter("begin_delivery");
                     return vt_.begin_delivery(inst_, &mode);
                   }),
                   "begin_delivery");
  if (!s.ok()) return s;
  // FULL is always acceptable; CHANGES only when it was proposed.
  return mode == HALO_DELIVERY_CHANGES && proposed == HALO_DELIVERY_CHANGES ? HALO_DELIVERY_CHANGES
                                                                            : HALO_DELIVERY_FULL;
}

Status DestinationInstance::remove_profiles(const std::vector<uint64_t> &ids) {
  if (ids.empty()) return Status::Ok();
  return check(with_retry([&] {
                 PluginCallScope scope = enter("remove_profiles");
                 return vt_.remove_profiles(inst_, ids.data(), ids.size());
               }),
               "remove_profiles");
}

Status DestinationInstance::deliver_messages(const std::vector<halo_message> &messages,
                                             halo_message_delivery &out) {
  out.outcomes.assign(messages.size(), {});
  if (messages.empty()) return Status::Ok();
  // Not retried here: the kernel schedules the retries of what the plugin
  // did not deliver, per message.
  halo_status status = HALO_OK;
  {
    std::vector<const halo_message *> pointers;
    pointers.reserve(messages.size());
    for (const halo_message &m : messages) pointers.push_back(&m);
    PluginCallScope scope = enter("deliver_messages");
    status = vt_.deliver_messages(inst_, pointers.data(), pointers.size(), &out);
  }
  return check(status, "deliver_messages");
}

Status DestinationInstance::poll_receipts(const std::vector<halo_sent_message> &sent) {
  if (sent.empty()) return Status::Ok();
  // Not retried here: what got no report is asked again at its next poll.
  std::vector<const halo_sent_message *> pointers;
  pointers.reserve(sent.size());
  for (const halo_sent_message &m : sent) pointers.push_back(&m);
  halo_status status = HALO_OK;
  {
    PluginCallScope scope = enter("poll_receipts");
    status = vt_.poll_receipts(inst_, pointers.data(), pointers.size());
  }
  return check(status, "poll_receipts");
}

Status DestinationInstance::write_profiles(const std::vector<std::string> &json,
                                           const std::vector<uint64_t> &ids,
                                           const std::vector<ProfileExport> *profiles) {
  halo_profile_batch b{&json, &ids, profiles, {}};
  return check(with_retry([&] {
                 PluginCallScope scope = enter("write_profiles");
                 return vt_.write_profiles(inst_, &b);
               }),
               "write_profiles");
}

}  // namespace halo
