// pipeline_file.h -- reading a pipeline file from disk without ever
// blocking or reading without end.
//
// Invariants: only a regular file is read (a FIFO, a device such as
// /dev/zero, a socket or a directory is refused with a message naming what
// it is); the check is made on the opened descriptor (fstat), so the file
// cannot be swapped between the check and the read; opening never waits
// for a FIFO writer (O_NONBLOCK); at most kMaxYamlBytes are read, and a
// larger file is refused, not truncated.
#pragma once

#include <string>

#include "common/status.h"

namespace halo {

// The whole text of the pipeline file at `path`. Errors name `path` as
// given: Io when it cannot be opened or read, Invalid when it is not a
// regular file or is larger than the limit.
Result<std::string> read_pipeline_file(const std::string &path);

}  // namespace halo
