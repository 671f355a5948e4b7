// plugin_call.cpp -- the per-thread call registry behind plugin_call.h, the
// crash handler and the watchdog.
//
// Invariant: a slot's `what` is written only while its started_ms is 0 or by
// its own thread, and started_ms is stored after `what` (release), so a
// reader that sees started_ms != 0 (acquire) reads a complete string. The
// watchdog reads a slot as a seqlock (started_ms before and after the copy,
// a changed one discards it), so `what` is read while it may be rewritten:
// its characters are relaxed atomics, which makes that a torn copy to
// discard, never a data race.
#include "plugin_host/plugin_call.h"

#include "common/clock.h"

#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string_view>

namespace halo {

namespace {

constexpr int kMaxThreads = 128;
constexpr size_t kWhatSize = 240;

struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<int64_t> started_ms{0};  // 0: not in a call
  std::atomic<char> what[kWhatSize] = {};
};

static_assert(std::atomic<char>::is_always_lock_free, "the crash handler reads `what`");
Slot g_slots[kMaxThreads];
thread_local int t_slot = -1;  // initial-exec TLS in the binary: signal-safe

// Real time on purpose (clock.h): a plugin hangs in real seconds, whatever
// clock a test installed.
int64_t steady_ms() {
  return static_cast<int64_t>(real_clock().steady_seconds() * 1000.0);
}

// Gives the thread an alternate signal stack so the crash handler still runs
// after a stack overflow, unless it has one already (AddressSanitizer
// installs its own). Returns the memory to free, or nullptr.
void *add_alternate_stack() {
  static const size_t kSize = 64 * 1024;
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return nullptr;
  stack_t ss{};
  ss.ss_sp = std::malloc(kSize);
  if (ss.ss_sp == nullptr) return nullptr;
  ss.ss_size = kSize;
  if (sigaltstack(&ss, nullptr) == 0) return ss.ss_sp;
  std::free(ss.ss_sp);
  return nullptr;
}

// Gives the slot and the alternate stack back when the thread ends.
struct ThreadSlotOwner {
  int slot = -1;
  void *stack = nullptr;
  ~ThreadSlotOwner() {
    if (stack != nullptr) {
      stack_t off{};
      off.ss_flags = SS_DISABLE;
      sigaltstack(&off, nullptr);
      std::free(stack);
    }
    if (slot >= 0) {
      t_slot = -1;
      g_slots[slot].started_ms.store(0);
      g_slots[slot].taken.store(false);
    }
  }
};
thread_local ThreadSlotOwner t_owner;

int my_slot() {
  if (t_slot >= 0) return t_slot;
  for (int i = 0; i < kMaxThreads; ++i) {
    bool expected = false;
    if (g_slots[i].taken.compare_exchange_strong(expected, true)) {
      t_slot = i;
      t_owner.slot = i;
      t_owner.stack = add_alternate_stack();
      return i;
    }
  }
  return -1;
}

// The parts one after another into the slot's `what`, cut to fit and
// terminated.
void copy_what(Slot &s, std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view part : parts) {
    for (size_t i = 0; i < part.size() && n < kWhatSize - 1; ++i, ++n) {
      s.what[n].store(part[i], std::memory_order_relaxed);
    }
  }
  s.what[n].store('\0', std::memory_order_relaxed);
}

// The slot's `what` into `out`, always terminated. Async-signal-safe (the
// atomics are lock-free).
void read_what(const Slot &s, char (&out)[kWhatSize]) {
  for (size_t i = 0; i < kWhatSize; ++i) out[i] = s.what[i].load(std::memory_order_relaxed);
  out[kWhatSize - 1] = '\0';
}

const char *signal_name(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
  }
  return "a fatal signal";
}

void write_str(const char *s) {
  ssize_t ignored = write(STDERR_FILENO, s, std::strlen(s));
  (void)ignored;
}

void on_crash(int sig) {
  write_str("\nhalo: crashed (");
  write_str(signal_name(sig));
  int slot = t_slot;
  if (slot >= 0 && g_slots[slot].started_ms.load(std::memory_order_acquire) != 0) {
    char what[kWhatSize];
    read_what(g_slots[slot], what);
    write_str(") in ");
    write_str(what);
    write_str(
        "; the plugin is at fault: report it to its vendor with this line."
        " Work committed so far is kept.\n");
  } else {
    write_str(
        ") outside any plugin call; please report it with this line."
        " Work committed so far is kept.\n");
  }
  // Where it happened, as object+offset pairs (addr2line -e OBJECT OFFSET
  // names the line): what a report needs when the crash is not
  // reproducible.
  void *frames[64];
  const int n = backtrace(frames, 64);
  write_str("halo: backtrace:\n");
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

PluginCallScope::PluginCallScope(std::string_view what) : PluginCallScope(what, {}) {}

PluginCallScope::PluginCallScope(std::string_view label, std::string_view operation)
    : slot_(my_slot()), outer_started_ms_(0) {
  if (slot_ < 0) return;
  Slot &s = g_slots[slot_];
  outer_started_ms_ = s.started_ms.load(std::memory_order_relaxed);
  if (outer_started_ms_ != 0) {
    char outer[kWhatSize];
    read_what(s, outer);
    outer_what_ = outer;
  }
  s.started_ms.store(0, std::memory_order_relaxed);
  if (operation.empty()) {
    copy_what(s, {label});
  } else {
    copy_what(s, {label, ": ", operation});
  }
  s.started_ms.store(steady_ms(), std::memory_order_release);
}

PluginCallScope::~PluginCallScope() {
  if (slot_ < 0) return;
  Slot &s = g_slots[slot_];
  s.started_ms.store(0, std::memory_order_relaxed);
  if (outer_started_ms_ == 0) return;
  copy_what(s, {outer_what_});
  s.started_ms.store(outer_started_ms_, std::memory_order_release);
}

void install_crash_handler() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  (void)my_slot();  // the main thread gets its alternate stack now
  // backtrace() loads its unwinder on first use, which a signal handler
  // must not do: use it once now.
  void *frame = nullptr;
  (void)backtrace(&frame, 1);
  struct sigaction sa {};
  sa.sa_handler = on_crash;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &sa, nullptr);
}

CallWatchdog::CallWatchdog(int64_t deadline_ms, const std::atomic<bool> *cancel, int64_t grace_ms)
    : deadline_ms_(deadline_ms),
      grace_ms_(grace_ms),
      cancel_(cancel),
      thread_([this] { loop(); }) {}

CallWatchdog::~CallWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void CallWatchdog::loop() {
  int64_t cancelled_at = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) return;
    }
    const int64_t now = steady_ms();
    if (cancelled_at == 0 && cancel_ != nullptr && cancel_->load()) cancelled_at = now;
    for (Slot &s : g_slots) {
      const int64_t started = s.started_ms.load(std::memory_order_acquire);
      if (started == 0) continue;
      char what[kWhatSize];
      read_what(s, what);
      if (s.started_ms.load(std::memory_order_acquire) != started) continue;  // changed meanwhile
      if (cancelled_at != 0 && now - cancelled_at > grace_ms_) {
        std::fprintf(stderr,
                     "\nhalo: interrupted, but %s has not returned after %lld ms; exiting without "
                     "it (work committed so far is kept)\n",
                     what, static_cast<long long>(now - cancelled_at));
        std::fflush(stderr);
        _exit(130);
      }
      if (deadline_ms_ > 0 && now - started > deadline_ms_) {
        std::fprintf(stderr,
                     "\nhalo: %s has run for %lld ms, longer than run.plugin_timeout_ms = %lld; "
                     "stopping the run (work committed so far is kept). Raise the limit if the "
                     "plugin is slow but working, or report it to its vendor.\n",
                     what, static_cast<long long>(now - started),
                     static_cast<long long>(deadline_ms_));
        std::fflush(stderr);
        _exit(1);
      }
    }
  }
}

}  // namespace halo
