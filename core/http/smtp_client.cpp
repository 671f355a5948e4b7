// smtp_client.cpp -- see smtp_client.h.
#include "http/smtp_client.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/secrets.h"
#include "http/curl_tls.h"
#include "http/libcurl.h"

namespace halo {
namespace {

constexpr size_t kMaxAddressBytes = 320;  // RFC 3696 errata: 64 + 1 + 255

struct Session {
  const SmtpCall *call;
  const std::function<bool()> *cancelled;
  size_t sent = 0;  // bytes of call->data handed to libcurl
  // The server's last reply line before QUIT: libcurl ends every session
  // with QUIT, whose "221 Bye" would otherwise hide the reply that counts
  // (the queue id after DATA, or the refusal of RCPT).
  std::string last_reply;
};

size_t read_data(char *buffer, size_t size, size_t n, void *user) {
  auto *s = static_cast<Session *>(user);
  const size_t left = s->call->data.size() - s->sent;
  const size_t take = std::min(left, size * n);
  std::memcpy(buffer, s->call->data.data() + s->sent, take);
  s->sent += take;
  return take;
}

// Replies arrive as CURLINFO_HEADER_IN debug data, one or more lines.
int on_debug(CURL *, curl_infotype type, char *data, size_t size, void *user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto *s = static_cast<Session *>(user);
  std::string_view text(data, size);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  const size_t last_line = text.rfind('\n');
  if (last_line != std::string_view::npos) text.remove_prefix(last_line + 1);
  if (!text.empty() && !text.starts_with("221")) s->last_reply.assign(text.substr(0, 512));
  return 0;
}

bool is_address(const std::string &a) {
  if (a.empty() || a.size() > kMaxAddressBytes || a.find('@') == std::string::npos) return false;
  return std::none_of(a.begin(), a.end(), [](char c) {
    return c == '<' || c == '>' || c == '\r' || c == '\n' || c == '\0' || c == ' ';
  });
}

// 530, 534, 535, 538: authentication required, too weak, refused, or
// needing encryption (RFC 4954) -- a set-up problem, not the message's.
bool is_auth_reply(long code) {
  return code == 530 || code == 534 || code == 535 || code == 538;
}

// kNever: a connection of its own, closed after the message. kKeepOpen:
// the connection of the handle's last message if libcurl finds it alive,
// left open for the next. kFresh: a new connection, left open.
enum class Reuse { kNever, kKeepOpen, kFresh };

void set_session(CURL *h, const SmtpCall &call, Session &s, curl_slist *recipients, Reuse reuse) {
  set_mail_session(h, call.url, "smtp,smtps", call.timeout_ms, call.plaintext, call.username,
                   call.password);
  libcurl().easy_setopt(h, CURLOPT_FORBID_REUSE, reuse == Reuse::kNever ? 1L : 0L);
  libcurl().easy_setopt(h, CURLOPT_FRESH_CONNECT, reuse == Reuse::kKeepOpen ? 0L : 1L);
  libcurl().easy_setopt(h, CURLOPT_MAIL_FROM, ("<" + call.mail_from + ">").c_str());
  libcurl().easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  libcurl().easy_setopt(h, CURLOPT_UPLOAD, 1L);
  libcurl().easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(call.data.size()));
  libcurl().easy_setopt(h, CURLOPT_READFUNCTION, read_data);
  libcurl().easy_setopt(h, CURLOPT_READDATA, &s);
  libcurl().easy_setopt(h, CURLOPT_VERBOSE, 1L);  // feeds on_debug the replies
  libcurl().easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  libcurl().easy_setopt(h, CURLOPT_DEBUGDATA, &s);
  set_cancel_check(h, s.cancelled);
}

SmtpOutcome::Kind failure_kind(CURLcode code, long reply_code) {
  using Kind = SmtpOutcome::Kind;
  if (is_setup_failure(code) || is_auth_reply(reply_code)) return Kind::kFatal;
  if (code == CURLE_ABORTED_BY_CALLBACK) return Kind::kTransient;
  if (reply_code >= 500 && reply_code <= 599) return Kind::kRefused;
  return Kind::kTransient;  // 4xx, or no reply at all
}

}  // namespace

std::string validate_smtp_call(const SmtpCall &call) {
  if (!call.url.starts_with("smtp://") && !call.url.starts_with("smtps://")) {
    return "url: must be smtp://host[:port] (STARTTLS) or smtps://host[:port] (TLS)";
  }
  if (!is_address(call.mail_from)) return "mail_from: not an address (local@domain, no <>)";
  if (call.recipients.empty() || call.recipients.size() > kMaxSmtpRecipients) {
    return "recipients: 1 to " + std::to_string(kMaxSmtpRecipients) + " addresses";
  }
  for (const std::string &r : call.recipients) {
    if (!is_address(r)) return "recipients: '" + r.substr(0, 80) + "' is not an address";
  }
  if (call.data.empty() || call.data.size() > kMaxSmtpMessageBytes) {
    return "data: 1 byte to " + std::to_string(kMaxSmtpMessageBytes >> 20) + " MiB";
  }
  if (call.timeout_ms <= 0) return "timeout_ms: must be positive";
  return "";
}

namespace {

// One attempt on `handle` (its options set afresh); *fresh says whether it
// opened a connection.
SmtpOutcome attempt(CURL *handle, const SmtpCall &call, const std::function<bool()> &cancelled,
                    Reuse reuse, bool *fresh) {
  SmtpOutcome out;
  libcurl().easy_reset(handle);  // keeps the open connection (libcurl's connection cache)
  curl_slist *list = nullptr;
  for (const std::string &r : call.recipients)
    list = libcurl().slist_append(list, ("<" + r + ">").c_str());
  Slist recipients(list);
  Session s{&call, &cancelled, 0, {}};
  char errbuf[CURL_ERROR_SIZE] = {0};
  libcurl().easy_setopt(handle, CURLOPT_ERRORBUFFER, errbuf);
  set_session(handle, call, s, recipients.get(), reuse);
  ExtraCa ca;
  set_tls(handle, call.insecure, call.ca_file, ca);

  const CURLcode code = libcurl().easy_perform(handle);
  long reply_code = 0, connects = 0;
  libcurl().easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply_code);
  libcurl().easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &connects);
  *fresh = connects > 0;
  out.reply_code = static_cast<int>(reply_code);
  if (code == CURLE_OK) {
    out.kind = SmtpOutcome::Kind::kAccepted;
    out.reply = s.last_reply;
    return out;
  }
  out.kind = failure_kind(code, reply_code);
  std::string error = code == CURLE_SSL_CACERT_BADFILE ? ca_file_error(ca)
                      : code == CURLE_ABORTED_BY_CALLBACK
                          ? std::string("cancelled because the run is stopping")
                          : std::string(errbuf[0] ? errbuf : libcurl().easy_strerror(code));
  if (!s.last_reply.empty() && reply_code != 0) error += " (server: " + s.last_reply + ")";
  out.reply = call.password.empty() ? error : mask_values(error, {call.password});
  return out;
}

constexpr const char *kNoHandle = "cannot create a libcurl handle (out of memory?)";

SmtpOutcome refuse(std::string why) {
  SmtpOutcome out;
  out.kind = SmtpOutcome::Kind::kFatal;
  out.reply = "smtp_send: " + why;
  return out;
}

}  // namespace

SmtpOutcome send_smtp(const SmtpCall &call, const std::function<bool()> &cancelled) {
  if (std::string bad = validate_smtp_call(call); !bad.empty()) return refuse(std::move(bad));
  if (Status loaded = load_libcurl(); !loaded.ok()) return refuse(loaded.message());
  EasyHandle handle(libcurl().easy_init());
  if (!handle) return {SmtpOutcome::Kind::kTransient, 0, kNoHandle};
  bool fresh = false;
  return attempt(handle.get(), call, cancelled, Reuse::kNever, &fresh);
}

SmtpConnection::SmtpConnection() = default;

SmtpConnection::~SmtpConnection() {
  if (handle_ != nullptr) libcurl().easy_cleanup(handle_);  // QUIT, then close
}

SmtpOutcome SmtpConnection::send(const SmtpCall &call, const std::function<bool()> &cancelled) {
  if (std::string bad = validate_smtp_call(call); !bad.empty()) return refuse(std::move(bad));
  if (Status loaded = load_libcurl(); !loaded.ok()) return refuse(loaded.message());
  if (handle_ == nullptr) handle_ = libcurl().easy_init();
  if (handle_ == nullptr) return {SmtpOutcome::Kind::kTransient, 0, kNoHandle};
  bool fresh = false;
  SmtpOutcome out = attempt(handle_, call, cancelled, Reuse::kKeepOpen, &fresh);
  connections_ += fresh ? 1 : 0;
  // A kept connection the server dropped without a word (no reply came,
  // so nothing was accepted): the message goes once more, on a new one.
  if (!fresh && out.kind == SmtpOutcome::Kind::kTransient && out.reply_code == 0 &&
      !(cancelled && cancelled())) {
    out = attempt(handle_, call, cancelled, Reuse::kFresh, &fresh);
    connections_ += fresh ? 1 : 0;
  }
  return out;
}

}  // namespace halo
