// cli.h -- the `halo` command-line tool: one function per subcommand.
//
// Exit codes (documented in docs/cli.md and `halo --help`):
//   0  success
//   1  the run failed (plugin error, store error, I/O)
//   2  usage or configuration error (bad flags, bad pipeline file)
//   3  not found (e.g. `halo profile get` for an unknown identifier)
//   4  store busy: another process (`halo run`, `halo rebuild`) holds the
//      store's writer lock; nothing was changed (docs/architecture.md)
//   130 interrupted (SIGINT/SIGTERM); committed work is kept
#pragma once

#include <string>
#include <vector>

namespace halo::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kNotFound = 3, kBusy = 4, kInterrupted = 130 };

using Args = std::vector<std::string>;

int cmd_run(const Args &args);
int cmd_rebuild(const Args &args);
int cmd_validate(const Args &args);
int cmd_plugins(const Args &args);
int cmd_profile(const Args &args);
int cmd_deadletters(const Args &args);
int cmd_store(const Args &args);

// Prints "halo: <message>" on stderr and returns `code`.
int fail(int code, const std::string &message);

}  // namespace halo::cli
