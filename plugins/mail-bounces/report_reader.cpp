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

void ReportFileReader::open(const std::string &path, uint64_t offset, uint64_t next_position) {
  path_ = path;
  problem_.clear();
  raw_start_.clear();
  events_.clear();
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
    problem_reason_ = HALO_REASON_TOO_LARGE;
    problem_ = "mail of " + std::to_string(size_) + " bytes is larger than max_report_bytes (" +
               std::to_string(max_bytes_) + ")";
    return;
  }
  std::string mail(static_cast<size_t>(size_), '\0');
  mail.resize(file.read_up_to(mail.data(), mail.size()));
  size_ = mail.size();
  std::string why;
  std::optional<DeliveryReport> report = read_delivery_report(mail, why);
  if (!report) {
    problem_reason_ = HALO_REASON_INVALID;
    problem_ = why;
    raw_start_ = std::string(clip_utf8(mail, kRawBytes));
    return;
  }
  events_ = report_events(*report, mail);
}

bool ReportFileReader::step(RecordSink &sink) {
  if (!problem_.empty()) {
    sink.error(problem_reason_, std::string(file_name_of(path_)) + ": " + problem_, raw_start_, 1);
    problem_.clear();
    offset_ = size_;
    return false;
  }
  if (next_ >= events_.size()) {
    offset_ = size_;
    return false;
  }
  const size_t i = next_++;
  if (next_ == events_.size()) offset_ = size_;
  sink.record(events_[i], i + 1);
  return true;
}

}  // namespace halo::plugins::mail_bounces
