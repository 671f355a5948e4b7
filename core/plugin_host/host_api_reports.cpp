// host_api_reports.cpp -- see host_api_reports.h.
#include "plugin_host/host_api_reports.h"

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/log.h"
#include "common/secrets.h"
#include "plugin_host/host_api.h"

namespace halo {

namespace {

// Bytes of a receiver's text kept (plugin.h).
constexpr size_t kMaxDetail = 1024;

std::string_view text(const char *s, size_t len) {
  return s == nullptr ? std::string_view() : std::string_view(s, len);
}

std::string kept(std::string_view s) {
  return mask_secrets(std::string(s.substr(0, kMaxDetail)));
}

const char *receipt_status_name(int32_t status) {
  switch (status) {
    case HALO_RECEIPT_DELIVERED:
      return "delivered";
    case HALO_RECEIPT_UNDELIVERED:
      return "undelivered";
    case HALO_RECEIPT_BOUNCED:
      return "bounced";
    case HALO_RECEIPT_COMPLAINED:
      return "complained";
    default:
      return nullptr;
  }
}

int32_t answer(ReportAnswer a) {
  switch (a) {
    case ReportAnswer::kRecorded:
      return HALO_OK;
    case ReportAnswer::kBusy:
      return HALO_RETRY;
    case ReportAnswer::kRefused:
      break;
  }
  return HALO_ERROR;
}

// A struct shorter than this version's is from a plugin that cannot have
// filled every member this host reads.
template <class T>
bool complete(const T *p) {
  return p != nullptr && p->struct_size >= sizeof(T);
}

}  // namespace

int32_t host_delivery_receipt(halo_context *ctx, const halo_delivery_receipt *r) {
  if (ctx == nullptr || !complete(r) || !ctx->reports) return HALO_ERROR;
  const char *status = receipt_status_name(r->status);
  if (status == nullptr || r->message_id == 0) return HALO_ERROR;
  try {
    ReceiptReport report;
    report.message_id = r->message_id;
    report.destination = ctx->report_name;
    report.status = status;
    std::string detail(text(r->provider_id, r->provider_id_len));
    std::string_view words = text(r->detail, r->detail_len);
    if (!words.empty()) detail += (detail.empty() ? "" : ": ") + std::string(words);
    report.detail = kept(detail);
    report.at_ms = r->at_ms > 0 ? r->at_ms : wall_ms();
    return answer(ctx->reports->receipt(report));
  } catch (const std::exception &e) {
    log_warn(ctx->label, std::string("delivery_receipt: ") + e.what());
    return HALO_RETRY;
  }
}

int32_t host_consent_record(halo_context *ctx, const halo_consent_statement *s) {
  if (ctx == nullptr || !complete(s) || !ctx->reports) return HALO_ERROR;
  try {
    ConsentReport report;
    report.channel = std::string(text(s->channel, s->channel_len));
    report.address = std::string(text(s->address, s->address_len));
    report.opted_in = s->opted_in != 0;
    report.reason = std::string(text(s->reason, s->reason_len).substr(0, 64));
    report.source = ctx->label;
    report.proof = kept(text(s->proof, s->proof_len));
    report.at_ms = s->at_ms > 0 ? s->at_ms : wall_ms();
    if (report.reason.empty()) report.reason = report.opted_in ? "opted_in" : "opted_out";
    return answer(ctx->reports->consent(report));
  } catch (const std::exception &e) {
    log_warn(ctx->label, std::string("consent_record: ") + e.what());
    return HALO_RETRY;
  }
}

}  // namespace halo
