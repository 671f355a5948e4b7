// hubspot_plugin.cpp -- the SDK adapter of the `hubspot` source: declares
// the options and wires them to ContactSync. No logic lives here.
#include "contact_sync.h"

#include <halo/sdk.hpp>

#include <iterator>

namespace halo::plugins::hubspot {
namespace {

class HubspotSource : public halo::Source {
 public:
  explicit HubspotSource(halo::Host host)
      : halo::Source(host), sync_(host, HubspotApi(read_options(host))) {}

  void restore_cursor(std::string_view cursor) override { sync_.restore(cursor); }
  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    sync_.next_batch(sink, max_records);
  }
  std::string_view cursor() override { return sync_.cursor(); }

 private:
  ContactSync sync_;
};

}  // namespace
}  // namespace halo::plugins::hubspot

static const halo_option_decl kOptions[] = {
    halo::option(HALO_OPT_STRING, "base_url", "https://api.hubapi.com", false,
                 "HubSpot API base URL (a contract server in tests)"),
    halo::option(HALO_OPT_STRING, "access_token", nullptr, true,
                 "Private app access token (pat-...) with crm.objects.contacts.read; use "
                 "\"${ENV_VAR}\"",
                 true),
    halo::option(HALO_OPT_STRING_LIST, "properties",
                 "[email, firstname, lastname, phone, lifecyclestage, hs_object_id, "
                 "lastmodifieddate]",
                 false, "Contact properties to fetch; lastmodifieddate is always added"),
    halo::within(halo::option(HALO_OPT_INT, "page_size", "100", false,
                              "Contacts per request (HubSpot's list maximum is 100)"),
                 "1", "100"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in; logged as a warning)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<halo::plugins::hubspot::HubspotSource>(
    "hubspot", "1.0.0", "Imports HubSpot CRM contacts (full, then incremental by lastmodifieddate)",
    kOptions, std::size(kOptions), HALO_CAP_CHECKPOINT))
