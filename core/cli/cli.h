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

#include <atomic>
#include <string>
#include <vector>

#include "common/status.h"

namespace halo::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kNotFound = 3, kBusy = 4, kInterrupted = 130 };

using Args = std::vector<std::string>;

// Rows a listing command reads from the store at a time.
inline constexpr size_t kScanPage = 1'000;

int cmd_run(const Args &args);
int cmd_rebuild(const Args &args);
int cmd_serve(const Args &args);
int cmd_validate(const Args &args);
int cmd_plugins(const Args &args);
int cmd_profile(const Args &args);
int cmd_deadletters(const Args &args);
int cmd_store(const Args &args);
int cmd_identity(const Args &args);
// `halo model show` (cmd_model.cpp), `halo model fit` (cmd_run.cpp).
int cmd_model(const Args &args);
int cmd_model_fit(const Args &args);
// `halo segment preview` (cmd_segment.cpp).
int cmd_segment(const Args &args);
// `halo segment list|show|export` (cmd_segment_stored.cpp).
int cmd_segment_stored(const std::string &action, const Args &args);
// `halo messages list` (cmd_messages.cpp).
int cmd_messages(const Args &args);

// `halo consent set|show|list` (cmd_consent.cpp).
int cmd_consent(const Args &args);
// `halo deliveries stats` (cmd_deliveries.cpp).
int cmd_deliveries(const Args &args);
// `halo identity explain` and `halo identity merges` (cmd_identity_graph.cpp).
int cmd_identity_graph(const std::string &action, const Args &args);
// `halo identity unmerge` (cmd_identity_unmerge.cpp).
int cmd_identity_unmerge(const Args &args);
// `halo identity review` (cmd_identity_review.cpp).
int cmd_identity_review(const Args &args);
int cmd_deadletters_replay(const Args &args);  // `halo deadletters replay ...`

// For commands that stop at the next batch boundary on the first
// SIGINT/SIGTERM and exit at once on the second (cmd_run.cpp): installs
// that handler and returns the flag the first signal sets.
const std::atomic<bool> *install_stop_signals();

// Prints "halo: <message>" on stderr and returns `code`.
int fail(int code, const std::string &message);

// Exit code for a failed pipeline operation (open, run, rebuild, replay):
// 2 for a configuration error (kInvalidArgument, kNotFound), 4 when another
// process holds the store's writer lock (kBusy), else 1.
int exit_code_of(const Status &s);
// fail(exit_code_of(s), s.message()).
int fail(const Status &s);

}  // namespace halo::cli
