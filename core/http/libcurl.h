// libcurl.h -- libcurl, loaded the first time a transfer needs it.
//
// libcurl and the libraries it pulls in (TLS, Kerberos, LDAP, SSH, IDN,
// brotli: 27 of the 44 a linked `halo` loaded) took 9-10 ms of every
// process start in the dynamic loader, and `halo run` starts twice
// (heap_tuning.h), while most pipelines make no HTTP, SMTP or mailbox call
// at all. So the kernel does not link libcurl: the first call loads it
// (dlopen of its ABI-stable soname, libcurl.so.4, the name every libcurl
// 7.x and 8.x installs), once per process and thread-safely, and keeps it
// until exit. Its functions are called through this table.
//
// Invariants: load_libcurl() returns the same result every time; after it
// succeeded, libcurl() holds every function below (never null) and
// curl_global_init has been called once. libcurl() before a successful
// load_libcurl() is a programming error (it aborts).
#pragma once

#include <curl/curl.h>

#include <memory>

#include "common/status.h"

namespace halo {

struct Libcurl {
  CURLcode (*global_init)(long);
  CURL *(*easy_init)();
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_perform)(CURL *);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  void (*easy_reset)(CURL *);
  void (*easy_cleanup)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  curl_slist *(*slist_append)(curl_slist *, const char *);
  void (*slist_free_all)(curl_slist *);
};

inline constexpr const char *kLibcurlSoname = "libcurl.so.4";

// Loads libcurl (kLibcurlSoname) and initializes it; an error names the
// library and says what to install.
Status load_libcurl();
const Libcurl &libcurl();

// The same for a library of another name; each call loads afresh, for
// tests of a missing or incomplete libcurl (nothing is initialized).
Status load_libcurl_from(const char *soname, Libcurl &out);

// Owners that free through the loaded library.
struct EasyCleanup {
  void operator()(CURL *handle) const { libcurl().easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist *list) const { libcurl().slist_free_all(list); }
};
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;
using Slist = std::unique_ptr<curl_slist, SlistFree>;

}  // namespace halo
