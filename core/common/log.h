// log.h -- the kernel's logger: one line per message on stderr.
//
// Thread-safe (a mutex serializes lines). Format is human-readable
// ("2026-11-23T18:00:00Z WARN  source:web  message") or, with
// HALO_LOG_FORMAT=json, one JSON object per line for log shippers. Every
// message passes through the secret registry (secrets.h) first, so a secret
// value known to the run is printed as "***" whoever wrote the message.
#pragma once

#include <string>
#include <string_view>

namespace halo {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_log_level(LogLevel level);
LogLevel log_level();
void log_message(LogLevel level, std::string_view component, std::string_view message);

inline void log_info(std::string_view c, std::string_view m) {
  log_message(LogLevel::kInfo, c, m);
}
inline void log_warn(std::string_view c, std::string_view m) {
  log_message(LogLevel::kWarn, c, m);
}
inline void log_error(std::string_view c, std::string_view m) {
  log_message(LogLevel::kError, c, m);
}

}  // namespace halo
