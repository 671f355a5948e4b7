// clock.h -- the one source of time in Halo: wall time (UTC milliseconds, for
// timestamps that are stored or shown -- receive times, the default run.as_of,
// dead-letter times, the host's now_ms for plugins, log lines) and a steady
// clock (durations, intervals and deadlines, immune to wall-clock jumps),
// with the waits that go with them. The shape follows LevelDB's `Env`
// (include/leveldb/env.h, NowMicros/SleepForMicroseconds): time is injected,
// never read from the system directly, so a test can run a pipeline at a
// fixed time and fast-forward its waits.
//
// Invariants and threading:
//  - A process has one installed Clock: the real one unless a ScopedClock
//    installed another. Reads (current_clock(), wall_ms(), ...) are
//    thread-safe from any thread; the installed pointer is atomic.
//  - REQUIRES: an installed clock outlives every reader. Install it before
//    the work it times starts, and keep the ScopedClock alive until that
//    work (threads included) has stopped.
//  - ManualClock is thread-safe: its readings and advances are atomics.
//  - Waits for other threads or processes to make progress (the store
//    lock's polling, the HTTP server's drain, the plugin-call watchdog) use
//    real_clock() on purpose: under a fixed test time they would otherwise
//    give up at once or never.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

namespace halo {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC milliseconds since the Unix epoch.
  virtual int64_t wall_ms() const = 0;
  // Seconds on a monotonic clock with an arbitrary origin: only
  // differences mean anything.
  virtual double steady_seconds() const = 0;
  // Waits `d` (nothing for d <= 0). The real clock sleeps; a ManualClock
  // moves forward by `d` and returns at once.
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

// The system's clocks (system_clock, steady_clock, this_thread::sleep_for).
Clock &real_clock();
// The installed clock (real_clock() unless a ScopedClock is alive).
Clock &current_clock();

// Shorthands for current_clock().wall_ms() and .steady_seconds().
int64_t wall_ms();
double steady_seconds();

// Waits `d` on the installed clock in slices of at most 50 ms and returns
// early once `stop()` is true (a signal, a cancelled run); true when the
// whole wait passed.
bool wait_unless(std::chrono::milliseconds d, const std::function<bool()> &stop);

// A clock that moves only when told (advance, set_wall_ms) or when code
// waits on it (sleep_for advances it by the wait). Starts at
// `start_wall_ms` with its steady reading at 0.
class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t start_wall_ms) : wall_ms_(start_wall_ms) {}
  int64_t wall_ms() const override { return wall_ms_.load(); }
  double steady_seconds() const override { return steady_ns_.load() / 1e9; }
  void sleep_for(std::chrono::milliseconds d) override;
  // Moves both readings forward by `d` (negative is ignored: time does not
  // run back on a steady clock).
  void advance(std::chrono::milliseconds d);
  // Sets the wall reading only, as a wall-clock adjustment would.
  void set_wall_ms(int64_t ms) { wall_ms_.store(ms); }

 private:
  std::atomic<int64_t> wall_ms_;
  std::atomic<int64_t> steady_ns_{0};
};

// Installs `clock` for its lifetime and restores the previous one after.
// Scopes nest (destroy them in reverse order, as C++ scopes do).
class ScopedClock {
 public:
  explicit ScopedClock(Clock &clock);
  ~ScopedClock();
  ScopedClock(const ScopedClock &) = delete;
  ScopedClock &operator=(const ScopedClock &) = delete;

 private:
  Clock *previous_;
};

}  // namespace halo
