// plugin_call.h -- which plugin call each thread is in, so that a plugin
// that crashes or hangs is named instead of leaving an empty stderr.
//
//  - PluginCallScope marks one call into a plugin (or the loading of a
//    library, whose constructors run plugin code) on the current thread.
//  - install_crash_handler() makes SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGABRT print
//    "halo: crashed (SIGSEGV) in source 'web' (file-jsonl): next_batch" on
//    stderr before the process dies with that signal (exit status 128+N).
//    The handler runs on an alternate stack, so stack overflows are named
//    too, and uses only async-signal-safe calls.
//  - CallWatchdog ends the process when a call outlives its deadline (exit
//    1) or when the run was asked to stop and a plugin call does not return
//    within a grace period (exit 130). Committed work is kept either way:
//    the store commits atomically, an unfinished transaction rolls back.
//
// Thread-safety: scopes are per thread and lock-free; at most kMaxThreads
// threads can hold a scope at once (further threads run unwatched).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace halo {

class PluginCallScope {
 public:
  // `what` is copied (truncated to a fixed buffer), e.g.
  // "plugin library /x.so: loading".
  explicit PluginCallScope(std::string_view what);
  // "<label>: <operation>", e.g. "source 'web' (file-jsonl): next_batch",
  // copied without building the string: feature builders are entered once
  // per profile they emit.
  PluginCallScope(std::string_view label, std::string_view operation);
  ~PluginCallScope();
  PluginCallScope(const PluginCallScope &) = delete;
  PluginCallScope &operator=(const PluginCallScope &) = delete;

 private:
  int slot_;
  int64_t outer_started_ms_;  // a scope nested in another restores it
  std::string outer_what_;
};

// Idempotent; call once early in main().
void install_crash_handler();

class CallWatchdog {
 public:
  // Checks every 100 ms until destroyed.
  CallWatchdog(int64_t deadline_ms, const std::atomic<bool> *cancel, int64_t grace_ms = 5000);
  // Wakes the checking thread at once: a run's exit never waits for a tick.
  ~CallWatchdog();
  CallWatchdog(const CallWatchdog &) = delete;
  CallWatchdog &operator=(const CallWatchdog &) = delete;

 private:
  void loop();
  int64_t deadline_ms_, grace_ms_;
  const std::atomic<bool> *cancel_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace halo
