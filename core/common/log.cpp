// log.cpp -- stderr logger (see log.h).
#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/json_writer.h"
#include "common/secrets.h"

namespace halo {

namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;

const char *level_name(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

bool json_format() {
  static const bool json = [] {
    const char *f = std::getenv("HALO_LOG_FORMAT");
    return f != nullptr && std::string(f) == "json";
  }();
  return json;
}
}  // namespace

void set_log_level(LogLevel level) {
  g_level = static_cast<int>(level);
}
LogLevel log_level() {
  return static_cast<LogLevel>(g_level.load());
}

void log_message(LogLevel level, std::string_view component, std::string_view raw_message) {
  if (static_cast<int>(level) < g_level.load()) return;
  // The one sink of every log line: secret values are masked here, whoever
  // wrote the message (a plugin, a server's error body, libcurl).
  const std::string message = mask_secrets(raw_message);
  char when[32];
  std::time_t now = static_cast<std::time_t>(wall_ms() / 1000);  // the installed clock
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line;
  if (json_format()) {
    JsonWriter w(line);
    w.begin_object();
    w.key("ts").string(when);
    w.key("level").string(level_name(level));
    w.key("component").string(component);
    w.key("msg").string(message);
    w.end_object();
  } else {
    line.append(when).append(" ").append(level_name(level)).append(" ");
    line.append(component).append(": ").append(message);
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace halo
