// store_lock.h -- the exclusive writer lock of a store: at most one process
// (one `halo run` or `halo rebuild`) writes a store at a time.
//
// Why: the pipeline keeps the profile id counter and the last log sequence
// in memory between transactions. SQLite serializes the transactions of two
// writers (BEGIN IMMEDIATE), but not their in-memory state: a second writer
// would append log sequences the first already used, or store a counter
// below ids the first handed out, and new people would silently merge into
// existing profiles. So a writer owns the store for its whole life.
//
// How: an advisory flock(2) lock (LOCK_EX | LOCK_NB, never waits) on the
// lock file `<store>.lock` next to the store file (symlinks in the path
// resolved, so two spellings of one store share one lock file). The file is
// created with mode 0600 and holds the holder's pid as decimal text, for the
// message the next writer prints and for operators. Only the kernel lock
// counts: the kernel drops it when the holder's last descriptor closes,
// including when the process is killed (SIGKILL, crash), so a lock is never
// stale. The file itself is never deleted (deleting it would let a third
// process lock a fresh file while the second still holds the old one); the
// holder empties it when it releases the lock cleanly.
//
// flock locks belong to the open file description: a second acquire() in the
// same process is refused as well. The descriptor is close-on-exec, so
// programs a plugin starts do not inherit the lock. Put stores on a local
// file system (WAL needs one too): flock over NFS is emulated or absent.
//
// Readers never take this lock (see store.h, StoreOpenOptions::read_only).
#pragma once

#include <string>

#include "common/status.h"

namespace halo {

class StoreLock {
 public:
  // Takes the lock of the store at `store_path` without waiting. Busy when
  // another process (or another Store in this one) holds it; the message
  // names the holder's pid. Io when the lock file cannot be created.
  static Result<StoreLock> acquire(const std::string &store_path);
  // The lock file of the store at `store_path`.
  static std::string lock_path(const std::string &store_path);

  StoreLock(StoreLock &&other) noexcept;
  StoreLock &operator=(StoreLock &&other) noexcept;
  StoreLock(const StoreLock &) = delete;
  StoreLock &operator=(const StoreLock &) = delete;
  ~StoreLock();  // empties the file and releases the lock

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  void release();
  int fd_ = -1;
};

}  // namespace halo
