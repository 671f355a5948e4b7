// report_desk.h -- what receivers report after a message left, recorded
// for the destinations' route handlers (plugin.h: delivery_receipt,
// consent_record; docs/messages.md "Delivery reports", docs/consent.md):
//
//   receipt  the message's weightiest report (store.h DeliveryReceipt); a
//            bounce or complaint also opts the address out of the channel
//            in the consent ledger, in the same transaction;
//   consent  an opt-in or opt-out (an SMS "STOP" reply), the address
//            normalized as the pipeline stores the channel's identifier.
//
// Invariants: a report for a message of another destination, or an
// unknown one, records nothing; a report is committed before kRecorded
// is answered, and a busy store answers kBusy, never a lost report; an
// address whose latest record already says the same gets no new record.
// Thread-safe: one report at a time, on the desk's own store connection
// beside the pipeline's writer, opened at the first report.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "config/pipeline_config.h"
#include "consent/unsubscribe_desk.h"
#include "plugin_host/report_sink.h"

namespace halo::consent {

class ReportDesk final : public ReportSink {
 public:
  ReportDesk(std::vector<IdentifierSpec> identifiers, StoreOpener open);

  ReportAnswer receipt(const ReceiptReport &report) override;
  ReportAnswer consent(const ConsentReport &report) override;

 private:
  // Runs `change` in one transaction on the desk's store.
  ReportAnswer write(const char *what, const std::function<Result<bool>(Store &)> &change);
  std::optional<std::string> normalized(std::string_view channel, std::string_view raw) const;

  std::vector<IdentifierSpec> identifiers_;
  StoreOpener open_;
  std::mutex mutex_;
  std::unique_ptr<Store> store_;
};

// Appends `record` unless the address's latest record on the channel
// already says the same (opted in or out).
Status add_consent_once(Store &store, const ConsentRecord &record);

}  // namespace halo::consent
