// delivery_report_fuzz.cpp -- a bounce mailbox holds whatever anyone mailed
// to the sender address (plugins/mail-bounces/delivery_report.h). For any
// bytes the reader returns nothing or at most kMaxRecipients recipients,
// each with an address holding '@', an action, valid UTF-8 values within
// kMaxValueBytes, `hard` only on a failure; the events are valid JSON.
// The same bytes are read as an IMAP or POP3 server's answers too.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/json_text.h"
#include "delivery_report.h"
#include "mailbox_answers.h"
#include "report_events.h"

// The same bytes as an IMAP or POP3 server's answers (mailbox_answers.h):
// never a crash, a refusal always says why, what is read keeps its limits.
static void check_mailbox_answers(std::string_view answer) {
  using namespace halo::plugins::mail_bounces;
  std::string why;
  if (!read_imap_status(answer, why) && why.empty()) std::abort();
  why.clear();
  if (auto mails = read_imap_sizes(answer, why)) {
    for (size_t i = 0; i < mails->size(); ++i) {
      if ((*mails)[i].number == 0 || (i > 0 && (*mails)[i - 1].number >= (*mails)[i].number)) {
        std::abort();
      }
    }
  } else if (why.empty()) {
    std::abort();
  }
  why.clear();
  const size_t half = answer.size() / 2;
  if (auto mails = read_pop3_listing(answer.substr(0, half), answer.substr(half), why)) {
    for (const ListedMail &m : *mails) {
      if (m.uidl.empty() || m.uidl.size() > kMaxUidlBytes) std::abort();
    }
  } else if (why.empty()) {
    std::abort();
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::plugins;
  using namespace halo::plugins::mail_bounces;
  const std::string_view mail(reinterpret_cast<const char *>(data), size);
  std::string why;
  check_mailbox_answers(mail);
  const auto report = read_delivery_report(mail, why);
  if (!report) {
    if (why.empty()) std::abort();
    return 0;
  }
  if (report->recipients.empty() || report->recipients.size() > kMaxRecipients) std::abort();
  for (const RecipientStatus &r : report->recipients) {
    if (r.address.find('@') == std::string::npos || r.action.empty()) std::abort();
    if (r.hard && r.action != "failed") std::abort();
    for (const std::string *v : {&r.address, &r.action, &r.status, &r.diagnostic, &r.remote_mta}) {
      if (v->size() > kMaxValueBytes || !is_valid_utf8(*v)) std::abort();
    }
  }
  for (const std::string &e : report_events(*report, mail)) {
    if (!is_valid_json(e)) std::abort();
  }
  return 0;
}
