// log_options.h -- the `-v/--verbose` and `--log-level LEVEL` options that
// `halo run`, `rebuild`, `validate` and `deadletters replay` share.
//
// The level applies to every log line on stderr, the kernel's and the
// plugins' (host_api's log function goes through the same logger,
// common/log.h). Default: info. `-v` is `--log-level debug`; giving both
// with different levels is a usage error, never a silent choice.
#pragma once

#include <boost/program_options.hpp>
#include <string>

namespace halo::cli {

struct LogOptions {
  bool verbose = false;
  std::string level;  // "" = not given
};

void add_log_options(boost::program_options::options_description &desc, LogOptions &o);

// Sets the process's log level from `o`. Returns -1 on success, else the
// usage exit code after printing "halo CMD: ..." on stderr.
int apply_log_options(const char *cmd, const LogOptions &o);

}  // namespace halo::cli
