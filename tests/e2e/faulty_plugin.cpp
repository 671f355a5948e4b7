// faulty_plugin.cpp -- a test-only plugin library that misbehaves on demand,
// to prove the kernel survives plugins that return errors or throw.
#include <halo/sdk.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Emits `batches` batches of 10 identify events; on batch `fail_batch` it
// throws (ERROR), on `fatal_batch` it returns FATAL, on `hang_batch` it never
// returns (a stuck plugin that ignores cancellation).
class FaultySource : public halo::Source {
 public:
  explicit FaultySource(halo::Host host) : halo::Source(host) {
    batches_ = host.opt_int("batches").value_or(4);
    fail_ = host.opt_int("fail_batch").value_or(0);
    fatal_ = host.opt_int("fatal_batch").value_or(0);
    hang_ = host.opt_int("hang_batch").value_or(0);
    if (host.opt_bool("bad_option").value_or(false)) {
      throw halo::ConfigError("bad_option",
                              "bad_option is set: refusing to start (fix: remove it)");
    }
  }
  void next_batch(const halo::Sink &sink, uint32_t) override {
    ++batch_;
    if (batch_ == fail_)
      throw std::runtime_error("simulated failure in batch " + std::to_string(batch_));
    if (batch_ == fatal_) throw halo::Error("simulated fatal failure", HALO_FATAL);
    while (batch_ == hang_) std::this_thread::sleep_for(std::chrono::milliseconds(100));
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
  int64_t batches_, fail_, fatal_, hang_, batch_ = 0;
  std::string cursor_;
};

const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_INT, "batches", "4", false, "Batches to emit."),
    halo::option(HALO_OPT_INT, "fail_batch", "0", false, "Batch that throws (ERROR)."),
    halo::option(HALO_OPT_INT, "fatal_batch", "0", false, "Batch that returns FATAL."),
    halo::option(HALO_OPT_INT, "hang_batch", "0", false, "Batch that never returns."),
    halo::option(HALO_OPT_BOOL, "bad_option", "false", false, "Fail in the constructor."),
};

}  // namespace

HALO_PLUGIN_LIBRARY(halo::describe_source<FaultySource>("faulty-source", "0.0.1",
                                                        "Misbehaves on demand (tests)", kOptions))
