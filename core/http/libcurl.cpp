// libcurl.cpp -- see libcurl.h.
#include "http/libcurl.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>

namespace halo {
namespace {

Libcurl loaded;
Status load_status = Status::Ok();
std::atomic<bool> usable{false};  // load_libcurl() succeeded

// Resolves `name` in `lib` into `fn`; false (and `missing` = name) when
// the library lacks it.
template <typename Fn>
bool resolve(void *lib, const char *name, Fn &fn, std::string &missing) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (fn == nullptr && missing.empty()) missing = name;
  return fn != nullptr;
}

}  // namespace

Status load_libcurl_from(const char *soname, Libcurl &out) {
  // RTLD_LOCAL: its symbols serve only this table. A libcurl is never
  // closed: handles and its own threads (the resolver) may outlive any
  // owner here.
  void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char *why = dlerror();
    return Status::NotFound(std::string("cannot load libcurl (") + (why ? why : soname) +
                            "); install libcurl 7.x or 8.x (Debian: apt-get install libcurl4)");
  }
  std::string missing;
  bool all = resolve(lib, "curl_global_init", out.global_init, missing);
  all &= resolve(lib, "curl_easy_init", out.easy_init, missing);
  all &= resolve(lib, "curl_easy_setopt", out.easy_setopt, missing);
  all &= resolve(lib, "curl_easy_perform", out.easy_perform, missing);
  all &= resolve(lib, "curl_easy_getinfo", out.easy_getinfo, missing);
  all &= resolve(lib, "curl_easy_reset", out.easy_reset, missing);
  all &= resolve(lib, "curl_easy_cleanup", out.easy_cleanup, missing);
  all &= resolve(lib, "curl_easy_strerror", out.easy_strerror, missing);
  all &= resolve(lib, "curl_slist_append", out.slist_append, missing);
  all &= resolve(lib, "curl_slist_free_all", out.slist_free_all, missing);
  if (!all) {
    dlclose(lib);  // not libcurl: nothing of it is kept
    return Status::Invalid(std::string(soname) + " is not a usable libcurl: it has no " + missing);
  }
  return Status::Ok();
}

Status load_libcurl() {
  static std::once_flag once;
  std::call_once(once, [] {
    load_status = load_libcurl_from(kLibcurlSoname, loaded);
    if (load_status.ok() && loaded.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      load_status = Status::Internal(std::string(kLibcurlSoname) + ": curl_global_init failed");
    }
    usable = load_status.ok();
  });
  return load_status;
}

const Libcurl &libcurl() {
  if (!usable.load(std::memory_order_acquire)) std::abort();  // see the invariants in libcurl.h
  return loaded;
}

}  // namespace halo
