// contact_upsert.h -- what the `hubspot` destination says to HubSpot's batch
// upsert of contacts and what it makes of the answers, independent of the
// host
// (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts).
//
// A profile becomes one input: `id` its email, `idProperty` "email",
// `objectWriteTraceId` the Halo profile id (so a 207 Multi-Status answer
// names the inputs that failed), and `properties` the values the
// pipeline's `properties:` mapping takes from its traits, features and
// segment memberships, every one as a string (HubSpot's property values are
// strings, https://developers.hubspot.com/docs/api/crm/properties):
//
//   string            as is
//   integer, decimal  the exact decimal text Halo holds ("120.50")
//   double            its text (17 significant digits)
//   boolean           "true" / "false"
//   timestamp         milliseconds since the Unix epoch ("1767607200000"),
//                     which HubSpot's datetime properties take (and its
//                     date properties, for a time at midnight UTC)
//   list of strings   items joined by ';' (a multiple checkboxes value)
//   segments          the profile's segment names, name order, ';'-joined;
//                     "" when it is in none (clears the property)
//   absent, null      left out: HubSpot keeps what it has
//
// Invariants: upsert_body() writes valid JSON for valid UTF-8 text, with
// inputs in the order given; classify_upsert() maps every status to one
// verdict kind, and for 200/207 settles every input of the batch exactly
// once (an input a 207 does not name as failed is synced).
#pragma once

#include <halo/sdk.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::plugins::hubspot {

// HubSpot's limit of inputs per batch request.
inline constexpr size_t kMaxUpsertInputs = 100;
inline constexpr const char *kUpsertPath = "/crm/v3/objects/contacts/batch/upsert";

// Where one HubSpot property takes its value from.
struct PropertySource {
  enum class Kind { kTrait, kFeature, kSegments } kind = Kind::kTrait;
  std::string name;  // the trait or feature; empty for segments
};

struct PropertyMapping {
  std::string property;  // HubSpot's internal property name
  PropertySource source;
};

// "traits.NAME", "features.NAME" or "segments"; nullopt with `why` set
// for anything else.
std::optional<PropertySource> parse_property_source(std::string_view text, std::string &why);

// "" when `name` can be a HubSpot property's internal name (a letter, then
// lowercase letters, digits and '_', at most 100 bytes) that the mapping
// may set, else why not (`email` is the contact's id, not a mapped value).
std::string check_property_name(std::string_view name);

// One contact to upsert.
struct ContactInput {
  uint64_t profile_id = 0;
  std::string email;
  std::vector<std::pair<std::string, std::string>> properties;  // in mapping order
};

// A trait's or feature's value as HubSpot property text (the table above);
// nullopt when there is nothing to send: absent or null (`why` empty), or
// a value HubSpot cannot hold as written (`why` says what; a list item
// holding ';' would become two checkboxes).
std::optional<std::string> property_text(const halo::ProfileValue &value, std::string &why);

// The segments value: names in the order given, joined by ';'.
std::string segments_text(const std::vector<std::string_view> &segments);

// The request body for inputs[batch[0]], inputs[batch[1]], ...
std::string upsert_body(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch);

// What one answer means for the batch it answers.
struct BatchVerdict {
  enum class Kind {
    kApplied,   // 200/207: `failures` names the inputs that failed, the others synced
    kSplit,     // the whole batch was refused for what may be one input's fault
    kRejected,  // the one input of a single-input batch was refused (`detail`)
    kRetry,     // transient: 5xx, 429 (after the host's retries), 423, 477
    kFatal,     // no contact can get through: token, scopes, daily limit, URL
  } kind = Kind::kRetry;
  std::string detail;
  // kApplied: position in the batch -> HubSpot's reason.
  std::map<size_t, std::string> failures;
};

// The verdict on one answer to upsert_body(inputs, batch). `where` names the
// request ("POST api.hubapi.com/crm/v3/...") for messages; no secret is
// ever part of one.
BatchVerdict classify_upsert(int status, std::string_view body,
                             const std::vector<ContactInput> &inputs,
                             const std::vector<size_t> &batch, std::string_view where);

// HubSpot's words in an error object: "CATEGORY: message" with the nested
// errors' messages (and codes) when there are any; at most ~600 bytes.
std::string error_reason(std::string_view error_json);

}  // namespace halo::plugins::hubspot
