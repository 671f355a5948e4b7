// report_reader.cpp -- see report_reader.h.
#include "report_reader.h"

#include "common/block_buffer.h"
#include "common/file_set.h"
#include "common/json_text.h"
#include "delivery_report.h"
#include "report_events.h"

namespace halo::plugins::mail_bounces {

namespace {

constexpr size_t kRawBytes = 16 * 1024;  // of a dead-lettered mail: its headers, usually

}  // namespace

MailReading read_mail(const std::string &mail) {
  MailReading out;
  std::optional<DeliveryReport> report = read_delivery_report(mail, out.problem);
  if (!report) {
    if (out.problem.empty()) out.problem = "not a delivery status notification";
    out.raw_start = std::string(clip_utf8(mail, kRawBytes));
    return out;
  }
  out.problem.clear();
  out.events = report_events(*report, mail);
  return out;
}

MailReading too_large_mail(uint64_t size, size_t max_report_bytes) {
  MailReading out;
  out.reason = HALO_REASON_TOO_LARGE;
  out.problem = "mail of " + std::to_string(size) + " bytes is larger than max_report_bytes (" +
                std::to_string(max_report_bytes) + ")";
  return out;
}

void ReportFileReader::open(const std::string &path, uint64_t offset, uint64_t next_position) {
  path_ = path;
  mail_ = {};
  next_ = next_position > 0 ? static_cast<size_t>(next_position - 1) : 0;
  FileByteSource file(path);  // throws IoError: the core reports it
  size_ = file.size();
  offset_ = 0;
  if (offset > 0 && offset >= size_) {  // read whole before and unchanged: nothing new
    offset_ = size_;
    next_ = 0;
    return;
  }
  if (size_ > max_bytes_) {
    mail_ = too_large_mail(size_, max_bytes_);
    return;
  }
  std::string mail(static_cast<size_t>(size_), '\0');
  mail.resize(file.read_up_to(mail.data(), mail.size()));
  size_ = mail.size();
  mail_ = read_mail(mail);
}

bool ReportFileReader::step(RecordSink &sink) {
  if (!mail_.problem.empty()) {
    sink.error(mail_.reason, std::string(file_name_of(path_)) + ": " + mail_.problem,
               mail_.raw_start, 1);
    mail_.problem.clear();
    offset_ = size_;
    return false;
  }
  if (next_ >= mail_.events.size()) {
    offset_ = size_;
    return false;
  }
  const size_t i = next_++;
  if (next_ == mail_.events.size()) offset_ = size_;
  sink.record(mail_.events[i], i + 1);
  return true;
}

}  // namespace halo::plugins::mail_bounces
