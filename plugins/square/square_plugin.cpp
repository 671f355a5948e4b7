// square_plugin.cpp -- the SDK adapter of the `square` source: declares the
// options and wires them to SquareSync. No logic lives here.
#include "square_sync.h"

#include <halo/sdk.hpp>

#include <iterator>

namespace halo::plugins::square {
namespace {

class SquareSource : public halo::Source {
 public:
  explicit SquareSource(halo::Host host)
      : halo::Source(host), sync_(host, SquareApi(read_options(host))) {}

  void restore_cursor(std::string_view cursor) override { sync_.restore(cursor); }
  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    sync_.next_batch(sink, max_records);
  }
  std::string_view cursor() override { return sync_.cursor(); }

 private:
  SquareSync sync_;
};

}  // namespace
}  // namespace halo::plugins::square

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "base_url", "https://connect.squareup.com", false,
                 "Square API base URL (https://connect.squareupsandbox.com for the sandbox)"),
    halo::option(HALO_OPT_STRING, "access_token", nullptr, true,
                 "Square access token with ORDERS_READ and CUSTOMERS_READ; use \"${ENV_VAR}\"",
                 true),
    halo::option(HALO_OPT_STRING, "square_version", halo::plugins::square::kDefaultSquareVersion,
                 false, "Square-Version header (API version pin, YYYY-MM-DD)"),
    halo::option(HALO_OPT_STRING_LIST, "location_ids", nullptr, true,
                 "1 to 10 location ids whose orders are imported"),
    halo::within(halo::option(HALO_OPT_INT, "limit", "500", false,
                              "Orders per page; customer pages use at most 100"),
                 "1", "1000"),
    halo::within(halo::option(HALO_OPT_INT, "late_arrival_hours", "72", false,
                              "Each run re-searches orders updated this long before the last "
                              "watermark, so offline POS orders synced late are imported"),
                 "0", "8760"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in; logged as a warning)"),
    halo::within(halo::option(HALO_OPT_INT, "currency_minor_units", "2", false,
                              "Decimal places of the account currency: amounts are divided by "
                              "10^this (USD/EUR 2, IRR/JPY 0)"),
                 "0", "4"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<halo::plugins::square::SquareSource>(
    "square", "1.0.0",
    "Imports Square customers and completed orders (incremental, late-order safe)", kOptions,
    std::size(kOptions), HALO_CAP_CHECKPOINT))
