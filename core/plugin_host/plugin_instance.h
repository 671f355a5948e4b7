// plugin_instance.h -- RAII handles for live plugin instances, one class per
// plugin kind, turning the C vtable calls into Status results.
//
// An instance copies the plugin's vtable up to the size the plugin declared
// (fields an older plugin does not have stay NULL), creates the plugin
// instance with its option view, and destroys it exactly once in the
// destructor. Every failure message is prefixed with the instance label
// ("source 'web' (file-jsonl)") so the user knows which plugin failed.
// A plugin status of HALO_RETRY is retried with exponential backoff here;
// the plugin never sleeps itself. Those re-calls and the host HTTP client's
// retries during the call share one RetryBudget (http/retry_budget.h), so
// they never multiply. Not thread-safe: one caller at a time.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/option_view.h"
#include "config/pipeline_config.h"
#include "plugin_host/host_api.h"
#include "plugin_host/plugin_call.h"
#include "plugin_host/plugin_catalog.h"

namespace halo {

struct InstanceSetup {
  std::string label;     // "source 'web' (file-jsonl)"
  std::string where;     // config key path, e.g. "sources[0]"
  std::string base_dir;  // pipeline directory
  const std::atomic<bool> *cancel = nullptr;
  // `halo validate`: the instance is created and destroyed, never started;
  // HTTP routes it adds are checked, not served.
  bool dry_run = false;
  RetryPolicy retry;         // the pipeline's http.retry.* (retry_budget.h)
  int http_concurrency = 4;  // the use's `concurrency` (http_request_many)
  // Destinations: routes kept until destroy(), and where their delivery
  // reports go (null: none recorded) under the destination's name.
  bool routes_until_destroy = false;
  std::shared_ptr<ReportSink> reports;
  std::string report_name;
};

class PluginInstance {
 public:
  virtual ~PluginInstance();
  PluginInstance(const PluginInstance &) = delete;
  PluginInstance &operator=(const PluginInstance &) = delete;

  Status start();
  Status stop();
  const std::string &label() const { return ctx_.label; }
  const PluginInfo &info() const { return info_; }
  // HALO_CAP_PARTIAL_RESTORE: restore() may be called between other calls.
  bool partial_restore() const { return (info_.capabilities & HALO_CAP_PARTIAL_RESTORE) != 0; }
  Metrics &metrics() { return ctx_.metrics; }

  // Used by the kind-specific create() functions only.
  PluginInstance(const PluginInfo &info, const InstanceSetup &setup);
  // Validates options and creates the plugin instance from the lifecycle
  // prefix of the (already copied) vtable.
  Status init(const PluginUse &use, const void *vtable_copy);

 protected:
  // Marks a call into the plugin on this thread (crash handler, watchdog).
  PluginCallScope enter(const char *operation) const;
  // Maps a plugin status to a Status carrying the plugin's message.
  Status check(halo_status st, const char *operation);
  // Calls fn until it returns something other than HALO_RETRY (bounded).
  halo_status with_retry(const std::function<halo_status()> &fn);

  PluginInfo info_;
  std::string where_;
  halo_context ctx_;
  std::unique_ptr<OptionView> options_;
  halo_instance *inst_ = nullptr;
  halo_status (*start_)(halo_instance *) = nullptr;
  halo_status (*stop_)(halo_instance *) = nullptr;
  void (*destroy_)(halo_instance *) = nullptr;
};

class SourceInstance : public PluginInstance {
 public:
  static Result<std::unique_ptr<SourceInstance>> create(const PluginInfo &info,
                                                        const PluginUse &use,
                                                        const InstanceSetup &setup);
  Status restore_cursor(std::string_view cursor);
  // Fills `out` (cleared first). HALO_ERROR from the plugin is returned as a
  // non-ok Status; the caller decides whether to continue. Records added
  // before a HALO_RETRY or HALO_ERROR stay in `out` (plugin.h); a FATAL
  // call leaves `out` empty.
  Status next_batch(RawBatch &out, uint32_t max_records);
  Result<std::string> cursor();
  void committed();

 public:
  using PluginInstance::PluginInstance;

  static halo_source_vtable *vtable_of(SourceInstance &i) { return &i.vt_; }

 private:
  halo_source_vtable vt_{};
};

class ResolverInstance : public PluginInstance {
 public:
  static Result<std::unique_ptr<ResolverInstance>> create(const PluginInfo &info,
                                                          const PluginUse &use,
                                                          const InstanceSetup &setup);
  // `at_ms[k]`: when links[k] was made (0: not known), handed to the
  // plugin's restore_times when it has one; same size as `links`.
  Status restore(const std::vector<halo_identity_link> &links, const std::vector<int64_t> &at_ms);
  Status resolve(const EventBatch &batch, ResolutionOut &out);

 public:
  using PluginInstance::PluginInstance;

  static halo_resolver_vtable *vtable_of(ResolverInstance &i) { return &i.vt_; }

 private:
  halo_resolver_vtable vt_{};
};

// What a feature builder's fit() reported.
struct FittedModel {
  std::vector<std::pair<std::string, double>> params;  // in the order reported
  std::string data;  // model_data: empty when the builder reported none
};

class FeatureInstance : public PluginInstance {
 public:
  static Result<std::unique_ptr<FeatureInstance>> create(const PluginInfo &info,
                                                         const PluginUse &use,
                                                         const InstanceSetup &setup);
  Status restore(const std::vector<halo_state_row> &rows);
  // Events the plugin refused with event_reject are appended to *rejected.
  Status update(const EventBatch &batch, const std::vector<uint64_t> &profile_ids,
                std::vector<EventRejection> *rejected);
  Status merge(uint64_t from, uint64_t into);
  using StateSink = std::function<void(uint64_t, const void *, size_t)>;
  Status save_dirty(const StateSink &sink);
  // Appends the profile's typed feature values, in emission order; lowers
  // *valid_until_ms to the earliest time the builder says these values
  // change by themselves (feature_valid_until).
  Status emit(uint64_t profile_id, int64_t as_of_ms, NamedValues &out, int64_t *valid_until_ms);
  // Whether the builder can report when its values change with time alone
  // (built against ABI 1.2 or later); if not, every profile is re-emitted.
  bool reports_time_changes() const { return info().abi_minor >= 2; }
  // The population step (ABI 1.2, optional): the fitted parameters, in the
  // order the builder reported them.
  bool fits() const { return vt_.fit != nullptr; }
  Result<FittedModel> fit(int64_t as_of_ms);
  // Whether a stored fit can be handed back (load_model, ABI 1.2) instead
  // of fitting in every run.
  bool loads_models() const { return vt_.fit != nullptr && vt_.load_model != nullptr; }
  Status load_model(std::string_view data);
  // The features emit() may write (describe_features, ABI 1.2, optional),
  // in the builder's order, each with the kind of the first value written
  // for it that was not null (kNull: unknown); nullopt when it does not
  // say. Once named, the first emit() calls check what they write against
  // them and log a name that was not named (once each).
  struct DescribedFeature {
    std::string name;
    TypedKind kind = TypedKind::kNull;
  };
  Result<std::optional<std::vector<DescribedFeature>>> describe_features();

 public:
  using PluginInstance::PluginInstance;

  static halo_feature_vtable *vtable_of(FeatureInstance &i) { return &i.vt_; }

 private:
  // Logs the names of `values` (from index `from`) that describe_features
  // did not name; checks the first kCheckedEmits emit() calls only.
  void check_described(const NamedValues &values, size_t from);

  static constexpr uint32_t kCheckedEmits = 64;
  halo_feature_vtable vt_{};
  std::optional<std::set<std::string, std::less<>>> described_;
  std::set<std::string, std::less<>> undescribed_reported_;
  uint32_t checked_emits_ = 0;
};

class DestinationInstance : public PluginInstance {
 public:
  static Result<std::unique_ptr<DestinationInstance>> create(const PluginInfo &info,
                                                             const PluginUse &use,
                                                             const InstanceSetup &setup);
  // json[i] is profiles[i] in the export format; `profiles` feeds the typed
  // accessors (since 1.2) and may be null.
  Status write_profiles(const std::vector<std::string> &json, const std::vector<uint64_t> &ids,
                        const std::vector<ProfileExport> *profiles = nullptr);
  // Whether deliveries of changes apply (HALO_CAP_INCREMENTAL_DELIVERY);
  // create() refused a plugin declaring it without the vtable members.
  bool applies_changes() const {
    return (info().capabilities & HALO_CAP_INCREMENTAL_DELIVERY) != 0;
  }
  // With applies_changes(), after start(): the mode of this delivery,
  // `proposed` or HALO_DELIVERY_FULL when the destination asks for it.
  Result<int32_t> begin_delivery(int32_t proposed);
  Status remove_profiles(const std::vector<uint64_t> &ids);
  // Whether it takes profiles (write_profiles) and outbox messages
  // (deliver_messages, since 1.2); create() refused one that takes neither.
  bool takes_profiles() const { return vt_.write_profiles != nullptr; }
  bool delivers_messages() const { return vt_.deliver_messages != nullptr; }
  // Hands `messages` over; `out` gets one outcome per message (those the
  // plugin did not report stay unreported).
  Status deliver_messages(const std::vector<halo_message> &messages, halo_message_delivery &out);
  // Whether its receiver's delivery reports are asked for (poll_receipts,
  // since 1.2); the plugin reports them through host->delivery_receipt.
  bool polls_receipts() const { return vt_.poll_receipts != nullptr; }
  Status poll_receipts(const std::vector<halo_sent_message> &sent);

 public:
  using PluginInstance::PluginInstance;

  static halo_destination_vtable *vtable_of(DestinationInstance &i) { return &i.vt_; }

 private:
  halo_destination_vtable vt_{};
};

}  // namespace halo
