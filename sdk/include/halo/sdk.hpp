// halo/sdk.hpp -- header-only C++17 layer over the C ABI in halo/plugin.h.
//
// A plugin author derives from halo::Source, halo::Resolver,
// halo::FeatureBuilder or halo::Destination, gives the class a constructor
// taking halo::Host, and lists the classes once with HALO_PLUGIN_LIBRARY:
//
//   class MySource : public halo::Source { ... };
//   HALO_PLUGIN_LIBRARY(halo::describe_source<MySource>("my-source", "1.0.0",
//                       "Reads my files", kMyOptions, HALO_CAP_CHECKPOINT))
//
// Errors: throw halo::Error (or any std::exception) from any member; the
// adapter catches everything at the boundary, hands the message to the host
// and returns the status (HALO_ERROR for plain exceptions; HALO_FATAL from
// the constructor). halo::ConfigError reports a config path so the kernel can
// print the YAML line. Nothing here is ever seen by the kernel: only the C
// structs of plugin.h cross.
//
// Threading and lifetimes are those of plugin.h: one thread at a time per
// instance (HttpRoute handlers excepted: they run on server threads);
// views handed to a member are valid only during that call.
#ifndef HALO_SDK_HPP
#define HALO_SDK_HPP

#include <halo/plugin.h>
#include <halo/field_path.hpp>
#include <halo/units.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace halo {

// An error a plugin member throws; `status` is what the kernel receives.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string &message, halo_status status = HALO_ERROR)
      : std::runtime_error(message), status_(status) {}
  halo_status status() const { return status_; }

 private:
  halo_status status_;
};

// A configuration problem at an option path ("columns.email").
class ConfigError : public Error {
 public:
  ConfigError(std::string path, const std::string &message)
      : Error(message, HALO_FATAL), path_(std::move(path)) {}
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// An HTTP request for Host::http (ABI 1.1). Mirrors halo_http_request.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int timeout_ms = 0;     // 0 = host default (30 s)
  int max_attempts = 0;   // 0 = http.retry.max_attempts (5); 1 = no retry
  bool insecure = false;  // skip TLS verification: explicit opt-in only
  std::string ca_file;    // extra trusted CA bundle (PEM)
  // Reuse a kept-alive connection (ABI 1.2, see halo_http_request): only
  // for requests that are safe to arrive twice.
  bool keep_alive = false;
};

// A message for Host::smtp (ABI 1.2). Mirrors halo_smtp_request.
struct SmtpRequest {
  std::string url;                 // smtp://host[:port] (STARTTLS) or smtps://host[:port]
  std::string username, password;  // no AUTH when username is empty
  std::string ca_file;             // extra trusted CA bundle (PEM)
  bool insecure = false;           // skip TLS verification: explicit opt-in only
  bool plaintext = false;          // smtp:// without STARTTLS (a loopback relay)
  int timeout_ms = 0;              // 0 = host default (30 s)
  std::string mail_from;           // envelope sender, a bare address
  std::vector<std::string> recipients;
  std::string data;  // RFC 5322 message, CRLF line ends
};

// What the SMTP server (or the transport) said: status HALO_OK (accepted),
// HALO_RETRY (transient), HALO_ERROR (refused for good) or HALO_FATAL
// (set-up: TLS, authentication, a malformed request).
struct SmtpReply {
  halo_status status = HALO_RETRY;
  int code = 0;      // the server's last reply code, 0 when none came
  std::string text;  // its reply line, or the transport error
};

// A request for Host::mailbox (ABI 1.2). Mirrors halo_mailbox_request.
struct MailboxRequest {
  std::string url;  // imap[s]://host[:port][/path] or pop3[s]://host[:port][/n]
  std::string username, password;
  std::string ca_file;     // extra trusted CA bundle (PEM)
  bool insecure = false;   // skip TLS verification: explicit opt-in only
  bool plaintext = false;  // imap:// or pop3:// without STARTTLS (loopback)
  int timeout_ms = 0;      // 0 = host default (30 s)
  std::string command;     // "" = retrieve what the URL names
  uint64_t max_bytes = 0;  // 0 = host default (32 MiB)
};

// What the mailbox server answered: status HALO_OK (text is the answer),
// HALO_RETRY (transient), HALO_ERROR (refused, not there, too large) or
// HALO_FATAL (set-up: TLS, login, a malformed request); text says why.
struct MailboxReply {
  halo_status status = HALO_RETRY;
  std::string text;
};

// A host-owned HTTP response; released when this object dies.
class HttpResponse {
 public:
  HttpResponse(const halo_host_api *api, halo_http_response *r) : api_(api), r_(r) {}
  HttpResponse(HttpResponse &&o) noexcept : api_(o.api_), r_(o.r_) { o.r_ = nullptr; }
  HttpResponse &operator=(HttpResponse &&o) noexcept {
    std::swap(api_, o.api_);
    std::swap(r_, o.r_);
    return *this;
  }
  HttpResponse(const HttpResponse &) = delete;
  HttpResponse &operator=(const HttpResponse &) = delete;
  ~HttpResponse() {
    if (r_ != nullptr) api_->http_free(r_);
  }
  int status() const { return api_->http_status(r_); }
  int attempts() const { return api_->http_attempts(r_); }
  // Valid while this response lives.
  std::string_view body() const {
    const char *d = nullptr;
    size_t n = 0;
    api_->http_body(r_, &d, &n);
    return std::string_view(d, n);
  }
  std::optional<std::string_view> header(const char *name) const {
    const char *v = nullptr;
    size_t n = 0;
    if (!api_->http_header(r_, name, &v, &n)) return std::nullopt;
    return std::string_view(v, n);
  }

 private:
  const halo_host_api *api_;
  halo_http_response *r_;
};

// How one request of Host::http_many ended: an HTTP response (any
// status), or the halo::Error Host::http would have thrown.
struct HttpOutcome {
  std::optional<HttpResponse> response;
  std::optional<Error> error;
};

// The host API bound to one instance's context.
class Host {
 public:
  Host(const halo_host_api *api, halo_context *ctx) : api_(api), ctx_(ctx) {}

  const halo_host_api *api() const { return api_; }
  halo_context *context() const { return ctx_; }

  void log(halo_log_level level, const std::string &message) const {
    api_->log(ctx_, level, message.c_str());
  }
  void info(const std::string &m) const { log(HALO_LOG_INFO, m); }
  void warn(const std::string &m) const { log(HALO_LOG_WARN, m); }
  void metric(const char *name, double delta) const { api_->metric_add(ctx_, name, delta); }
  int64_t now_ms() const { return api_->now_ms(ctx_); }
  bool cancelled() const { return api_->cancelled(ctx_) != 0; }
  std::string base_dir() const { return api_->base_dir(ctx_); }

  // Options (valid during construction).
  std::optional<std::string_view> opt_string(const std::string &path) const {
    const char *s = nullptr;
    size_t n = 0;
    if (!api_->opt_string(ctx_, path.c_str(), &s, &n)) return std::nullopt;
    return std::string_view(s, n);
  }
  std::optional<int64_t> opt_int(const std::string &path) const {
    int64_t v = 0;
    if (!api_->opt_int(ctx_, path.c_str(), &v)) return std::nullopt;
    return v;
  }
  std::optional<double> opt_float(const std::string &path) const {
    double v = 0;
    if (!api_->opt_float(ctx_, path.c_str(), &v)) return std::nullopt;
    return v;
  }
  std::optional<bool> opt_bool(const std::string &path) const {
    int32_t v = 0;
    if (!api_->opt_bool(ctx_, path.c_str(), &v)) return std::nullopt;
    return v != 0;
  }
  // Entries of a list or map; -1 when absent or scalar.
  int opt_size(const std::string &path) const { return api_->opt_size(ctx_, path.c_str()); }
  std::string opt_key(const std::string &path, int index) const {
    const char *k = nullptr;
    if (!api_->opt_key(ctx_, path.c_str(), index, &k) || k == nullptr) return {};
    return k;
  }
  std::string opt_string_or(const std::string &path, std::string_view fallback) const {
    auto v = opt_string(path);
    return std::string(v ? *v : fallback);
  }

  // Typed reads of a declared option: the value written, else the declared
  // default (the host supplies it), so the default stays in the option
  // table. Throw ConfigError when the option is absent with no default or
  // (nested paths, which the kernel does not type-check) of another type.
  std::string string_option(const std::string &path) const {
    return std::string(need(opt_string(path), path, "a string"));
  }
  int64_t int_option(const std::string &path) const {
    return need(opt_int(path), path, "an integer");
  }
  double float_option(const std::string &path) const {
    return need(opt_float(path), path, "a number");
  }
  bool bool_option(const std::string &path) const {
    return need(opt_bool(path), path, "true or false");
  }
  // A HALO_OPT_DURATION option (or any duration text, e.g. a nested
  // "window: 30d"), in milliseconds, parsed by halo/units.hpp.
  std::chrono::milliseconds duration_option(const std::string &path) const {
    const std::string text = string_option(path);
    return std::chrono::milliseconds(
        need(parse_duration_ms(text), path, "a duration such as 250ms, 90s, 30m, 2h or 7d"));
  }
  // A HALO_OPT_STRING_LIST option's entries (the declared default list
  // when absent); ConfigError naming the option for an empty entry.
  std::vector<std::string> string_list_option(const std::string &path) const {
    std::vector<std::string> out;
    const int n = opt_size(path);
    for (int i = 0; i < n; ++i) {
      auto v = opt_string(path + "[" + std::to_string(i) + "]");
      if (!v || v->empty()) throw ConfigError(path, "entries must be non-empty strings");
      out.emplace_back(*v);
    }
    return out;
  }
  // A HALO_OPT_SIZE option (or any size text), in bytes.
  int64_t size_option(const std::string &path) const {
    const std::string text = string_option(path);
    return need(parse_size_bytes(text), path, "a size such as 1048576, 64KiB or 10MiB");
  }

  // Performs an HTTP request through the host (retries, backoff and TLS are
  // the host's) and returns any HTTP response, 4xx/5xx included. Throws
  // halo::Error with HALO_RETRY (message from the host) when the transport
  // kept failing, HALO_FATAL when the host is older than ABI 1.1.
  HttpResponse http(const HttpRequest &req) const {
    if (!HALO_HOST_HAS(api_, http_request)) {
      throw Error("this halo kernel has no HTTP client (needs plugin ABI 1.1)", HALO_FATAL);
    }
    CRequest r(req);
    halo_http_response *out = nullptr;
    const int32_t st = api_->http_request(ctx_, &r.request, &out);
    HttpOutcome outcome = outcome_of(req, st, out);
    if (outcome.error) throw *outcome.error;
    return std::move(*outcome.response);
  }

  // Performs every request, up to the instance's `concurrency` at once
  // (ABI 1.2 http_request_many; one after the other on an older host), and
  // returns one outcome per request, in order: the response, or the
  // halo::Error http() would have thrown for it.
  std::vector<HttpOutcome> http_many(const std::vector<HttpRequest> &reqs) const {
    std::vector<HttpOutcome> outcomes;
    outcomes.reserve(reqs.size());
    if (!HALO_HOST_HAS(api_, http_request_many)) {
      for (const HttpRequest &req : reqs) {
        try {
          outcomes.push_back({http(req), std::nullopt});
        } catch (const Error &e) {
          outcomes.push_back({std::nullopt, e});
        }
      }
      return outcomes;
    }
    std::vector<CRequest> requests(reqs.begin(), reqs.end());
    std::vector<const halo_http_request *> pointers;
    pointers.reserve(requests.size());
    for (const CRequest &r : requests) pointers.push_back(&r.request);
    std::vector<halo_http_response *> out(reqs.size(), nullptr);
    std::vector<int32_t> results(reqs.size(), HALO_ERROR);
    api_->http_request_many(ctx_, pointers.data(), pointers.size(), out.data(), results.data());
    for (size_t i = 0; i < reqs.size(); ++i) {
      outcomes.push_back(outcome_of(reqs[i], results[i], out[i]));
    }
    return outcomes;
  }

  // Sends one message through the host's SMTP client (one attempt; the
  // kernel's outbox retries). Server replies are returned, not thrown;
  // throws halo::Error with HALO_FATAL when the host is older than ABI 1.2.
  SmtpReply smtp(const SmtpRequest &req) const {
    if (!HALO_HOST_HAS(api_, smtp_send)) {
      throw Error("this halo kernel has no SMTP client (needs plugin ABI 1.2)", HALO_FATAL);
    }
    CSmtpRequest r(req);
    char text[kSmtpReplyBytes] = {0};
    int32_t code = 0;
    SmtpReply reply;
    reply.status =
        static_cast<halo_status>(api_->smtp_send(ctx_, &r.request, &code, text, sizeof text));
    reply.code = code;
    reply.text = text;
    return reply;
  }

  // Sends every message, up to the instance's `concurrency` SMTP sessions
  // at once (ABI 1.2 smtp_send_many; one after the other through smtp() on
  // a host without it), and returns one reply per message, in order.
  std::vector<SmtpReply> smtp_many(const std::vector<SmtpRequest> &reqs) const {
    std::vector<SmtpReply> replies;
    replies.reserve(reqs.size());
    if (!HALO_HOST_HAS(api_, smtp_send_many)) {
      for (const SmtpRequest &req : reqs) replies.push_back(smtp(req));
      return replies;
    }
    std::vector<std::unique_ptr<CSmtpRequest>> requests;
    std::vector<const halo_smtp_request *> pointers;
    for (const SmtpRequest &req : reqs) {
      requests.push_back(std::make_unique<CSmtpRequest>(req));
      pointers.push_back(&requests.back()->request);
    }
    std::vector<int32_t> results(reqs.size(), HALO_FATAL), codes(reqs.size(), 0);
    std::vector<char> texts(reqs.size() * kSmtpReplyBytes, '\0');
    api_->smtp_send_many(ctx_, pointers.data(), pointers.size(), results.data(), codes.data(),
                         texts.data(), kSmtpReplyBytes);
    for (size_t i = 0; i < reqs.size(); ++i) {
      replies.push_back({static_cast<halo_status>(results[i]), codes[i],
                         std::string(texts.data() + i * kSmtpReplyBytes)});
    }
    return replies;
  }

  // Makes one IMAP or POP3 request through the host (one attempt; the
  // source's next poll retries). Server answers are returned, not thrown;
  // throws halo::Error with HALO_FATAL when the host has no mailbox client.
  MailboxReply mailbox(const MailboxRequest &req) const {
    if (!HALO_HOST_HAS(api_, mailbox_request)) {
      throw Error("this halo kernel has no IMAP/POP3 client (needs plugin ABI 1.2)", HALO_FATAL);
    }
    halo_mailbox_request r{};
    r.struct_size = sizeof(r);
    r.url = req.url.c_str();
    r.username = req.username.c_str();
    r.password = req.password.c_str();
    r.ca_file = req.ca_file.empty() ? nullptr : req.ca_file.c_str();
    r.insecure = req.insecure ? 1 : 0;
    r.plaintext = req.plaintext ? 1 : 0;
    r.timeout_ms = req.timeout_ms;
    r.command = req.command.c_str();
    r.max_bytes = req.max_bytes;
    halo_http_response *out = nullptr;
    MailboxReply reply;
    reply.status = static_cast<halo_status>(api_->mailbox_request(ctx_, &r, &out));
    if (out != nullptr) reply.text = std::string(HttpResponse(api_, out).body());
    return reply;
  }

 private:
  static constexpr size_t kSmtpReplyBytes = 1024;

  // halo_smtp_request viewing an SmtpRequest (which must outlive it).
  struct CSmtpRequest {
    explicit CSmtpRequest(const SmtpRequest &req) {
      to.reserve(req.recipients.size());
      for (const std::string &r : req.recipients) to.push_back(r.c_str());
      request.struct_size = sizeof(request);
      request.url = req.url.c_str();
      request.username = req.username.c_str();
      request.password = req.password.c_str();
      request.ca_file = req.ca_file.empty() ? nullptr : req.ca_file.c_str();
      request.insecure = req.insecure ? 1 : 0;
      request.plaintext = req.plaintext ? 1 : 0;
      request.timeout_ms = req.timeout_ms;
      request.mail_from = req.mail_from.c_str();
      request.recipients = to.data();
      request.recipient_count = to.size();
      request.data = req.data.data();
      request.data_len = req.data.size();
    }
    CSmtpRequest(const CSmtpRequest &) = delete;
    CSmtpRequest &operator=(const CSmtpRequest &) = delete;
    std::vector<const char *> to;
    halo_smtp_request request{};
  };

  // halo_http_request viewing an HttpRequest (which must outlive it).
  struct CRequest {
    explicit CRequest(const HttpRequest &req) {
      headers.reserve(req.headers.size());
      for (const auto &[name, value] : req.headers)
        headers.push_back({name.c_str(), value.c_str()});
      request.struct_size = sizeof(request);
      request.method = req.method.c_str();
      request.url = req.url.c_str();
      request.headers = headers.data();
      request.header_count = headers.size();
      request.body = req.body.data();
      request.body_len = req.body.size();
      request.timeout_ms = req.timeout_ms;
      request.max_attempts = req.max_attempts;
      request.insecure = req.insecure ? 1 : 0;
      request.ca_file = req.ca_file.empty() ? nullptr : req.ca_file.c_str();
      request.keep_alive = req.keep_alive ? 1 : 0;
    }
    CRequest(const CRequest &) = delete;
    CRequest &operator=(const CRequest &) = delete;
    std::vector<halo_http_header> headers;
    halo_http_request request{};
  };

  // What http_request's status `st` and response `out` mean for `req`.
  HttpOutcome outcome_of(const HttpRequest &req, int32_t st, halo_http_response *out) const {
    if (out == nullptr) return {std::nullopt, Error("malformed HTTP request for " + req.method)};
    HttpResponse response(api_, out);
    if (st != HALO_OK || response.status() == 0) {
      return {std::nullopt, Error(std::string(response.body()),
                                  st == HALO_OK ? HALO_RETRY : static_cast<halo_status>(st))};
    }
    return {std::move(response), std::nullopt};
  }

  // The value, or the ConfigError saying why there is none.
  template <class T>
  T need(std::optional<T> value, const std::string &path, const char *what) const {
    if (value) return *value;
    if (api_->opt_size(ctx_, path.c_str()) >= 0 || opt_string(path)) {
      throw ConfigError(path, std::string("expected ") + what);
    }
    throw ConfigError(path, "is not set and has no default (add `" + path + ": ...`)");
  }

  const halo_host_api *api_;
  halo_context *ctx_;
};

// A request reaching an HTTP route (ABI 1.2). Valid during the handler
// call only; the views point into host memory.
class HttpServerRequest {
 public:
  HttpServerRequest(const halo_host_api *api, const halo_http_server_request *r)
      : api_(api), r_(r) {}
  std::string_view method() const { return get(api_->http_req_method); }
  std::string_view path() const { return get(api_->http_req_path); }
  std::string_view query() const { return get(api_->http_req_query); }
  std::string_view body() const { return get(api_->http_req_body); }
  // Case-insensitive.
  std::optional<std::string_view> header(const char *name) const {
    const char *v = nullptr;
    size_t n = 0;
    if (!api_->http_req_header(r_, name, &v, &n)) return std::nullopt;
    return std::string_view(v, n);
  }

 private:
  using Getter = void (*)(const halo_http_server_request *, const char **, size_t *);
  std::string_view get(Getter fn) const {
    const char *d = nullptr;
    size_t n = 0;
    fn(r_, &d, &n);
    return std::string_view(d, n);
  }
  const halo_host_api *api_;
  const halo_http_server_request *r_;
};

// A delivery report (host->delivery_receipt, since 1.2): what became of a
// message after the receiver accepted it.
struct Receipt {
  halo_receipt_status status = HALO_RECEIPT_DELIVERED;
  uint64_t message_id = 0;       // the outbox id sent along with the message
  std::string_view provider_id;  // the receiver's id of the message
  std::string_view detail;       // the receiver's words
  int64_t at_ms = 0;             // when it happened; 0 = now
};

// An opt-in or opt-out a receiver reported (host->consent_record, since 1.2).
struct ConsentStatement {
  bool opted_in = false;
  std::string_view channel, address, reason, proof;
  int64_t at_ms = 0;  // when it was said; 0 = now
};

// Records delivery reports and consent from any thread, a route handler
// included. Each returns HALO_OK (recorded, or nothing new), HALO_RETRY
// (the store is busy: make the sender retry) or HALO_ERROR (not recorded:
// not this destination's message, a bad address, no store, an older host).
class Reports {
 public:
  explicit Reports(const Host &host) : api_(host.api()), ctx_(host.context()) {}
  halo_status receipt(const Receipt &r) const {
    if (!HALO_HOST_HAS(api_, delivery_receipt)) return HALO_ERROR;
    halo_delivery_receipt c{};
    c.struct_size = sizeof c;
    c.status = r.status;
    c.message_id = r.message_id;
    c.provider_id = r.provider_id.data();
    c.provider_id_len = r.provider_id.size();
    c.detail = r.detail.data();
    c.detail_len = r.detail.size();
    c.at_ms = r.at_ms;
    return static_cast<halo_status>(api_->delivery_receipt(ctx_, &c));
  }
  halo_status consent(const ConsentStatement &s) const {
    if (!HALO_HOST_HAS(api_, consent_record)) return HALO_ERROR;
    halo_consent_statement c{};
    c.struct_size = sizeof c;
    c.opted_in = s.opted_in ? 1 : 0;
    c.channel = s.channel.data();
    c.channel_len = s.channel.size();
    c.address = s.address.data();
    c.address_len = s.address.size();
    c.reason = s.reason.data();
    c.reason_len = s.reason.size();
    c.proof = s.proof.data();
    c.proof_len = s.proof.size();
    c.at_ms = s.at_ms;
    return static_cast<halo_status>(api_->consent_record(ctx_, &c));
  }

 private:
  const halo_host_api *api_;
  halo_context *ctx_;
};

// The answer an HTTP route handler fills in (ABI 1.2); default 200, empty.
class HttpServerResponse {
 public:
  HttpServerResponse(const halo_host_api *api, halo_http_server_response *r) : api_(api), r_(r) {}
  void status(int code) const { api_->http_resp_status(r_, code); }
  void header(const std::string &name, const std::string &value) const {
    api_->http_resp_header(r_, name.c_str(), value.c_str());
  }
  void body(std::string_view data) const { api_->http_resp_body(r_, data.data(), data.size()); }

 private:
  const halo_host_api *api_;
  halo_http_server_response *r_;
};

// One route on the kernel's HTTP server (ABI 1.2), registered by the
// constructor (call it from the plugin's constructor or start()). The
// handler runs on server threads, concurrently with the plugin's other
// members: see halo_http_handler in plugin.h for what it may do. An
// exception from it answers 500. Keep the object alive until the plugin is
// destroyed; the kernel unregisters the route before stop().
class HttpRoute {
 public:
  using Handler = std::function<void(const HttpServerRequest &, HttpServerResponse &)>;

  // Throws halo::Error (HALO_FATAL) with the host's reason when refused or
  // when the host is older than ABI 1.2. `listen` is used only when the
  // pipeline has no http.listen ("" = the kernel's default).
  HttpRoute(const Host &host, const std::string &method, const std::string &path, Handler handler,
            const std::string &listen = "")
      : api_(host.api()), ctx_(host.context()), handler_(std::move(handler)) {
    if (!HALO_HOST_HAS(api_, http_route_add)) {
      throw Error("this halo kernel has no HTTP server (needs plugin ABI 1.2)", HALO_FATAL);
    }
    halo_http_route r{};
    r.struct_size = sizeof(r);
    r.method = method.c_str();
    r.path = path.c_str();
    r.handler = &HttpRoute::call;
    r.user = this;
    r.listen = listen.empty() ? nullptr : listen.c_str();
    char why[512] = {0};
    if (api_->http_route_add(host.context(), &r, why, sizeof why) != HALO_OK) {
      throw Error(why, HALO_FATAL);
    }
  }
  HttpRoute(const HttpRoute &) = delete;
  HttpRoute &operator=(const HttpRoute &) = delete;

  // The port the kernel's HTTP server listens on.
  int port() const { return api_->http_server_port(ctx_); }

 private:
  static halo_status call(void *user, const halo_http_server_request *q,
                          halo_http_server_response *r) noexcept {
    auto *self = static_cast<HttpRoute *>(user);
    try {
      HttpServerRequest request(self->api_, q);
      HttpServerResponse response(self->api_, r);
      self->handler_(request, response);
      return HALO_OK;
    } catch (...) {
      return HALO_ERROR;
    }
  }

  const halo_host_api *api_;
  halo_context *ctx_;
  Handler handler_;
};

// Read-only view of a batch of normalized events.
class Batch {
 public:
  Batch(const halo_host_api *api, const halo_batch *b) : api_(api), b_(b) {}

  size_t size() const { return api_->batch_size(b_); }
  halo_event_type type(size_t i) const {
    return static_cast<halo_event_type>(api_->event_type(b_, i));
  }
  std::string_view name(size_t i) const { return str(api_->event_name, i); }
  std::string_view message_id(size_t i) const { return str(api_->event_message_id, i); }
  std::string_view source(size_t i) const { return str(api_->event_source, i); }
  int64_t timestamp_ms(size_t i) const { return api_->event_timestamp_ms(b_, i); }
  uint64_t sequence(size_t i) const { return api_->event_sequence(b_, i); }
  size_t identifier_count(size_t i) const { return api_->event_identifier_count(b_, i); }
  // (type, normalized value)
  std::pair<std::string_view, std::string_view> identifier(size_t i, size_t k) const {
    const char *t = nullptr, *v = nullptr;
    size_t tn = 0, vn = 0;
    api_->event_identifier(b_, i, k, &t, &tn, &v, &vn);
    return {std::string_view(t, tn), std::string_view(v, vn)};
  }
  std::optional<halo_value> field(size_t i, const char *path) const {
    halo_value v{};
    if (!api_->event_field(b_, i, path, &v)) return std::nullopt;
    return v;
  }
  size_t field_count(size_t i) const { return api_->event_field_count(b_, i); }
  // Refuses event i for this instance (host->event_reject, ABI 1.2): the
  // kernel dead-letters it and the rest of the batch goes on. Returns false,
  // doing nothing, when the host is older than ABI 1.2.
  bool reject(size_t i, const char *reason, const std::string &message) const {
    if (!HALO_HOST_HAS(api_, event_reject)) return false;
    api_->event_reject(b_, i, reason, message.c_str());
    return true;
  }
  std::pair<std::string_view, halo_value> field_at(size_t i, size_t k) const {
    const char *p = nullptr;
    size_t n = 0;
    halo_value v{};
    api_->event_field_at(b_, i, k, &p, &n, &v);
    return {std::string_view(p, n), v};
  }

 private:
  using StrFn = void (*)(const halo_batch *, size_t, const char **, size_t *);
  std::string_view str(StrFn fn, size_t i) const {
    const char *s = nullptr;
    size_t n = 0;
    fn(b_, i, &s, &n);
    return std::string_view(s, n);
  }
  const halo_host_api *api_;
  const halo_batch *b_;
};

inline std::string_view value_text(const halo_value &v) {
  return std::string_view(v.str, v.len);
}

// Source output for one next_batch() call.
class Sink {
 public:
  Sink(const halo_host_api *api, halo_sink *s) : api_(api), s_(s) {}
  void record(std::string_view json, uint64_t position) const {
    api_->sink_add_record(s_, json.data(), json.size(), position);
  }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) const {
    api_->sink_add_error(s_, reason, message.c_str(), raw.data(), raw.size(), position);
  }
  void origin(const std::string &origin) const { api_->sink_set_origin(s_, origin.c_str()); }
  void end_of_data() const { api_->sink_end_of_data(s_); }

 private:
  const halo_host_api *api_;
  halo_sink *s_;
};

class Resolution {
 public:
  Resolution(const halo_host_api *api, halo_resolution *r) : api_(api), r_(r) {}
  uint64_t new_profile() const { return api_->resolve_new_profile(r_); }
  void assign(size_t event, uint64_t profile) const { api_->resolve_assign(r_, event, profile); }
  void link(std::string_view type, std::string_view value, uint64_t profile) const {
    api_->resolve_link(r_, type.data(), type.size(), value.data(), value.size(), profile);
  }
  // The link made by event `event`'s identifier (ABI 1.2 resolve_link_event;
  // on an older host the kernel credits the batch's first event carrying it).
  void link(size_t event, std::string_view type, std::string_view value, uint64_t profile) const {
    if (!HALO_HOST_HAS(api_, resolve_link_event)) return link(type, value, profile);
    api_->resolve_link_event(r_, event, type.data(), type.size(), value.data(), value.size(),
                             profile);
  }
  void merge(uint64_t from, uint64_t into, size_t event) const {
    api_->resolve_merge(r_, from, into, event);
  }
  void conflict(size_t event, std::string_view type, std::string_view value, uint64_t profile,
                const std::string &reason) const {
    api_->resolve_conflict(r_, event, type.data(), type.size(), value.data(), value.size(), profile,
                           reason.c_str());
  }

 private:
  const halo_host_api *api_;
  halo_resolution *r_;
};

class StateWriter {
 public:
  StateWriter(const halo_host_api *api, halo_state_writer *w) : api_(api), w_(w) {}
  void write(uint64_t profile, const void *data, size_t len) const {
    api_->state_write(w_, profile, data, len);
  }

 private:
  const halo_host_api *api_;
  halo_state_writer *w_;
};

class FeatureWriter {
 public:
  FeatureWriter(const halo_host_api *api, halo_feature_writer *w) : api_(api), w_(w) {}
  // `text` is the exact decimal form written to the profile.
  void number(const char *name, double value, std::string_view text) const {
    halo_value v{};
    v.kind = HALO_VALUE_NUMBER;
    v.number = value;
    v.str = text.data();
    v.len = text.size();
    api_->feature_number(w_, name, &v);
  }
  // The shortest decimal that reads back as `value` ("0.1", "1e+21"); a
  // value that is not finite is written as null by the host.
  void number(const char *name, double value) const {
    char text[32];  // the longest shortest form of a double is 24 characters
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    number(name, value, std::string_view(text, static_cast<size_t>(end - text)));
  }
  void integer(const char *name, int64_t value) const {
    std::string text = std::to_string(value);
    number(name, static_cast<double>(value), text);
  }
  void string(const char *name, std::string_view value) const {
    api_->feature_string(w_, name, value.data(), value.size());
  }
  void boolean(const char *name, bool value) const { api_->feature_bool(w_, name, value); }
  void null(const char *name) const { api_->feature_null(w_, name); }
  // The values written may change at `at_ms` without a new event (see
  // feature_valid_until in plugin.h); a no-op on hosts older than ABI 1.2.
  void valid_until(int64_t at_ms) const {
    if (HALO_HOST_HAS(api_, feature_valid_until)) api_->feature_valid_until(w_, at_ms);
  }

 private:
  const halo_host_api *api_;
  halo_feature_writer *w_;
};

// Where fit() reports the parameters it fitted (model_param in plugin.h).
class ModelWriter {
 public:
  ModelWriter(const halo_host_api *api, halo_model_writer *w) : api_(api), w_(w) {}
  void param(std::string_view name, double value) const {
    api_->model_param(w_, name.data(), name.size(), value);
  }
  // The fitted model itself, for load_model() in a later run (since 1.2).
  void data(std::string_view bytes) const {
    if (HALO_HOST_HAS(api_, model_data)) api_->model_data(w_, bytes.data(), bytes.size());
  }

 private:
  const halo_host_api *api_;
  halo_model_writer *w_;
};

// A typed profile value handed to a destination (plugin.h, halo_typed_kind):
// `type` is 0 when absent. Views are valid until write_profiles returns.
struct ProfileValue {
  int32_t type = 0;  // halo_typed_kind, or 0
  halo_value value{};
  bool present() const { return type != 0; }
  bool is_null() const { return type == HALO_TYPED_NULL; }
  // Strings, exact number text, ISO-8601 timestamps, a list's JSON array.
  std::string_view text() const { return std::string_view(value.str ? value.str : "", value.len); }
  double number() const { return value.number; }  // also a timestamp's ms
  bool boolean() const { return value.boolean != 0; }
};

struct ProfileIdentifier {
  std::string_view type, value;
};

// One outbox message handed to deliver_messages (halo_message in plugin.h,
// since 1.2); the views are valid until deliver_messages returns.
struct Message {
  uint64_t id = 0, profile_id = 0;
  uint32_t attempt = 0;
  std::string_view idempotency_key, trigger, channel, recipient, template_name;
  std::string_view subject, text, html, variables_json;
  std::string_view unsubscribe_url;  // empty when the pipeline has none
};

// Reports each message's outcome (host->message_result): call one of them
// per message index before deliver_messages returns.
class MessageResults {
 public:
  MessageResults(const halo_host_api *api, halo_message_delivery *d) : api_(api), d_(d) {}
  void sent(size_t i, std::string_view provider_id) const {
    report(i, HALO_MESSAGE_SENT, provider_id, 0);
  }
  void retry(size_t i, std::string_view why, int64_t retry_after_ms = 0) const {
    report(i, HALO_MESSAGE_RETRY, why, retry_after_ms);
  }
  void failed(size_t i, std::string_view why) const { report(i, HALO_MESSAGE_FAILED, why, 0); }
  // The recipient opted out at the receiver (the kernel records it).
  void opted_out(size_t i, std::string_view why) const {
    report(i, HALO_MESSAGE_OPTED_OUT, why, 0);
  }
  // The address does not exist (a hard bounce; the kernel suppresses it).
  void bounced(size_t i, std::string_view why) const { report(i, HALO_MESSAGE_BOUNCED, why, 0); }

 private:
  void report(size_t i, int32_t outcome, std::string_view detail, int64_t after) const {
    if (HALO_HOST_HAS(api_, message_result)) {
      api_->message_result(d_, i, outcome, detail.data(), detail.size(), after);
    }
  }
  const halo_host_api *api_;
  halo_message_delivery *d_;
};

// A sent message on which the receiver has reported nothing yet, handed to
// poll_receipts (halo_sent_message in plugin.h, since 1.2); the views are
// valid until poll_receipts returns.
struct SentMessage {
  uint64_t id = 0;               // the outbox id: Receipt::message_id
  uint32_t polls = 0;            // earlier polls of it
  std::string_view provider_id;  // what deliver_messages reported with sent()
  std::string_view recipient;
  int64_t sent_at_ms = 0;
};

class ProfileBatch {
 public:
  ProfileBatch(const halo_host_api *api, const halo_profile_batch *b) : api_(api), b_(b) {}
  size_t size() const { return api_->profiles_size(b_); }
  std::string_view json(size_t i) const {
    const char *s = nullptr;
    size_t n = 0;
    api_->profile_json(b_, i, &s, &n);
    return std::string_view(s, n);
  }
  uint64_t profile_id(size_t i) const { return api_->profile_id(b_, i); }

  // Typed accessors (since 1.2): false from typed() on an older host, and
  // then every accessor below finds nothing.
  bool typed() const { return HALO_HOST_HAS(api_, profile_trait); }
  ProfileValue trait(size_t i, const char *name) const {
    ProfileValue v;
    if (typed()) v.type = api_->profile_trait(b_, i, name, &v.value);
    return v;
  }
  ProfileValue feature(size_t i, const char *name) const {
    ProfileValue v;
    if (typed()) v.type = api_->profile_feature(b_, i, name, &v.value);
    return v;
  }
  // Calls fn(name, value) for every trait (name order) or feature (emission order).
  template <class Fn>
  void for_each_trait(size_t i, Fn &&fn) const {
    if (typed()) each(api_->profile_trait_count, api_->profile_trait_at, i, fn);
  }
  template <class Fn>
  void for_each_feature(size_t i, Fn &&fn) const {
    if (typed()) each(api_->profile_feature_count, api_->profile_feature_at, i, fn);
  }
  std::vector<ProfileIdentifier> identifiers(size_t i) const {
    std::vector<ProfileIdentifier> out;
    size_t n = typed() ? api_->profile_identifier_count(b_, i) : 0;
    for (size_t k = 0; k < n; ++k) {
      const char *t = nullptr, *v = nullptr;
      size_t tn = 0, vn = 0;
      if (api_->profile_identifier_at(b_, i, k, &t, &tn, &v, &vn)) {
        out.push_back({std::string_view(t, tn), std::string_view(v, vn)});
      }
    }
    return out;
  }
  int64_t updated_at_ms(size_t i) const { return typed() ? api_->profile_updated_at_ms(b_, i) : 0; }
  // The segments profile i is a member of, in name order (since 1.2; empty
  // on an older host).
  std::vector<std::string_view> segments(size_t i) const {
    std::vector<std::string_view> out;
    if (!HALO_HOST_HAS(api_, profile_segment_at)) return out;
    size_t n = api_->profile_segment_count(b_, i);
    for (size_t k = 0; k < n; ++k) {
      const char *s = nullptr;
      size_t len = 0;
      if (api_->profile_segment_at(b_, i, k, &s, &len)) out.emplace_back(s, len);
    }
    return out;
  }

 private:
  using CountFn = size_t (*)(const halo_profile_batch *, size_t);
  using AtFn = int32_t (*)(const halo_profile_batch *, size_t, size_t, const char **, size_t *,
                           halo_value *);
  template <class Fn>
  void each(CountFn count, AtFn at, size_t i, Fn &fn) const {
    size_t n = count(b_, i);
    for (size_t k = 0; k < n; ++k) {
      ProfileValue v;
      const char *s = nullptr;
      size_t len = 0;
      v.type = at(b_, i, k, &s, &len, &v.value);
      fn(std::string_view(s ? s : "", len), v);
    }
  }

  const halo_host_api *api_;
  const halo_profile_batch *b_;
};

// ---------------------------------------------------------------------------
// Base classes. Override what the plugin needs; defaults do nothing.
// ---------------------------------------------------------------------------

class PluginBase {
 public:
  explicit PluginBase(Host host) : host_(host) {}
  virtual ~PluginBase() = default;
  PluginBase(const PluginBase &) = delete;
  PluginBase &operator=(const PluginBase &) = delete;
  virtual void start() {}
  virtual void stop() {}
  const Host &host() const { return host_; }

 private:
  Host host_;
};

class Source : public PluginBase {
 public:
  using PluginBase::PluginBase;
  virtual void restore_cursor(std::string_view /*cursor*/) {}
  virtual void next_batch(const Sink &sink, uint32_t max_records) = 0;
  // Must stay valid until the next call on this instance.
  virtual std::string_view cursor() = 0;
  virtual void committed() {}
};

class Resolver : public PluginBase {
 public:
  using PluginBase::PluginBase;
  virtual void restore(const halo_identity_link *links, size_t n) = 0;
  // Throwing fails the call (HALO_ERROR): leave the instance unchanged, so
  // the kernel can isolate the failing events; Batch::reject refuses one.
  virtual void resolve(const Batch &batch, const Resolution &out) = 0;
  // A resolver that needs the time each restored link was made (limits
  // with a time window) declares
  //   void restore_times(const int64_t *timestamps_ms, size_t n);
  // describe_resolver finds it (restore_times in plugin.h, ABI 1.2).
};

class FeatureBuilder : public PluginBase {
 public:
  using PluginBase::PluginBase;
  virtual void restore(const halo_state_row *rows, size_t n) = 0;
  // Throwing fails the call (HALO_ERROR): leave the state unchanged, so the
  // kernel can isolate the failing events; Batch::reject skips one.
  virtual void update(const Batch &batch, const uint64_t *profile_ids) = 0;
  virtual void merge(uint64_t from, uint64_t into) = 0;
  virtual void save_dirty(const StateWriter &w) = 0;
  virtual void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) = 0;
  // A builder with a population step (fit in plugin.h, ABI 1.2) declares
  //   void fit(int64_t as_of_ms, const ModelWriter &w);
  // describe_feature finds it; a builder without one gets no fit entry, so
  // the kernel never restores every profile for it. One that reports its
  // model with ModelWriter::data can also declare
  //   void load_model(std::string_view data);   // throws on bad data
  // to reuse a stored fit between refits (load_model in plugin.h). A
  // builder that knows the names of its features (from its options)
  // declares
  //   void describe_features(const FeatureWriter &w);
  // writing each name once with a value of its kind (describe_features in
  // plugin.h): the kernel then checks what segments and triggers read.
};

// What one delivery holds (halo_delivery_mode in plugin.h).
enum class DeliveryMode : int32_t { kFull = HALO_DELIVERY_FULL, kChanges = HALO_DELIVERY_CHANGES };

class Destination : public PluginBase {
 public:
  using PluginBase::PluginBase;
  virtual void write_profiles(const ProfileBatch &batch) = 0;
  // Called only with HALO_CAP_INCREMENTAL_DELIVERY, after start(): accept
  // the proposed mode, or answer kFull when changes cannot be applied now
  // (never kChanges to a kFull proposal; the SDK keeps kFull then).
  virtual DeliveryMode begin_delivery(DeliveryMode proposed) {
    (void)proposed;
    return DeliveryMode::kFull;
  }
  // In a kChanges delivery: profiles that no longer exist (ascending ids).
  virtual void remove_profiles(const uint64_t *ids, size_t count) {
    (void)ids;
    (void)count;
  }
  // A destination that also delivers outbox messages (ABI 1.2) declares
  //   void deliver_messages(const std::vector<Message> &m, const MessageResults &r);
  // and one whose receiver's reports must be asked for also
  //   void poll_receipts(const std::vector<SentMessage> &sent);
  // reporting what it learns with Reports::receipt; describe_destination
  // finds them.
};

// A destination that delivers outbox messages only (no write_profiles):
// report one outcome per message; never sleep or retry (the kernel does).
class MessageDestination : public PluginBase {
 public:
  using PluginBase::PluginBase;
  virtual void deliver_messages(const std::vector<Message> &messages,
                                const MessageResults &results) = 0;
};

// ---------------------------------------------------------------------------
// Adapters: C entry points that never let an exception escape.
// ---------------------------------------------------------------------------
namespace detail {

// The adapter's instance: the C++ object plus the host it needs to report.
template <class T>
struct Instance {
  T *object;
  Host host;
};

template <class T>
Instance<T> *self(halo_instance *inst) {
  return reinterpret_cast<Instance<T> *>(inst);
}

inline halo_status report(const Host &host, halo_status status, const char *what) {
  host.api()->set_error(host.context(), what);
  return status;
}

// Runs fn, translating every exception into a status and a message.
template <class Fn>
halo_status guarded(const Host &host, Fn &&fn) noexcept {
  try {
    fn();
    return HALO_OK;
  } catch (const ConfigError &e) {
    host.api()->config_error(host.context(), e.path().c_str(), e.what());
    return e.status();
  } catch (const Error &e) {
    return report(host, e.status(), e.what());
  } catch (const std::bad_alloc &) {
    return report(host, HALO_FATAL, "out of memory");
  } catch (const std::exception &e) {
    return report(host, HALO_ERROR, e.what());
  } catch (...) {
    return report(host, HALO_ERROR, "unknown exception in plugin");
  }
}

template <class T>
halo_status create(const halo_host_api *api, halo_context *ctx, halo_instance **out) {
  Host host(api, ctx);
  *out = nullptr;
  halo_status st = guarded(host, [&] {
    auto *inst = new Instance<T>{nullptr, host};
    try {
      inst->object = new T(host);
    } catch (...) {
      delete inst;
      throw;
    }
    *out = reinterpret_cast<halo_instance *>(inst);
  });
  // A constructor failure means the instance cannot exist at all.
  return st == HALO_OK ? st : (st == HALO_ERROR ? HALO_FATAL : st);
}

template <class T>
halo_status start(halo_instance *inst) {
  auto *s = self<T>(inst);
  return guarded(s->host, [&] { s->object->start(); });
}

template <class T>
halo_status stop(halo_instance *inst) {
  auto *s = self<T>(inst);
  return guarded(s->host, [&] { s->object->stop(); });
}

template <class T>
void destroy(halo_instance *inst) {
  auto *s = self<T>(inst);
  if (s == nullptr) return;
  try {
    delete s->object;
  } catch (...) {
    // A destructor that throws cannot be reported anywhere useful; the
    // instance is gone either way.
  }
  delete s;
}

template <class T>
halo_plugin_descriptor make_descriptor(halo_plugin_kind kind, const char *name, const char *version,
                                       const char *description, const halo_option_decl *options,
                                       uint32_t option_count, uint32_t capabilities,
                                       const void *vtable) {
  halo_plugin_descriptor d{};
  d.struct_size = sizeof(halo_plugin_descriptor);
  d.abi_major = HALO_ABI_MAJOR;
  d.abi_minor = HALO_ABI_MINOR;
  d.magic = halo_magic_block HALO_MAGIC_INIT;
  d.name = name;
  d.version = version;
  d.description = description;
  d.kind = kind;
  d.capabilities = capabilities;
  d.options = options;
  d.option_count = option_count;
  d.vtable = vtable;
  return d;
}

template <class T, class = void>
struct HasRestoreTimes : std::false_type {};
template <class T>
struct HasRestoreTimes<T, std::void_t<decltype(std::declval<T &>().restore_times(
                              static_cast<const int64_t *>(nullptr), size_t{}))>> : std::true_type {
};

// The resolver vtable's restore_times entry: T::restore_times behind the
// guard, or NULL without one.
template <class T>
constexpr halo_status (*restore_times_entry())(halo_instance *, const int64_t *, size_t) {
  if constexpr (HasRestoreTimes<T>::value) {
    return [](halo_instance *i, const int64_t *ms, size_t n) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] { s->object->restore_times(ms, n); });
    };
  } else {
    return nullptr;
  }
}

}  // namespace detail

#define HALO_SDK_LIFECYCLE(T, VT)                                                              \
  sizeof(VT), &::halo::detail::create<T>, &::halo::detail::start<T>, &::halo::detail::stop<T>, \
      &::halo::detail::destroy<T>

template <class T>
const halo_plugin_descriptor *describe_source(const char *name, const char *version,
                                              const char *description,
                                              const halo_option_decl *options,
                                              uint32_t option_count, uint32_t capabilities) {
  using namespace detail;
  static const halo_source_vtable vt{
      HALO_SDK_LIFECYCLE(T, halo_source_vtable),
      [](halo_instance *i, const char *d, size_t n) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->restore_cursor(std::string_view(d, n)); });
      },
      [](halo_instance *i, halo_sink *sink, uint32_t max) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->next_batch(Sink(s->host.api(), sink), max); });
      },
      [](halo_instance *i, const char **d, size_t *n) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] {
          std::string_view c = s->object->cursor();
          *d = c.data();
          *n = c.size();
        });
      },
      [](halo_instance *i) {
        auto *s = self<T>(i);
        (void)guarded(s->host, [&] { s->object->committed(); });
      }};
  static const halo_plugin_descriptor d = make_descriptor<T>(
      HALO_KIND_SOURCE, name, version, description, options, option_count, capabilities, &vt);
  return &d;
}

template <class T, size_t N>
const halo_plugin_descriptor *describe_source(const char *name, const char *version,
                                              const char *description,
                                              const halo_option_decl (&options)[N],
                                              uint32_t capabilities = HALO_CAP_CHECKPOINT) {
  return describe_source<T>(name, version, description, options, static_cast<uint32_t>(N),
                            capabilities);
}

template <class T>
const halo_plugin_descriptor *describe_resolver(const char *name, const char *version,
                                                const char *description,
                                                const halo_option_decl *options,
                                                uint32_t option_count, uint32_t capabilities) {
  using namespace detail;
  static const halo_resolver_vtable vt{
      HALO_SDK_LIFECYCLE(T, halo_resolver_vtable),
      [](halo_instance *i, const halo_identity_link *links, size_t n) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->restore(links, n); });
      },
      [](halo_instance *i, const halo_batch *b, halo_resolution *out) {
        auto *s = self<T>(i);
        const halo_host_api *api = s->host.api();
        return guarded(s->host, [&] { s->object->resolve(Batch(api, b), Resolution(api, out)); });
      },
      restore_times_entry<T>()};
  static const halo_plugin_descriptor d = make_descriptor<T>(
      HALO_KIND_RESOLVER, name, version, description, options, option_count, capabilities, &vt);
  return &d;
}

template <class T, size_t N>
const halo_plugin_descriptor *describe_resolver(const char *name, const char *version,
                                                const char *description,
                                                const halo_option_decl (&options)[N],
                                                uint32_t capabilities = 0) {
  return describe_resolver<T>(name, version, description, options, static_cast<uint32_t>(N),
                              capabilities);
}

namespace detail {

template <class T, class = void>
struct HasFit : std::false_type {};
template <class T>
struct HasFit<T, std::void_t<decltype(std::declval<T &>().fit(
                     int64_t{}, std::declval<const ModelWriter &>()))>> : std::true_type {};

// The vtable's fit entry: T::fit behind the guard, or NULL without one.
template <class T>
constexpr halo_status (*fit_entry())(halo_instance *, int64_t, halo_model_writer *) {
  if constexpr (HasFit<T>::value) {
    return [](halo_instance *i, int64_t as_of, halo_model_writer *w) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] { s->object->fit(as_of, ModelWriter(s->host.api(), w)); });
    };
  } else {
    return nullptr;
  }
}

template <class T, class = void>
struct HasDeliverMessages : std::false_type {};
template <class T>
struct HasDeliverMessages<
    T, std::void_t<decltype(std::declval<T &>().deliver_messages(
           std::declval<const std::vector<Message> &>(), std::declval<const MessageResults &>()))>>
    : std::true_type {};

template <class T, class = void>
struct HasPollReceipts : std::false_type {};
template <class T>
struct HasPollReceipts<T, std::void_t<decltype(std::declval<T &>().poll_receipts(
                              std::declval<const std::vector<SentMessage> &>()))>>
    : std::true_type {};

template <class T, class = void>
struct HasLoadModel : std::false_type {};
template <class T>
struct HasLoadModel<T, std::void_t<decltype(std::declval<T &>().load_model(std::string_view{}))>>
    : std::true_type {};

// The vtable's load_model entry: T::load_model behind the guard, or NULL.
template <class T>
constexpr halo_status (*load_model_entry())(halo_instance *, const void *, size_t) {
  if constexpr (HasLoadModel<T>::value) {
    return [](halo_instance *i, const void *data, size_t len) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] {
        s->object->load_model(std::string_view(static_cast<const char *>(data), len));
      });
    };
  } else {
    return nullptr;
  }
}

template <class T, class = void>
struct HasDescribeFeatures : std::false_type {};
template <class T>
struct HasDescribeFeatures<T, std::void_t<decltype(std::declval<T &>().describe_features(
                                  std::declval<const FeatureWriter &>()))>> : std::true_type {};

// The vtable's describe_features entry: T::describe_features behind the
// guard, or NULL without one.
template <class T>
constexpr halo_status (*describe_features_entry())(halo_instance *, halo_feature_writer *) {
  if constexpr (HasDescribeFeatures<T>::value) {
    return [](halo_instance *i, halo_feature_writer *w) {
      auto *s = self<T>(i);
      return guarded(s->host,
                     [&] { s->object->describe_features(FeatureWriter(s->host.api(), w)); });
    };
  } else {
    return nullptr;
  }
}

}  // namespace detail

template <class T>
const halo_plugin_descriptor *describe_feature(const char *name, const char *version,
                                               const char *description,
                                               const halo_option_decl *options,
                                               uint32_t option_count, uint32_t capabilities) {
  using namespace detail;
  static const halo_feature_vtable vt{
      HALO_SDK_LIFECYCLE(T, halo_feature_vtable),
      [](halo_instance *i, const halo_state_row *rows, size_t n) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->restore(rows, n); });
      },
      [](halo_instance *i, const halo_batch *b, const uint64_t *ids) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->update(Batch(s->host.api(), b), ids); });
      },
      [](halo_instance *i, uint64_t from, uint64_t into) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->merge(from, into); });
      },
      [](halo_instance *i, halo_state_writer *w) {
        auto *s = self<T>(i);
        return guarded(s->host, [&] { s->object->save_dirty(StateWriter(s->host.api(), w)); });
      },
      [](halo_instance *i, uint64_t pid, int64_t as_of, halo_feature_writer *w) {
        auto *s = self<T>(i);
        return guarded(s->host,
                       [&] { s->object->emit(pid, as_of, FeatureWriter(s->host.api(), w)); });
      },
      fit_entry<T>(),
      load_model_entry<T>(),
      describe_features_entry<T>()};
  static const halo_plugin_descriptor d = make_descriptor<T>(
      HALO_KIND_FEATURE, name, version, description, options, option_count, capabilities, &vt);
  return &d;
}

template <class T, size_t N>
const halo_plugin_descriptor *describe_feature(const char *name, const char *version,
                                               const char *description,
                                               const halo_option_decl (&options)[N],
                                               uint32_t capabilities = 0) {
  return describe_feature<T>(name, version, description, options, static_cast<uint32_t>(N),
                             capabilities);
}

namespace detail {

// The destination vtable's entries for T: those of Destination (profiles)
// when T is one, deliver_messages and poll_receipts when T declares them; NULL otherwise.
template <class T>
halo_destination_vtable destination_entries() {
  halo_destination_vtable vt{};
  if constexpr (std::is_base_of_v<Destination, T>) {
    vt.write_profiles = [](halo_instance *i, const halo_profile_batch *b) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] { s->object->write_profiles(ProfileBatch(s->host.api(), b)); });
    };
    vt.begin_delivery = [](halo_instance *i, int32_t *mode) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] {
        DeliveryMode answer = s->object->begin_delivery(static_cast<DeliveryMode>(*mode));
        if (*mode == HALO_DELIVERY_CHANGES) *mode = static_cast<int32_t>(answer);
      });
    };
    vt.remove_profiles = [](halo_instance *i, const uint64_t *ids, size_t count) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] { s->object->remove_profiles(ids, count); });
    };
  }
  if constexpr (HasDeliverMessages<T>::value) {
    vt.deliver_messages = [](halo_instance *i, const halo_message *const *m, size_t n,
                             halo_message_delivery *d) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] {
        std::vector<Message> messages;
        messages.reserve(n);
        auto view = [](const char *p, size_t len) { return std::string_view(p ? p : "", len); };
        for (size_t k = 0; k < n; ++k) {
          const halo_message &h = *m[k];
          const bool has_unsubscribe =
              h.struct_size >=
              offsetof(halo_message, unsubscribe_url_len) + sizeof h.unsubscribe_url_len;
          messages.push_back(
              {h.id, h.profile_id, h.attempt, view(h.idempotency_key, h.idempotency_key_len),
               view(h.trigger, h.trigger_len), view(h.channel, h.channel_len),
               view(h.recipient, h.recipient_len), view(h.template_name, h.template_name_len),
               view(h.subject, h.subject_len), view(h.text, h.text_len), view(h.html, h.html_len),
               view(h.variables_json, h.variables_json_len),
               has_unsubscribe ? view(h.unsubscribe_url, h.unsubscribe_url_len)
                               : std::string_view()});
        }
        s->object->deliver_messages(messages, MessageResults(s->host.api(), d));
      });
    };
  }
  if constexpr (HasPollReceipts<T>::value) {
    vt.poll_receipts = [](halo_instance *i, const halo_sent_message *const *m, size_t n) {
      auto *s = self<T>(i);
      return guarded(s->host, [&] {
        std::vector<SentMessage> sent;
        sent.reserve(n);
        auto view = [](const char *p, size_t len) { return std::string_view(p ? p : "", len); };
        for (size_t k = 0; k < n; ++k) {
          const halo_sent_message &h = *m[k];
          sent.push_back({h.id, h.polls, view(h.provider_id, h.provider_id_len),
                          view(h.recipient, h.recipient_len), h.sent_at_ms});
        }
        s->object->poll_receipts(sent);
      });
    };
  }
  return vt;
}

}  // namespace detail

template <class T>
const halo_plugin_descriptor *describe_destination(const char *name, const char *version,
                                                   const char *description,
                                                   const halo_option_decl *options,
                                                   uint32_t option_count, uint32_t capabilities) {
  using namespace detail;
  static const halo_destination_vtable vt = [] {
    halo_destination_vtable v = destination_entries<T>();
    v.struct_size = sizeof(halo_destination_vtable);
    v.create = &create<T>;
    v.start = &start<T>;
    v.stop = &stop<T>;
    v.destroy = &destroy<T>;
    return v;
  }();
  static const halo_plugin_descriptor d = make_descriptor<T>(
      HALO_KIND_DESTINATION, name, version, description, options, option_count, capabilities, &vt);
  return &d;
}

template <class T, size_t N>
const halo_plugin_descriptor *describe_destination(const char *name, const char *version,
                                                   const char *description,
                                                   const halo_option_decl (&options)[N],
                                                   uint32_t capabilities = 0) {
  return describe_destination<T>(name, version, description, options, static_cast<uint32_t>(N),
                                 capabilities);
}

// The pointer + count forms above take every argument, so a call with an
// option array and capabilities is never ambiguous with them.

// Option tables. One row per option, the default written only here: the
// host hands it to the plugin when the key is absent, so the plugin reads
// options with Host::int_option() & co. and never repeats it.
//
//   static const char *const kModes[] = {"pull", "webhook"};
//   static const halo_option_decl kOptions[] = {
//       halo::one_of(halo::option(HALO_OPT_STRING, "mode", "pull", false, "How"), kModes),
//       halo::within(halo::option(HALO_OPT_INT, "per_page", "100", false, "Page"), "1", "100"),
//       halo::within(halo::option(HALO_OPT_DURATION, "timeout", "30s", false, "Per call"),
//                    "1s", "10m"),
//   };
constexpr halo_option_decl option(halo_option_type type, const char *name,
                                  const char *default_value, bool required, const char *description,
                                  bool secret = false) {
  return halo_option_decl{sizeof(halo_option_decl),
                          static_cast<uint32_t>(type),
                          name,
                          default_value,
                          required ? 1 : 0,
                          secret ? 1 : 0,
                          description,
                          nullptr,
                          nullptr,
                          nullptr,
                          0};
}

// `decl` with inclusive bounds in its own text form (nullptr = open end);
// INT, FLOAT, DURATION and SIZE options (ABI 1.2).
constexpr halo_option_decl within(halo_option_decl decl, const char *min_value,
                                  const char *max_value) {
  decl.min_value = min_value;
  decl.max_value = max_value;
  return decl;
}

// `decl` accepting only `values` (STRING, or each item of a STRING_LIST;
// ABI 1.2). `values` must have static storage duration.
template <size_t N>
constexpr halo_option_decl one_of(halo_option_decl decl, const char *const (&values)[N]) {
  decl.allowed_values = values;
  decl.allowed_count = static_cast<uint32_t>(N);
  return decl;
}

}  // namespace halo

// Exports the library's one entry symbol listing its plugins, e.g.
//   HALO_PLUGIN_LIBRARY(halo::describe_source<A>(...), halo::describe_feature<B>(...))
#define HALO_PLUGIN_LIBRARY(...)                                                                   \
  extern "C" HALO_EXPORT const halo_plugin_descriptor *const *halo_plugin_entry(uint32_t *count) { \
    static const halo_plugin_descriptor *const list[] = {__VA_ARGS__};                             \
    *count = static_cast<uint32_t>(sizeof(list) / sizeof(list[0]));                                \
    return list;                                                                                   \
  }

#endif  // HALO_SDK_HPP
