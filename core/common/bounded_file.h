// bounded_file.h -- reading a small file named by a user (a pipeline file, a
// CA bundle) without ever blocking or reading without end.
//
// Invariants: only a regular file is read (a FIFO, a device such as
// /dev/zero, a socket or a directory is refused, and `kind` names what it
// is); the check is made on the opened descriptor (fstat), so the file
// cannot be swapped between the check and the read; opening never waits for
// a FIFO writer (O_NONBLOCK); at most `max_bytes` are read, and a larger
// file is refused, not truncated. Callers word the messages.
#pragma once

#include <cstddef>
#include <string>

namespace halo {

struct BoundedFile {
  enum Outcome { kOk, kCannotRead, kNotRegular, kTooLarge };
  Outcome outcome = kOk;
  std::string text;          // the whole file when kOk
  const char *kind = "";     // kNotRegular: "a FIFO (named pipe)", "a directory", ...
  std::string system_error;  // kCannotRead: strerror(errno)
};

BoundedFile read_bounded_file(const std::string &path, size_t max_bytes);

}  // namespace halo
