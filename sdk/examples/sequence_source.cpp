// sequence_source.cpp -- example source plugin: emits `count` identify
// events for synthetic customers ("<prefix>-1@example.test", ...), resuming
// from its cursor. It shows the whole shape of a plugin: a class derived
// from halo::Source, a declared option table, and one HALO_PLUGIN_LIBRARY
// line -- built out of tree with only the installed SDK.
#include <halo/plugin.h>
// Test hooks: pretend to be built against another ABI version (must come
// before sdk.hpp, which stamps the version into the descriptor).
#ifdef HALO_EXAMPLE_ABI_MAJOR
#undef HALO_ABI_MAJOR
#define HALO_ABI_MAJOR HALO_EXAMPLE_ABI_MAJOR
#endif
#ifdef HALO_EXAMPLE_ABI_MINOR
#undef HALO_ABI_MINOR
#define HALO_ABI_MINOR HALO_EXAMPLE_ABI_MINOR
#endif
#include <halo/sdk.hpp>

#include <cstdio>
#include <ctime>
#include <string>

namespace {

// "2026-01-01T00:00:00Z" plus `ms` (UTC, RFC 3339 with milliseconds).
std::string timestamp_after_2026(int64_t ms) {
  const int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z
  std::time_t seconds = static_cast<std::time_t>(kStart + ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

class SequenceSource : public halo::Source {
 public:
  // Every option has its default (and range) in kOptions only: the typed
  // getters read the declared default when the key is absent, and the
  // kernel already refused values outside the declared bounds.
  explicit SequenceSource(halo::Host host) : halo::Source(host) {
    count_ = host.int_option("count");
    prefix_ = host.string_option("prefix");
    track_ = host.string_option("type") == "track";
    step_ms_ = host.duration_option("step").count();
  }

  void restore_cursor(std::string_view cursor) override { next_ = std::stoll(std::string(cursor)); }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    sink.origin("sequence:" + prefix_);
    for (uint32_t n = 0; n < max_records && next_ < count_; ++n, ++next_) {
      std::string id = prefix_ + "-" + std::to_string(next_ + 1);
      std::string head = track_ ? R"({"type":"track","event":"Signed Up",)"
                                : std::string(R"({"type":"identify",)");
      std::string json = head + R"("messageId":")" + id + R"(","userId":")" + id +
                         R"(","traits":{"email":")" + id + R"(@example.test"},)" +
                         R"("timestamp":")" + timestamp_after_2026(next_ * step_ms_) + "\"}";
      sink.record(json, static_cast<uint64_t>(next_ + 1));
    }
    if (next_ >= count_) sink.end_of_data();
  }

  std::string_view cursor() override {
    cursor_ = std::to_string(next_);
    return cursor_;
  }

 private:
  int64_t count_ = 0;
  int64_t next_ = 0;
  int64_t step_ms_ = 0;
  bool track_ = false;
  std::string prefix_;
  std::string cursor_;
};

const char *const kTypes[] = {"identify", "track"};

// One row per option: type, name, default, required, description, and
// (ABI 1.2) bounds or allowed values, checked by the kernel and shown by
// `halo plugins --describe example-sequence`.
const halo_option_decl kOptions[] = {
    halo::within(halo::option(HALO_OPT_INT, "count", "10", false, "How many customers to emit."),
                 "0", "1000000"),
    halo::option(HALO_OPT_STRING, "prefix", "customer", false, "Prefix of user ids and emails."),
    halo::one_of(halo::option(HALO_OPT_STRING, "type", "identify", false,
                              "Event type: identify, or track (event \"Signed Up\")."),
                 kTypes),
    halo::within(halo::option(HALO_OPT_DURATION, "step", "1s", false,
                              "Time between two events' timestamps, from 2026-01-01T00:00:00Z."),
                 "0", "1d"),
};

}  // namespace

HALO_PLUGIN_LIBRARY(halo::describe_source<SequenceSource>(
    "example-sequence", "1.0.0", "Emits synthetic identify events (SDK example)", kOptions))
