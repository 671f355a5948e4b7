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

#include <string>

namespace {

class SequenceSource : public halo::Source {
 public:
  explicit SequenceSource(halo::Host host) : halo::Source(host) {
    count_ = host.opt_int("count").value_or(10);
    prefix_ = host.opt_string_or("prefix", "customer");
    if (count_ < 0) throw halo::ConfigError("count", "count must be >= 0");
  }

  void restore_cursor(std::string_view cursor) override { next_ = std::stoll(std::string(cursor)); }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    sink.origin("sequence:" + prefix_);
    for (uint32_t n = 0; n < max_records && next_ < count_; ++n, ++next_) {
      std::string id = prefix_ + "-" + std::to_string(next_ + 1);
      std::string json = R"({"type":"identify","messageId":")" + id + R"(","userId":")" + id +
                         R"(","traits":{"email":")" + id + R"(@example.test"},)" +
                         R"("timestamp":"2026-01-01T00:00:00Z"})";
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
  std::string prefix_;
  std::string cursor_;
};

const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_INT, "count", "10", false, "How many customers to emit."),
    halo::option(HALO_OPT_STRING, "prefix", "customer", false, "Prefix of user ids and emails."),
};

}  // namespace

HALO_PLUGIN_LIBRARY(halo::describe_source<SequenceSource>(
    "example-sequence", "1.0.0", "Emits synthetic identify events (SDK example)", kOptions))
