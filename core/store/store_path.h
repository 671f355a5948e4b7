// store_path.h -- a read-only check that `halo run` could create and open the
// store file at a path, for `halo validate` and for the run itself (before
// anything is written).
//
// Invariant: check_store_path() never creates, opens for writing or changes
// anything; it only stat()s the path and its ancestors and asks access(2).
// The run creates missing parent directories, so a missing ancestor is fine
// as long as the nearest existing one is a writable directory. Errors are
// kInvalidArgument (the path in the config is wrong) and name the path.
#pragma once

#include <string>

#include "common/status.h"

namespace halo {

Status check_store_path(const std::string &path);

}  // namespace halo
