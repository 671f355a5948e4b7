// kept_connections.cpp -- see kept_connections.h.
#include "http/kept_connections.h"

#include <chrono>
#include <deque>
#include <mutex>
#include <utility>

#include "http/url_parts.h"

namespace halo {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Servers close idle connections after seconds to a minute (nginx's default
// keepalive_timeout is 75 s); a handle idle longer is closed rather than
// kept holding a socket the server has given up on.
constexpr auto kMaxIdle = std::chrono::seconds(60);

struct KeptHandle {
  std::string key;
  EasyHandle handle;
  SteadyClock::time_point since;
};

// Most recently returned at the front: a key's freshest connection is found
// first, and the one idle longest is at the back.
struct Pool {
  std::mutex mutex;
  std::deque<KeptHandle> idle;

  // Moves the handles idle too long (or beyond the count) into `closing`.
  void prune(SteadyClock::time_point now, std::deque<KeptHandle> &closing) {
    while (!idle.empty() && (idle.size() > kMaxKeptHandles || now - idle.back().since > kMaxIdle)) {
      closing.push_back(std::move(idle.back()));
      idle.pop_back();
    }
  }
};

// Never destroyed: at exit another thread may still be taking or returning
// a handle, and the sockets close with the process anyway.
Pool &pool() {
  static Pool *p = new Pool;
  return *p;
}

}  // namespace

std::string kept_connection_key(const HttpCall &call) {
  std::string key = url_origin(call.url);
  key += call.insecure ? "\ninsecure\n" : "\nverified\n";
  key += call.ca_file;
  return key;
}

EasyHandle take_kept_handle(const std::string &key) {
  std::deque<KeptHandle> closing;  // closed outside the lock
  {
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    p.prune(SteadyClock::now(), closing);
    for (auto it = p.idle.begin(); it != p.idle.end(); ++it) {
      if (it->key != key) continue;
      EasyHandle handle = std::move(it->handle);
      p.idle.erase(it);
      return handle;
    }
  }
  return EasyHandle(libcurl().easy_init());
}

void keep_handle(const std::string &key, EasyHandle handle) {
  if (!handle) return;
  libcurl().easy_reset(handle.get());
  std::deque<KeptHandle> closing;  // closed outside the lock
  Pool &p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  const SteadyClock::time_point now = SteadyClock::now();
  p.idle.push_front({key, std::move(handle), now});
  p.prune(now, closing);
}

size_t kept_handle_count() {
  Pool &p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.idle.size();
}

}  // namespace halo
