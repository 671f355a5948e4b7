// hubspot_plugin.cpp -- the SDK adapters of the `hubspot` plugins: the
// source (contacts into events, ContactSync) and the destination (profiles
// into contacts, ContactPush), with their option tables. The destination
// reads each profile through the typed accessors, renders the mapped
// properties (contact_upsert.h) and remembers, for the batch at hand, the
// profiles already settled, so a call the kernel makes again after
// HALO_RETRY sends only the rest.
#include "contact_push.h"
#include "contact_sync.h"

#include <halo/sdk.hpp>

#include <iterator>
#include <optional>
#include <tuple>
#include <unordered_set>

#include "common/json_text.h"
#include "common/wire_text.h"

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

// Failures logged one by one per delivery; the rest are only counted.
constexpr uint64_t kLoggedFailures = 50;

std::vector<PropertyMapping> read_mappings(const halo::Host &host) {
  const int n = host.opt_size("properties");
  if (n <= 0) {
    throw halo::ConfigError("properties",
                            "maps no property: e.g. {firstname: traits.first_name, "
                            "lifetime_value: features.clv, halo_segments: segments}");
  }
  std::vector<PropertyMapping> out;
  for (int i = 0; i < n; ++i) {
    PropertyMapping m;
    m.property = host.opt_key("properties", i);
    if (std::string why = check_property_name(m.property); !why.empty()) {
      throw halo::ConfigError("properties", "'" + m.property + "' " + why);
    }
    const std::string path = "properties." + m.property;
    std::optional<std::string_view> text = host.opt_string(path);
    std::string why = "must be traits.NAME, features.NAME or segments";
    std::optional<PropertySource> source = text ? parse_property_source(*text, why) : std::nullopt;
    if (!source) throw halo::ConfigError(path, why);
    m.source = std::move(*source);
    out.push_back(std::move(m));
  }
  return out;
}

class HubspotDestination : public halo::Destination {
 public:
  explicit HubspotDestination(halo::Host host)
      : halo::Destination(host),
        mappings_(read_mappings(host)),
        push_(host, read_push_options(host)) {
    if (!HALO_HOST_HAS(host.api(), profile_trait)) {
      throw halo::Error("hubspot: this halo kernel has no typed profile accessors (plugin ABI 1.2)",
                        HALO_FATAL);
    }
    for (const PropertyMapping &m : mappings_) {
      if (m.source.kind == PropertySource::Kind::kSegments &&
          !HALO_HOST_HAS(host.api(), profile_segment_at)) {
        throw halo::ConfigError("properties." + m.property,
                                "segments need a halo kernel that hands destinations the "
                                "profiles' segments (profile_segment_at); this one does not");
      }
    }
  }

  void start() override { synced_ = failed_ = without_email_ = 0; }

  // Upserts apply changes by themselves: a delivery of changes sends only
  // the profiles created or changed since the last one.
  halo::DeliveryMode begin_delivery(halo::DeliveryMode proposed) override { return proposed; }

  void write_profiles(const halo::ProfileBatch &batch) override {
    const size_t n = batch.size();
    if (n == 0) return;
    const BatchKey key{n, batch.profile_id(0), batch.profile_id(n - 1)};
    if (key != batch_key_) {  // a new batch, not the same one called again
      batch_key_ = key;
      settled_.clear();
    }
    std::vector<ContactInput> inputs;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t id = batch.profile_id(i);
      if (settled_.count(id)) continue;
      std::optional<std::string_view> email = first_email(batch, i);
      if (!email) {
        settled_.insert(id);
        ++without_email_;
        host().metric("hubspot.contacts_without_email", 1);
        continue;
      }
      ContactInput in{id, std::string(*email), {}};
      if (!is_bare_address(in.email)) {
        fail(in, "'" + std::string(clip_utf8(in.email, 80)) + "' is not an address HubSpot takes");
        continue;
      }
      add_properties(batch, i, in);
      inputs.push_back(std::move(in));
    }
    push_.push(inputs, [&](size_t k, const std::string *why) {
      if (why) {
        fail(inputs[k], *why);
        return;
      }
      settled_.insert(inputs[k].profile_id);
      ++synced_;
      host().metric("hubspot.contacts_synced", 1);
    });
  }

  // A profile merged into another is not archived in HubSpot: its contact
  // may be the very one the profile it merged into is upserted to (by the
  // same email), and a CRM keeps its people's history.
  void remove_profiles(const uint64_t * /*ids*/, size_t count) override {
    host().info("hubspot: " + std::to_string(count) +
                " profiles were merged into others; their HubSpot contacts are kept (the "
                "profiles they merged into are upserted by their own email)");
  }

  void stop() override {
    const std::string line =
        "hubspot: " + std::to_string(synced_) + " contacts synced, " + std::to_string(failed_) +
        " failed, " + std::to_string(without_email_) + " profiles without an email skipped (" +
        std::to_string(push_.requests()) + " requests)";
    failed_ ? host().warn(line) : host().info(line);
  }

 private:
  using BatchKey = std::tuple<size_t, uint64_t, uint64_t>;  // size, first id, last id

  // The first email identifier in the order the host gives (type, then value).
  static std::optional<std::string_view> first_email(const halo::ProfileBatch &batch, size_t i) {
    for (const halo::ProfileIdentifier &id : batch.identifiers(i)) {
      if (id.type == "email") return id.value;
    }
    return std::nullopt;
  }

  void add_properties(const halo::ProfileBatch &batch, size_t i, ContactInput &in) {
    for (const PropertyMapping &m : mappings_) {
      if (m.source.kind == PropertySource::Kind::kSegments) {
        in.properties.emplace_back(m.property, segments_text(batch.segments(i)));
        continue;
      }
      const halo::ProfileValue v = m.source.kind == PropertySource::Kind::kTrait
                                       ? batch.trait(i, m.source.name.c_str())
                                       : batch.feature(i, m.source.name.c_str());
      std::string why;
      std::optional<std::string> text = property_text(v, why);
      if (text) {
        in.properties.emplace_back(m.property, std::move(*text));
      } else if (!why.empty()) {
        host().metric("hubspot.properties_omitted", 1);
        note("hubspot: profile " + std::to_string(in.profile_id) + ": property " + m.property +
             " not sent: " + why);
      }
    }
  }

  void fail(const ContactInput &in, const std::string &why) {
    settled_.insert(in.profile_id);
    ++failed_;
    host().metric("hubspot.contacts_failed", 1);
    note("hubspot: profile " + std::to_string(in.profile_id) + " (" +
         std::string(clip_utf8(in.email, 80)) + ") not synced: " + why);
  }

  void note(const std::string &line) {
    if (++logged_ <= kLoggedFailures) host().warn(line);
    if (logged_ == kLoggedFailures)
      host().warn("hubspot: further problems are counted, not logged");
  }

  std::vector<PropertyMapping> mappings_;
  ContactPush push_;
  BatchKey batch_key_{0, 0, 0};
  std::unordered_set<uint64_t> settled_;  // of batch_key_'s batch
  uint64_t synced_ = 0, failed_ = 0, without_email_ = 0, logged_ = 0;
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

static const halo_option_decl kDestinationOptions[] = {
    halo::option(HALO_OPT_STRING, "token", nullptr, true,
                 "Private app access token (pat-...) with crm.objects.contacts.write; use "
                 "\"${ENV_VAR}\"",
                 true),
    halo::option(HALO_OPT_MAP, "properties", nullptr, true,
                 "HubSpot property -> traits.NAME, features.NAME or segments, e.g. "
                 "{firstname: traits.first_name, halo_segments: segments}"),
    halo::option(HALO_OPT_STRING, "base_url", "https://api.hubapi.com", false,
                 "HubSpot API base URL (a contract server in tests)"),
    halo::within(
        halo::option(HALO_OPT_DURATION, "timeout", "30s", false, "Longest wait for one answer"),
        "1s", "2m"),
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file"),
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in; logged as a warning)"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<halo::plugins::hubspot::HubspotSource>(
                        "hubspot", "1.0.0",
                        "Imports HubSpot CRM contacts (full, then incremental by lastmodifieddate)",
                        kOptions, std::size(kOptions), HALO_CAP_CHECKPOINT),
                    halo::describe_destination<halo::plugins::hubspot::HubspotDestination>(
                        "hubspot", "1.0.0",
                        "Keeps HubSpot CRM contacts in sync with profiles (batch upsert by email)",
                        kDestinationOptions, HALO_CAP_INCREMENTAL_DELIVERY))
