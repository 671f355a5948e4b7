// paced_source_plugin.cpp -- a test-only source whose pacing and failures
// are set by options, to prove the next_batch contract of plugin.h through
// the real kernel: empty batches ("nothing now"), records kept across
// HALO_RETRY / HALO_ERROR, slow sources beside fast ones, and polling after
// end of data.
//
// The source emits `rounds` rounds of `batches` batches of `per_batch`
// identify records with messageIds PREFIX-1, PREFIX-2, ...; its cursor is
// the number of records emitted ("12"), so a resumed run continues after
// the last committed record. Before each batch it returns `empty_calls`
// empty batches. After a round it reports end of data; called again it
// starts the next round (new data appeared), or reports end of data again
// when every round was emitted. Call numbers count every next_batch call.
#include <halo/sdk.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

class PacedSource : public halo::Source {
 public:
  explicit PacedSource(halo::Host host) : halo::Source(host) {
    prefix_ = std::string(host.opt_string("prefix").value_or("p"));
    batches_ = host.opt_int("batches").value_or(3);
    per_batch_ = host.opt_int("per_batch").value_or(5);
    rounds_ = host.opt_int("rounds").value_or(1);
    empty_calls_ = host.opt_int("empty_calls").value_or(0);
    delay_ms_ = host.opt_int("delay_ms").value_or(0);
    retry_call_ = host.opt_int("retry_call").value_or(0);
    error_call_ = host.opt_int("error_call").value_or(0);
    fatal_call_ = host.opt_int("fatal_call").value_or(0);
    fail_from_call_ = host.opt_int("fail_from_call").value_or(0);
  }

  void restore_cursor(std::string_view cursor) override {
    emitted_ = std::stoll(std::string(cursor));
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    ++calls_;
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    if (fail_from_call_ > 0 && calls_ >= fail_from_call_)
      throw halo::Error("paced: failing from call " + std::to_string(fail_from_call_), HALO_ERROR);
    const int64_t round = batches_ * per_batch_, total = round * rounds_;
    const bool at_boundary = emitted_ > 0 && emitted_ % round == 0;
    if (emitted_ >= total || (at_boundary && told_end_at_ != emitted_)) {
      told_end_at_ = emitted_;  // the call after this starts the next round
      sink.end_of_data();
      return;
    }
    if (empties_ < empty_calls_) {
      ++empties_;
      return;  // nothing now
    }
    empties_ = 0;
    const int64_t next_boundary = (emitted_ / round + 1) * round;
    const int64_t n = std::min<int64_t>({per_batch_, next_boundary - emitted_, max_records});
    for (int64_t i = 0; i < n; ++i) {
      std::string id = prefix_ + "-" + std::to_string(++emitted_);
      sink.record(R"({"type":"identify","messageId":")" + id + R"(","userId":")" + id + "\"}",
                  static_cast<uint64_t>(emitted_));
    }
    if (calls_ == retry_call_) throw halo::Error("paced: asked to retry", HALO_RETRY);
    if (calls_ == error_call_) throw halo::Error("paced: failed after records", HALO_ERROR);
    if (calls_ == fatal_call_) throw halo::Error("paced: fatal after records", HALO_FATAL);
  }

  std::string_view cursor() override {
    cursor_ = std::to_string(emitted_);
    return cursor_;
  }

  void committed() override { host().metric("paced.committed", 1); }

 private:
  std::string prefix_, cursor_;
  int64_t batches_, per_batch_, rounds_, empty_calls_, delay_ms_, retry_call_, error_call_,
      fatal_call_, fail_from_call_;
  int64_t emitted_ = 0, calls_ = 0, empties_ = 0, told_end_at_ = -1;
};

const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "prefix", "p", false, "messageId/userId prefix."),
    halo::option(HALO_OPT_INT, "batches", "3", false, "Batches per round."),
    halo::option(HALO_OPT_INT, "per_batch", "5", false, "Records per batch."),
    halo::option(HALO_OPT_INT, "rounds", "1", false, "Rounds (end of data after each)."),
    halo::option(HALO_OPT_INT, "empty_calls", "0", false, "Empty batches before each batch."),
    halo::option(HALO_OPT_INT, "delay_ms", "0", false, "Sleep in every call (a slow source)."),
    halo::option(HALO_OPT_INT, "retry_call", "0", false, "Call that adds records then RETRY."),
    halo::option(HALO_OPT_INT, "error_call", "0", false, "Call that adds records then ERROR."),
    halo::option(HALO_OPT_INT, "fatal_call", "0", false, "Call that adds records then FATAL."),
    halo::option(HALO_OPT_INT, "fail_from_call", "0", false,
                 "First of the calls that all fail (ERROR) without records."),
};

}  // namespace

HALO_PLUGIN_LIBRARY(halo::describe_source<PacedSource>("paced-source", "0.0.1",
                                                       "Pacing and failures on demand (tests)",
                                                       kOptions, HALO_CAP_CHECKPOINT));
