// report_desk.cpp -- see report_desk.h.
#include "consent/report_desk.h"

#include "common/log.h"
#include "normalize/identifiers.h"
#include "pipeline/channel_address.h"

namespace halo::consent {

ReportDesk::ReportDesk(std::vector<IdentifierSpec> identifiers, StoreOpener open)
    : identifiers_(std::move(identifiers)), open_(std::move(open)) {}

Status add_consent_once(Store &store, const ConsentRecord &record) {
  auto latest = store.latest_consent(record.channel, record.address);
  if (!latest.ok()) return latest.status();
  if (*latest && (*latest)->opted_in == record.opted_in) return Status::Ok();
  return store.add_consent(record);
}

ReportAnswer ReportDesk::write(const char *what,
                               const std::function<Result<bool>(Store &)> &change) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!store_) {
    auto opened = open_();
    if (!opened.ok()) {
      log_warn("reports", std::string(what) + " not recorded yet: " + opened.status().message());
      return ReportAnswer::kBusy;
    }
    store_ = std::move(opened).value();
  }
  Status s = store_->begin();
  bool accepted = true;
  if (s.ok()) {
    auto r = change(*store_);
    if (r.ok()) {
      accepted = *r;
    } else {
      s = r.status();
    }
  }
  if (s.ok() && accepted) s = store_->commit();
  if (s.ok() && accepted) return ReportAnswer::kRecorded;
  if (store_->in_transaction()) (void)store_->rollback();
  if (!s.ok()) {
    log_warn("reports", std::string(what) + " not recorded yet: " + s.message());
    return ReportAnswer::kBusy;
  }
  return ReportAnswer::kRefused;
}

ReportAnswer ReportDesk::receipt(const ReceiptReport &report) {
  return write("a delivery report", [&](Store &store) -> Result<bool> {
    auto found = store.message_by_id(report.message_id);
    if (!found.ok()) return found.status();
    const std::optional<OutboxMessage> &m = *found;
    if (!m || m->destination != report.destination) return false;
    auto recorded = store.add_receipt(m->id, {report.status, report.detail, report.at_ms});
    if (!recorded.ok()) return recorded.status();
    // A bounce or complaint suppresses the address it went to, as the
    // same outcome at sending does (docs/consent.md).
    const bool suppresses = report.status == "bounced" || report.status == "complained";
    if (*recorded && suppresses && !m->recipient.empty()) {
      ConsentRecord r;
      r.channel = m->channel;
      r.address = m->recipient;
      r.opted_in = false;
      r.reason = report.status == "bounced" ? "bounce" : "complaint";
      r.source = "destination " + report.destination + " (delivery report)";
      r.proof = "message " + std::to_string(m->id) + ": " + report.detail;
      r.at_ms = report.at_ms;
      if (Status s = add_consent_once(store, r); !s.ok()) return s;
    }
    return true;
  });
}

std::optional<std::string> ReportDesk::normalized(std::string_view channel,
                                                  std::string_view raw) const {
  const std::string_view type = channel_address_type(channel);
  if (type.empty()) return std::nullopt;
  for (const IdentifierSpec &spec : identifiers_) {
    if (spec.type == type) {
      return normalize_identifier(identifier_kind(spec.kind), raw, spec.default_region);
    }
  }
  return normalize_identifier(identifier_kind(type), raw, IdentifierSpec{}.default_region);
}

ReportAnswer ReportDesk::consent(const ConsentReport &report) {
  std::optional<std::string> address = normalized(report.channel, report.address);
  if (!address) return ReportAnswer::kRefused;
  return write("a consent report", [&](Store &store) -> Result<bool> {
    ConsentRecord r;
    r.channel = report.channel;
    r.address = *address;
    r.opted_in = report.opted_in;
    r.reason = report.reason;
    r.source = report.source;
    r.proof = report.proof;
    r.at_ms = report.at_ms;
    if (Status s = add_consent_once(store, r); !s.ok()) return s;
    return true;
  });
}

}  // namespace halo::consent
