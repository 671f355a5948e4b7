// contact_push.h -- the `hubspot` destination's sending loop: contacts go
// to HubSpot's batch upsert (contact_upsert.h) through the host's HTTP
// client, at most kMaxUpsertInputs a request.
//
// Invariants:
//  - Every input handed to push() is settled exactly once -- synced, or
//    failed with HubSpot's reason -- unless push() throws; the inputs
//    settled before a throw stay settled (the caller remembers them, so a
//    call the kernel makes again after HALO_RETRY sends only the rest).
//  - A batch refused as a whole (400, 409, 413, 414, 422) is sent again one
//    input per request, so only the inputs refused on their own fail.
//  - Retries of 429, 5xx and dropped connections are the host's (honouring
//    Retry-After); an answer still transient after them throws HALO_RETRY.
//    401/403, a DAILY 429 and requests HubSpot cannot take at all (404,
//    405, ...) throw HALO_FATAL. No message holds the token.
// Not thread-safe: one instance per destination instance.
#pragma once

#include "contact_upsert.h"

#include <halo/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace halo::plugins::hubspot {

// The transport options (defaults and bounds live in the option table,
// hubspot_plugin.cpp, only).
struct PushOptions {
  std::string base_url;  // without a trailing '/'
  std::string token;
  std::chrono::milliseconds timeout{0};
  std::string ca_file;  // absolute, or empty
  bool insecure = false;
};

// Reads and checks them (halo::ConfigError names the option).
PushOptions read_push_options(const halo::Host &host);

class ContactPush {
 public:
  // settle(k, why): inputs[k] is done -- synced when why is null, else
  // failed for *why.
  using Settle = std::function<void(size_t k, const std::string *why)>;

  ContactPush(const halo::Host &host, PushOptions options);

  // Upserts every input, in order; see the header comment for what it
  // settles and throws.
  void push(const std::vector<ContactInput> &inputs, const Settle &settle);

  // Requests made (each counted once, whatever the host's retries).
  uint64_t requests() const { return requests_; }

 private:
  void send(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch,
            const Settle &settle);
  BatchVerdict post(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch);

  halo::Host host_;
  PushOptions options_;
  std::string where_;  // "POST api.hubapi.com/crm/v3/objects/contacts/batch/upsert"
  uint64_t requests_ = 0;
};

}  // namespace halo::plugins::hubspot
