// log_options.cpp -- see log_options.h.
#include "cli/log_options.h"

#include <iostream>

#include "cli/cli.h"
#include "common/log.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

bool parse_level(const std::string &text, LogLevel &out) {
  static const std::pair<const char *, LogLevel> kLevels[] = {{"debug", LogLevel::kDebug},
                                                              {"info", LogLevel::kInfo},
                                                              {"warn", LogLevel::kWarn},
                                                              {"error", LogLevel::kError}};
  for (const auto &[name, level] : kLevels) {
    if (text == name) {
      out = level;
      return true;
    }
  }
  return false;
}

}  // namespace

void add_log_options(po::options_description &desc, LogOptions &o) {
  desc.add_options()("verbose,v", po::bool_switch(&o.verbose),
                     "log debug messages too (kernel and plugins); same as --log-level debug")(
      "log-level", po::value(&o.level)->value_name("LEVEL"),
      "least severe log messages shown on stderr: debug, info (default), warn, error");
}

int apply_log_options(const char *cmd, const LogOptions &o) {
  LogLevel level = LogLevel::kInfo;
  if (!o.level.empty() && !parse_level(o.level, level)) {
    std::cerr << "halo " << cmd << ": --log-level must be debug, info, warn or error, not '"
              << o.level << "'\n";
    return kUsage;
  }
  if (o.verbose && !o.level.empty() && level != LogLevel::kDebug) {
    std::cerr << "halo " << cmd << ": -v means --log-level debug; it contradicts --log-level "
              << o.level << "\n";
    return kUsage;
  }
  set_log_level(o.verbose ? LogLevel::kDebug : level);
  return -1;
}

}  // namespace halo::cli
