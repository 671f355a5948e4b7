// curl_attempt.cpp -- see curl_attempt.h.
#include "http/curl_attempt.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "common/ascii.h"
#include "common/secrets.h"
#include "http/curl_tls.h"
#include "http/kept_connections.h"
#include "http/libcurl.h"
#include "http/url_parts.h"

namespace halo {
namespace {

struct Transfer {
  AttemptOutcome *out;
  const std::function<bool()> *cancelled;
  bool too_large = false;
};

size_t on_body(char *data, size_t size, size_t n, void *user) {
  auto *t = static_cast<Transfer *>(user);
  size_t bytes = size * n;
  if (t->out->body.size() + bytes > kMaxHttpResponseBytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->out->body.append(data, bytes);
  return bytes;
}

size_t on_header(char *data, size_t size, size_t n, void *user) {
  auto *t = static_cast<Transfer *>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->out->headers.clear();  // a new response (after 100 Continue): start over
    return line.size();
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  t->out->headers.emplace_back(ascii_lower(line.substr(0, colon)), std::string(value));
  return line.size();
}

// Failures another attempt may fix: refused/reset/timed-out connections,
// empty or cut-short replies. TLS trust problems and bad URLs are permanent.
bool is_retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

Slist header_list(const HttpCall &call) {
  curl_slist *list = nullptr;
  for (const auto &[name, value] : call.headers) {
    list = libcurl().slist_append(list, (name + ": " + value).c_str());
  }
  list = libcurl().slist_append(list, "Expect:");  // no 100-continue round trip
  return Slist(list);
}

void set_method_and_body(CURL *h, const HttpCall &call) {
  if (call.method == "GET") {
    libcurl().easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (call.method == "HEAD") {
    libcurl().easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    libcurl().easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }
  bool sends_body =
      !call.body.empty() || call.method == "POST" || call.method == "PUT" || call.method == "PATCH";
  if (sends_body) {
    libcurl().easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
    libcurl().easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                          static_cast<curl_off_t>(call.body.size()));
  }
}

void set_transfer(CURL *h, const HttpCall &call, Transfer &t) {
  libcurl().easy_setopt(h, CURLOPT_URL, call.url.c_str());
  libcurl().easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  libcurl().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  libcurl().easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout_ms));
  libcurl().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                        static_cast<long>(std::min(call.connect_timeout_ms, call.timeout_ms)));
  libcurl().easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
  libcurl().easy_setopt(h, CURLOPT_USERAGENT, "halo/" HALO_VERSION);
  libcurl().easy_setopt(h, CURLOPT_FORBID_REUSE, call.keep_alive ? 0L : 1L);
  libcurl().easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  libcurl().easy_setopt(h, CURLOPT_WRITEDATA, &t);
  libcurl().easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  libcurl().easy_setopt(h, CURLOPT_HEADERDATA, &t);
  set_cancel_check(h, t.cancelled);
}

std::string scrubbed(std::string text, const HttpCall &call) {
  std::vector<std::string_view> secrets;
  size_t q = call.url.find('?');
  if (q != std::string::npos) secrets.push_back(std::string_view(call.url).substr(q + 1));
  for (const auto &h : call.headers) secrets.push_back(h.second);
  return mask_values(text, secrets);
}

// libcurl often says only "Couldn't connect to server"; the OS error
// ("Connection refused", "Connection reset by peer") is what people search.
void append_os_error(CURL *h, std::string &error) {
  long os_errno = 0;
  if (libcurl().easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno) != CURLE_OK || os_errno == 0) return;
  std::string text = std::strerror(static_cast<int>(os_errno));
  if (error.find(text) == std::string::npos) error += " (" + text + ")";
}

}  // namespace

AttemptOutcome perform_attempt(const HttpCall &call, const std::function<bool()> &cancelled) {
  AttemptOutcome out;
  if (Status loaded = load_libcurl(); !loaded.ok()) {
    out.error = loaded.message();
    return out;  // not retryable: installing libcurl needs a restart
  }
  const std::string kept_key = call.keep_alive ? kept_connection_key(call) : std::string();
  EasyHandle handle =
      call.keep_alive ? take_kept_handle(kept_key) : EasyHandle(libcurl().easy_init());
  if (!handle) {
    out.error = "cannot create a libcurl handle (out of memory?)";
    out.retryable = true;
    return out;
  }
  Transfer t{&out, &cancelled};
  char errbuf[CURL_ERROR_SIZE] = {0};
  libcurl().easy_setopt(handle.get(), CURLOPT_ERRORBUFFER, errbuf);
  Slist headers = header_list(call);
  libcurl().easy_setopt(handle.get(), CURLOPT_HTTPHEADER, headers.get());
  set_transfer(handle.get(), call, t);
  set_method_and_body(handle.get(), call);
  ExtraCa ca;
  set_tls(handle.get(), call.insecure, call.ca_file, ca);

  CURLcode code = libcurl().easy_perform(handle.get());
  if (code == CURLE_OK) {
    long status = 0;
    libcurl().easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    if (call.keep_alive) keep_handle(kept_key, std::move(handle));
    return out;
  }
  out.body.clear();
  out.headers.clear();
  out.cancelled = code == CURLE_ABORTED_BY_CALLBACK;
  out.retryable = is_retryable(code);
  if (t.too_large) {
    out.error =
        "response body exceeds the " + std::to_string(kMaxHttpResponseBytes >> 20) + " MiB limit";
  } else if (code == CURLE_SSL_CACERT_BADFILE) {
    out.error = ca_file_error(ca);
  } else if (out.cancelled) {
    out.error = "cancelled because the run is stopping";
  } else {
    out.error = scrubbed(errbuf[0] ? errbuf : libcurl().easy_strerror(code), call);
    append_os_error(handle.get(), out.error);
  }
  return out;
}

}  // namespace halo
