// host_api_reports.h -- delivery_receipt and consent_record of the host
// table (plugin ABI 1.2): a receiver's reports, checked and copied, handed
// to the context's ReportSink (report_sink.h). Contract in plugin.h:
// HALO_OK recorded or nothing new, HALO_RETRY store busy, HALO_ERROR
// nothing recorded. Never throws.
#pragma once

#include <halo/plugin.h>

namespace halo {

int32_t host_delivery_receipt(halo_context *ctx, const halo_delivery_receipt *receipt);
int32_t host_consent_record(halo_context *ctx, const halo_consent_statement *statement);

}  // namespace halo
