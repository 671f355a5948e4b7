// faulty_plugin.cpp -- a test-only plugin library that misbehaves on demand,
// to prove the kernel survives plugins that return errors or throw: a
// source, a resolver and a feature builder; a destination that reads
// profiles only through the typed accessors (typed-recorder); and
// destinations that record deliveries of changes (change-recorder,
// truncated-recorder).
#include <halo/sdk.hpp>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Emits `batches` batches of 10 identify events; on batch `fail_batch` it
// throws (ERROR), on `fatal_batch` it returns FATAL, on `crash_batch` it
// crashes with SIGSEGV, on `hang_batch` it never returns; from
// `fail_from_batch` on every batch throws (ERROR), so the kernel's retries
// run out.
class FaultySource : public halo::Source {
 public:
  explicit FaultySource(halo::Host host) : halo::Source(host) {
    batches_ = host.opt_int("batches").value_or(4);
    fail_ = host.opt_int("fail_batch").value_or(0);
    fatal_ = host.opt_int("fatal_batch").value_or(0);
    crash_ = host.opt_int("crash_batch").value_or(0);
    hang_ = host.opt_int("hang_batch").value_or(0);
    fail_from_ = host.opt_int("fail_from_batch").value_or(0);
    // A route added in the constructor (plugin.h allows it): `halo
    // validate` must check it without serving it.
    if (auto path = host.opt_string("route_in_create")) {
      route_ = std::make_unique<halo::HttpRoute>(
          host, "POST", std::string(*path),
          [](const halo::HttpServerRequest &, halo::HttpServerResponse &out) { out.status(204); },
          std::string(host.opt_string("listen").value_or("")));
    }
    if (host.opt_bool("bad_option").value_or(false)) {
      throw halo::ConfigError("bad_option",
                              "bad_option is set: refusing to start (fix: remove it)");
    }
    // Shown only at --log-level debug (tests of -v).
    host.log(HALO_LOG_DEBUG, "faulty-source debug: " + std::to_string(batches_) + " batches");
  }
  void next_batch(const halo::Sink &sink, uint32_t) override {
    ++batch_;
    if (batch_ == fail_ || (fail_from_ > 0 && batch_ >= fail_from_))
      throw std::runtime_error("simulated failure in batch " + std::to_string(batch_));
    if (batch_ == fatal_) throw halo::Error("simulated fatal failure", HALO_FATAL);
    // A real SIGSEGV on this thread, as a bad memory access would raise
    // (written as raise() so UBSan in sanitizer builds does not stop it first).
    if (batch_ == crash_) std::raise(SIGSEGV);
    while (batch_ == hang_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int i = 0; i < 10; ++i) {
      std::string id = "u" + std::to_string(batch_) + "-" + std::to_string(i);
      sink.record(R"({"type":"identify","messageId":")" + id + R"(","userId":")" + id + "\"}",
                  i + 1);
    }
    if (batch_ >= batches_) sink.end_of_data();
  }
  std::string_view cursor() override {
    cursor_ = std::to_string(batch_);
    return cursor_;
  }

 private:
  int64_t batches_, fail_, fatal_, crash_, hang_, fail_from_, batch_ = 0;
  std::string cursor_;
  std::unique_ptr<halo::HttpRoute> route_;
};

const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_INT, "batches", "4", false, "Batches to emit."),
    halo::option(HALO_OPT_INT, "fail_batch", "0", false, "Batch that throws (ERROR)."),
    halo::option(HALO_OPT_INT, "fatal_batch", "0", false, "Batch that returns FATAL."),
    halo::option(HALO_OPT_INT, "crash_batch", "0", false, "Batch that crashes (SIGSEGV)."),
    halo::option(HALO_OPT_INT, "hang_batch", "0", false, "Batch that never returns."),
    halo::option(HALO_OPT_INT, "fail_from_batch", "0", false,
                 "First of the batches that all throw (ERROR)."),
    halo::option(HALO_OPT_BOOL, "bad_option", "false", false, "Fail in the constructor."),
    halo::option(HALO_OPT_STRING, "route_in_create", nullptr, false,
                 "Add an HTTP route (POST PATH) in the constructor."),
    halo::option(HALO_OPT_STRING, "listen", nullptr, false, "HOST:PORT for that route."),
};

// The user_id identifier of event i, or "".
std::string user_of(const halo::Batch &batch, size_t i) {
  for (size_t k = 0; k < batch.identifier_count(i); ++k) {
    auto [type, value] = batch.identifier(i, k);
    if (type == "user_id") return std::string(value);
  }
  return "";
}

// True when some event of the batch belongs to `user` (checked before any
// state changes, so a failing call leaves the instance as it was).
bool batch_has(const halo::Batch &batch, const std::string &user) {
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!user.empty() && user_of(batch, i) == user) return true;
  }
  return false;
}

// One profile per user_id. Fails the whole call (ERROR) on a batch holding
// `poison_user`; refuses the events of `reject_user` with event_reject.
class FaultyResolver : public halo::Resolver {
 public:
  explicit FaultyResolver(halo::Host host) : halo::Resolver(host) {
    poison_ = std::string(host.opt_string("poison_user").value_or(""));
    reject_ = std::string(host.opt_string("reject_user").value_or(""));
  }
  void restore(const halo_identity_link *links, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      profiles_[std::string(links[i].value, links[i].value_len)] = links[i].profile_id;
    }
  }
  void resolve(const halo::Batch &batch, const halo::Resolution &out) override {
    if (batch_has(batch, poison_)) throw std::runtime_error("poisoned by " + poison_);
    for (size_t i = 0; i < batch.size(); ++i) {
      std::string user = user_of(batch, i);
      if (!reject_.empty() && user == reject_) {
        batch.reject(i, "test_refused", "the test resolver refuses " + user);
        continue;
      }
      uint64_t &id = profiles_[user];
      if (id == 0) {
        id = out.new_profile();
        out.link("user_id", user, id);
      }
      out.assign(i, id);
    }
  }

 private:
  std::string poison_, reject_;
  std::map<std::string, uint64_t> profiles_;
};

// Counts events per profile as feature `seen`. Fails the whole call on a
// batch holding `poison_user`; refuses `reject_user` with event_reject.
class FaultyFeatures : public halo::FeatureBuilder {
 public:
  explicit FaultyFeatures(halo::Host host) : halo::FeatureBuilder(host) {
    poison_ = std::string(host.opt_string("poison_user").value_or(""));
    reject_ = std::string(host.opt_string("reject_user").value_or(""));
    emit_delay_ms_ = host.opt_int("emit_delay_ms").value_or(0);
  }
  void restore(const halo_state_row *rows, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      seen_[rows[i].profile_id] =
          std::stoll(std::string(static_cast<const char *>(rows[i].data), rows[i].len));
    }
  }
  void update(const halo::Batch &batch, const uint64_t *profile_ids) override {
    if (batch_has(batch, poison_)) throw std::runtime_error("poisoned by " + poison_);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!reject_.empty() && user_of(batch, i) == reject_) {
        batch.reject(i, "test_refused", "the test builder refuses " + reject_);
        continue;
      }
      ++seen_[profile_ids[i]];
      dirty_.push_back(profile_ids[i]);
    }
  }
  void merge(uint64_t from, uint64_t into) override {
    seen_[into] += seen_[from];
    seen_.erase(from);
    dirty_.push_back(into);
  }
  void save_dirty(const halo::StateWriter &w) override {
    for (uint64_t id : dirty_) {
      auto it = seen_.find(id);
      if (it == seen_.end()) continue;
      std::string text = std::to_string(it->second);
      w.write(id, text.data(), text.size());
    }
    dirty_.clear();
  }
  void emit(uint64_t profile_id, int64_t, const halo::FeatureWriter &w) override {
    // A slow end of run, so tests can signal halo during it.
    std::this_thread::sleep_for(std::chrono::milliseconds(emit_delay_ms_));
    auto it = seen_.find(profile_id);
    w.integer("seen", it == seen_.end() ? 0 : it->second);
  }

 private:
  std::string poison_, reject_;
  int64_t emit_delay_ms_ = 0;
  std::map<uint64_t, int64_t> seen_;
  std::vector<uint64_t> dirty_;
};

// faulty-features that names its features (describe_features): the
// comma-separated `named` list, whatever emit() writes ("seen"); with
// `fail_describe` the call fails.
class NamedFeatures : public FaultyFeatures {
 public:
  explicit NamedFeatures(halo::Host host) : FaultyFeatures(host) {
    named_ = std::string(host.opt_string("named").value_or(""));
    fail_ = host.opt_bool("fail_describe").value_or(false);
  }
  void describe_features(const halo::FeatureWriter &w) {
    if (fail_) throw std::runtime_error("cannot say which features it writes");
    for (size_t at = 0; at <= named_.size();) {
      const size_t comma = std::min(named_.find(',', at), named_.size());
      if (comma > at) w.null(named_.substr(at, comma - at).c_str());
      at = comma + 1;
    }
  }

 private:
  std::string named_;
  bool fail_ = false;
};

const halo_option_decl kFaultOptions[] = {
    halo::option(HALO_OPT_STRING, "poison_user", "", false,
                 "user_id whose batches fail the whole call (ERROR)."),
    halo::option(HALO_OPT_STRING, "reject_user", "", false,
                 "user_id whose events are refused one by one (event_reject)."),
};

const halo_option_decl kFeatureOptions[] = {
    kFaultOptions[0],
    kFaultOptions[1],
    halo::option(HALO_OPT_INT, "emit_delay_ms", "0", false,
                 "Sleep this long in every emit() (a slow end of run)."),
};

const halo_option_decl kNamedFeatureOptions[] = {
    kFeatureOptions[0],
    kFeatureOptions[1],
    kFeatureOptions[2],
    halo::option(HALO_OPT_STRING, "named", "seen", false,
                 "Comma-separated feature names describe_features() writes."),
    halo::option(HALO_OPT_BOOL, "fail_describe", "false", false,
                 "describe_features() fails (ERROR)."),
};

// Writes one line per profile built only from the typed accessors (never
// profile_json): "id|updated_ms|ids=type:value,...|t:name=KIND:text|...|
// f:name=KIND:text", KIND being the halo_typed_kind number.
class TypedRecorder : public halo::Destination {
 public:
  explicit TypedRecorder(halo::Host host) : halo::Destination(host) {
    path_ = std::string(host.opt_string("path").value_or(""));
  }
  ~TypedRecorder() override {
    if (out_) std::fclose(out_);
  }
  void start() override {
    out_ = std::fopen(path_.c_str(), "w");
    if (!out_) throw halo::Error("cannot open " + path_);
  }
  void stop() override {
    std::fclose(out_);
    out_ = nullptr;
  }
  void write_profiles(const halo::ProfileBatch &batch) override {
    if (!batch.typed()) throw halo::Error("host lacks the typed profile accessors");
    for (size_t i = 0; i < batch.size(); ++i) {
      std::string line = std::to_string(batch.profile_id(i)) + "|" +
                         std::to_string(batch.updated_at_ms(i)) + "|ids=";
      for (const halo::ProfileIdentifier &id : batch.identifiers(i)) {
        line.append(id.type).append(":").append(id.value).append(",");
      }
      auto value = [&](const char *prefix) {
        return [&line, prefix](std::string_view name, const halo::ProfileValue &v) {
          line.append("|").append(prefix).append(name).append("=");
          line.append(std::to_string(v.type)).append(":").append(v.text());
        };
      };
      batch.for_each_trait(i, value("t:"));
      batch.for_each_feature(i, value("f:"));
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), out_);
    }
  }

 private:
  std::string path_;
  std::FILE *out_ = nullptr;
};

const halo_option_decl kRecorderOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, true, "File the lines are written to."),
};

// Applies deliveries of changes (HALO_CAP_INCREMENTAL_DELIVERY) and
// appends what it is told to `path`, one line per call: "begin P A" (the
// proposed and answered halo_delivery_mode), "write ID", "remove ID",
// "stop". `answer`: accept (the proposal), full (always FULL) or changes
// (always CHANGES, even to a FULL proposal, which plugin.h forbids).
class ChangeRecorder : public halo::Destination {
 public:
  explicit ChangeRecorder(halo::Host host) : halo::Destination(host) {
    path_ = std::string(host.opt_string("path").value_or(""));
    answer_ = std::string(host.opt_string("answer").value_or("accept"));
  }
  void start() override { out_.clear(); }
  halo::DeliveryMode begin_delivery(halo::DeliveryMode proposed) override {
    halo::DeliveryMode answer = answer_ == "full"      ? halo::DeliveryMode::kFull
                                : answer_ == "changes" ? halo::DeliveryMode::kChanges
                                                       : proposed;
    out_ += "begin " + std::to_string(static_cast<int>(proposed)) + " " +
            std::to_string(static_cast<int>(answer)) + "\n";
    return answer;
  }
  void write_profiles(const halo::ProfileBatch &batch) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      out_ += "write " + std::to_string(batch.profile_id(i)) + "\n";
    }
  }
  void remove_profiles(const uint64_t *ids, size_t count) override {
    for (size_t i = 0; i < count; ++i) out_ += "remove " + std::to_string(ids[i]) + "\n";
  }
  void stop() override {
    out_ += "stop\n";
    std::FILE *f = std::fopen(path_.c_str(), "a");
    if (!f) throw halo::Error("cannot open " + path_);
    std::fwrite(out_.data(), 1, out_.size(), f);
    std::fclose(f);
  }

 private:
  std::string path_, answer_, out_;
};

const char *const kAnswers[] = {"accept", "full", "changes"};
const halo_option_decl kChangeRecorderOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, true, "File the calls are appended to."),
    halo::one_of(halo::option(HALO_OPT_STRING, "answer", "accept", false,
                              "What begin_delivery answers: accept, full or changes."),
                 kAnswers),
};

// The same destination as a plugin whose vtable ends before begin_delivery
// (as if built against ABI 1.1) while declaring the capability: the kernel
// must refuse it rather than call past the end of its vtable.
class TruncatedRecorder : public ChangeRecorder {
  using ChangeRecorder::ChangeRecorder;
};

const halo_plugin_descriptor *truncated_recorder() {
  const halo_plugin_descriptor *full = halo::describe_destination<TruncatedRecorder>(
      "truncated-recorder", "0.0.1", "Declares incremental delivery without its vtable members",
      kChangeRecorderOptions, HALO_CAP_INCREMENTAL_DELIVERY);
  static halo_destination_vtable vt = *static_cast<const halo_destination_vtable *>(full->vtable);
  vt.struct_size = offsetof(halo_destination_vtable, begin_delivery);
  static halo_plugin_descriptor d = *full;
  d.vtable = &vt;
  return &d;
}

// The kernel hands every resolver the pipeline's identifier rules.
const halo_option_decl kResolverOptions[] = {
    kFaultOptions[0],
    kFaultOptions[1],
    halo::option(HALO_OPT_LIST, "identifiers", nullptr, false, "Identifier rules (unused)."),
};

}  // namespace

// Sets the reserved capability bits 2 and 3 as well: plugin.h promises the
// host ignores them, and every test that loads this source relies on it.
constexpr uint32_t kReservedCapabilityBits = (1u << 2) | (1u << 3);

HALO_PLUGIN_LIBRARY(
    halo::describe_source<FaultySource>("faulty-source", "0.0.1", "Misbehaves on demand (tests)",
                                        kOptions, HALO_CAP_CHECKPOINT | kReservedCapabilityBits),
    halo::describe_resolver<FaultyResolver>("faulty-resolver", "0.0.1", "Fails on demand (tests)",
                                            kResolverOptions),
    halo::describe_feature<FaultyFeatures>("faulty-features", "0.0.1", "Fails on demand (tests)",
                                           kFeatureOptions),
    halo::describe_feature<NamedFeatures>("named-features", "0.0.1",
                                          "faulty-features that names its features (tests)",
                                          kNamedFeatureOptions),
    halo::describe_destination<TypedRecorder>("typed-recorder", "0.0.1",
                                              "Records profiles read through typed accessors",
                                              kRecorderOptions),
    halo::describe_destination<ChangeRecorder>("change-recorder", "0.0.1",
                                               "Records the calls of each delivery (tests)",
                                               kChangeRecorderOptions,
                                               HALO_CAP_INCREMENTAL_DELIVERY),
    truncated_recorder())
