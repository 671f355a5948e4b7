// unsubscribe_desk.cpp -- the unsubscribe route's answers (see
// unsubscribe_desk.h).
#include "consent/unsubscribe_desk.h"

#include <utility>

#include "common/clock.h"
#include "common/log.h"
#include "consent/unsubscribe_link.h"

namespace halo::consent {

namespace {

constexpr int kBusyRetrySeconds = 30;

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A small page; `body` is HTML the caller escaped. dir="auto" lets a
// right-to-left address or text render in its own direction.
ServerResponse page(int status, std::string_view title, std::string_view body) {
  ServerResponse r;
  r.status = status;
  r.set_header("Content-Type", "text/html; charset=utf-8");
  r.set_header("Cache-Control", "no-store");
  r.set_header("Referrer-Policy", "no-referrer");  // the link carries its token
  r.body =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>" +
      html_escape(title) + "</title></head><body dir=\"auto\"><h1>" + html_escape(title) + "</h1>" +
      std::string(body) + "</body></html>\n";
  return r;
}

ServerResponse invalid_link() {
  return page(403, "This unsubscribe link is not valid",
              "<p>Copy the whole link from the message, or use the link of a more recent "
              "message.</p>");
}

ServerResponse busy() {
  ServerResponse r =
      page(503, "Please try again in a moment", "<p>Your request was not recorded yet.</p>");
  r.set_header("Retry-After", std::to_string(kBusyRetrySeconds));
  return r;
}

std::string channel_words(std::string_view channel) {
  if (channel == "email") return "emails";
  if (channel == "sms") return "text messages";
  return std::string(channel) + " messages";
}

}  // namespace

std::string masked_address(std::string_view channel, std::string_view address) {
  std::string out(address);
  if (channel == "email") {
    const size_t at = out.rfind('@');
    if (at == std::string::npos) return std::string(out.size(), '*');
    for (size_t i = 1; i < at; ++i) out[i] = '*';
    return out;
  }
  // A phone: its first three and last three characters.
  for (size_t i = 3; i + 3 < out.size(); ++i) out[i] = '*';
  return out;
}

UnsubscribeDesk::UnsubscribeDesk(UnsubscribeConfig config, StoreOpener open)
    : config_(std::move(config)), open_(std::move(open)) {}

Status UnsubscribeDesk::ensure_store() {
  if (store_) return Status::Ok();
  auto opened = open_();
  if (!opened.ok()) return opened.status();
  store_ = std::move(opened).value();
  return Status::Ok();
}

ServerResponse UnsubscribeDesk::handle(const ServerRequest &request) {
  std::optional<LinkParams> link = parse_link_query(request.query);
  if (!link) return invalid_link();
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status s = ensure_store(); !s.ok()) {
    log_warn("unsubscribe", s.message());
    return busy();
  }
  auto found = store_->message_by_id(link->message_id);
  if (!found.ok()) {
    log_warn("unsubscribe", found.status().message());
    return busy();
  }
  // Unknown message, not yet handed over, or a wrong token: one answer.
  const std::optional<OutboxMessage> &m = *found;
  if (!m || m->recipient.empty() || !token_valid(config_.secret, *link, m->channel, m->recipient)) {
    return invalid_link();
  }
  if (request.method == "POST") return opt_out(*m, request);
  const std::string who =
      "<strong>" + html_escape(masked_address(m->channel, m->recipient)) + "</strong>";
  const std::string action = html_escape(request.path + "?" + request.query);
  return page(200, "Unsubscribe",
              "<p>Stop sending " + channel_words(m->channel) + " to " + who +
                  "?</p><form method=\"post\" action=\"" + action +
                  "\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                  "<button type=\"submit\">Unsubscribe</button></form>");
}

ServerResponse UnsubscribeDesk::opt_out(const OutboxMessage &m, const ServerRequest &request) {
  const std::string done = "<p>" + html_escape(masked_address(m.channel, m.recipient)) +
                           " will get no more " + channel_words(m.channel) + ".</p>";
  Status s = store_->begin();
  std::optional<ConsentRecord> latest;
  if (s.ok()) {
    auto read = store_->latest_consent(m.channel, m.recipient);
    s = read.status();
    if (read.ok()) latest = *read;
  }
  if (s.ok() && (!latest || latest->opted_in)) {
    ConsentRecord r;
    r.channel = m.channel;
    r.address = m.recipient;
    r.opted_in = false;
    r.reason = "unsubscribe_link";
    r.source = request.body.find("One-Click") != std::string::npos
                   ? "halo serve (one-click unsubscribe)"
                   : "halo serve (unsubscribe link)";
    r.proof = "message " + std::to_string(m.id) + " (" + m.idempotency_key + ")";
    r.at_ms = wall_ms();
    s = store_->add_consent(r);
  }
  if (s.ok()) s = store_->commit();
  if (!s.ok()) {
    if (store_->in_transaction()) (void)store_->rollback();
    log_warn("unsubscribe", s.message());
    return busy();
  }
  return page(200, "You are unsubscribed", done);
}

}  // namespace halo::consent
