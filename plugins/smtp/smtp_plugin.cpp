// smtp_plugin.cpp -- the SDK adapter of the `smtp` destination: declares
// the options, composes each outbox message as an Internet message
// (mail_message.h) and hands the batch to the host's SMTP client (several
// sessions at once), reporting one outcome per message. It never sleeps or retries: the kernel
// schedules retries (docs/messages.md).
#include <halo/sdk.hpp>

#include <iterator>
#include <optional>
#include <vector>

#include "common/message_verdict.h"
#include "hard_bounce.h"
#include "mail_message.h"

namespace halo::plugins::smtp {
namespace {

MailSettings settings_of(const halo::Host &host) {
  MailSettings s;
  s.from_address = address_option(host, "from", true);
  s.from_name = host.opt_string_or("from_name", "");
  s.reply_to = address_option(host, "reply_to", false);
  s.unsubscribe_mailto = address_option(host, "unsubscribe_mailto", false);
  return s;
}

class SmtpDestination : public halo::MessageDestination {
 public:
  explicit SmtpDestination(halo::Host host)
      : halo::MessageDestination(host), settings_(settings_of(host)) {
    server_.url = host.string_option("url");
    if (!server_.url.starts_with("smtp://") && !server_.url.starts_with("smtps://")) {
      throw halo::ConfigError("url",
                              "must be smtp://host[:port] (STARTTLS) or smtps://host[:port]");
    }
    server_.username = host.opt_string_or("username", "");
    server_.password = host.opt_string_or("password", "");
    server_.ca_file = host.opt_string_or("ca_file", "");
    server_.insecure = host.bool_option("insecure");
    server_.plaintext = host.bool_option("plaintext");
    server_.timeout_ms = static_cast<int>(host.duration_option("timeout").count());
    server_.mail_from = settings_.from_address;
  }

  // Every message whose recipient the destination can take goes to the
  // server, up to the destination's `concurrency` sessions at once
  // (host smtp_send_many); the first goes alone, so a set-up no message
  // can get past (a refused login) costs one session, not a batch's worth.
  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    std::vector<std::optional<Verdict>> verdicts(messages.size());
    std::vector<size_t> sending;
    std::vector<halo::SmtpRequest> requests;
    for (size_t i = 0; i < messages.size(); ++i) {
      verdicts[i] = refusal(messages[i]);
      if (verdicts[i]) continue;
      sending.push_back(i);
      requests.push_back(request_for(messages[i]));
    }
    const Verdict *fatal = nullptr;
    auto send = [&](size_t begin, size_t end) {
      std::vector<halo::SmtpRequest> part(std::make_move_iterator(requests.begin() + begin),
                                          std::make_move_iterator(requests.begin() + end));
      std::vector<halo::SmtpReply> replies = host().smtp_many(part);
      for (size_t k = begin; k < end; ++k) {
        Verdict &v = *(verdicts[sending[k]] = verdict_of(std::move(replies[k - begin])));
        if (!fatal && v.kind == Verdict::Kind::kFatal) fatal = &v;
      }
    };
    if (!sending.empty()) send(0, 1);
    if (!fatal && sending.size() > 1) send(1, sending.size());
    for (size_t i = 0; i < messages.size(); ++i) {
      if (verdicts[i]) {
        report(*verdicts[i], i, results);
      } else {
        results.retry(i, fatal->detail);  // not sent: the first answer was fatal
      }
    }
    if (fatal) throw halo::Error("smtp: " + fatal->detail, HALO_FATAL);
  }

 private:
  // Why the message cannot go to this destination at all, if it cannot.
  static std::optional<Verdict> refusal(const halo::Message &m) {
    using Kind = Verdict::Kind;
    if (m.channel != "email") {
      return Verdict{Kind::kFailed,
                     "the smtp destination sends email only, not '" + std::string(m.channel) + "'",
                     0};
    }
    if (!is_bare_address(m.recipient)) {
      return Verdict{Kind::kFailed,
                     "invalid recipient address '" + std::string(m.recipient.substr(0, 80)) + "'",
                     0};
    }
    return std::nullopt;
  }

  halo::SmtpRequest request_for(const halo::Message &m) const {
    halo::SmtpRequest request = server_;
    request.recipients = {std::string(m.recipient)};
    request.data = compose_message(settings_, m, host().now_ms() / 1000);
    return request;
  }

  static Verdict verdict_of(halo::SmtpReply reply) {
    using Kind = Verdict::Kind;
    const Kind kind =
        reply.status == HALO_OK ? Kind::kSent
        : reply.status == HALO_ERROR
            ? (is_hard_bounce(reply.code, reply.text) ? Kind::kBounced : Kind::kFailed)
        : reply.status == HALO_FATAL ? Kind::kFatal
                                     : Kind::kRetry;
    return {kind, std::move(reply.text), 0};
  }

  MailSettings settings_;
  halo::SmtpRequest server_;
};

}  // namespace
}  // namespace halo::plugins::smtp

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "url", nullptr, true,
                 "The server: smtp://host:587 (STARTTLS required) or smtps://host:465 (TLS)"),
    halo::option(HALO_OPT_STRING, "from", nullptr, true,
                 "Sender address (From and MAIL FROM), e.g. news@shop.example"),
    halo::option(HALO_OPT_STRING, "from_name", nullptr, false,
                 "Sender display name; any language (RFC 2047 encoded when not ASCII)"),
    halo::option(HALO_OPT_STRING, "reply_to", nullptr, false, "Reply-To address"),
    halo::option(HALO_OPT_STRING, "username", nullptr, false, "AUTH user; none = no AUTH"),
    halo::option(HALO_OPT_STRING, "password", nullptr, false, "AUTH password; use \"${ENV_VAR}\"",
                 true),
    halo::within(halo::option(HALO_OPT_DURATION, "timeout", "30s", false,
                              "Longest SMTP session for one message"),
                 "1s", "5m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in)"),
    halo::option(HALO_OPT_BOOL, "plaintext", "false", false,
                 "smtp:// without STARTTLS (only for a relay on this machine)"),
    halo::option(HALO_OPT_STRING, "unsubscribe_mailto", nullptr, false,
                 "List-Unsubscribe mailto: address"),
};

HALO_PLUGIN_LIBRARY(halo::describe_destination<halo::plugins::smtp::SmtpDestination>(
    "smtp", "1.0.0", "Delivers outbox email messages over SMTP (STARTTLS or TLS, AUTH, MIME)",
    kOptions, std::size(kOptions), 0))
