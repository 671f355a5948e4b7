// report_sink.h -- where the host functions delivery_receipt and
// consent_record (plugin ABI 1.2) hand what a receiver reported: an
// interface, so the plugin host needs no store. The pipeline gives every
// destination instance the same sink (core/consent/report_desk.h); `halo
// validate` gives none, and the calls then record nothing.
#pragma once

#include <cstdint>
#include <string>

namespace halo {

// A delivery report for a message of the outbox (plugin.h,
// halo_delivery_receipt), with the destination that reports it.
struct ReceiptReport {
  uint64_t message_id = 0;
  std::string destination;  // the pipeline's name of the reporting destination
  std::string status;       // delivered | undelivered | bounced | complained
  std::string detail;       // the receiver's id and words, secrets masked
  int64_t at_ms = 0;
};

// An opt-in or opt-out a receiver reported (halo_consent_statement).
struct ConsentReport {
  std::string channel, address;  // the address as the receiver gave it
  bool opted_in = false;
  std::string reason, source, proof;
  int64_t at_ms = 0;
};

enum class ReportAnswer {
  kRecorded,  // committed, or nothing new to record
  kBusy,      // the store stayed busy: the receiver should send it again
  kRefused    // not recordable: unknown message, another destination's, a bad address
};

// Thread-safe: called from plugin route handlers on server threads.
class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual ReportAnswer receipt(const ReceiptReport &report) = 0;
  virtual ReportAnswer consent(const ConsentReport &report) = 0;
};

}  // namespace halo
