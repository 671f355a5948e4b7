// report_reader.h -- reads a mailbox file by file for FileSourceCore: each
// file is one mail, read whole (at most max_report_bytes), turned into the
// events its delivery status notification states (report_events.h) and
// handed over one record per step. A mail that is not a DSN, or is too
// large, is one dead letter (INVALID, TOO_LARGE) and nothing else.
//
// Position: a file's offset stays 0 until its last event is handed over,
// then becomes its size (so the core seals the file as read); the 1-based
// position counts the file's events, so a run stopped between two events
// of one mail continues with the next one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/file_source_core.h"

namespace halo::plugins::mail_bounces {

// What one mail states: its events, or why it is a dead letter (then
// `problem` is set, with the reason and the start of the mail).
struct MailReading {
  std::vector<std::string> events;
  std::string problem;
  halo_reason reason = HALO_REASON_INVALID;
  std::string raw_start;
};

// Reads a whole mail (a file, or one fetched from an IMAP/POP3 server).
MailReading read_mail(const std::string &mail);
// The dead letter of a mail of `size` bytes over max_report_bytes.
MailReading too_large_mail(uint64_t size, size_t max_report_bytes);

class ReportFileReader : public RecordFileReader {
 public:
  explicit ReportFileReader(size_t max_report_bytes) : max_bytes_(max_report_bytes) {}

  void open(const std::string &path, uint64_t offset, uint64_t next_position) override;
  bool step(RecordSink &sink) override;
  uint64_t next_offset() const override { return offset_; }
  uint64_t next_position() const override { return next_ + 1; }
  void close() override { mail_ = {}; }

 private:
  size_t max_bytes_;
  std::string path_;
  MailReading mail_;  // of the open file
  size_t next_ = 0;   // index of the next event to hand over
  uint64_t size_ = 0, offset_ = 0;
};

}  // namespace halo::plugins::mail_bounces
