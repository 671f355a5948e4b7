// contact_push.cpp -- batch upserts through the host's HTTP client (see
// contact_push.h).
#include "contact_push.h"

#include <algorithm>

#include "common/wire_text.h"

namespace halo::plugins::hubspot {

PushOptions read_push_options(const halo::Host &host) {
  PushOptions o;
  o.base_url = host.string_option("base_url");
  while (o.base_url.ends_with("/")) o.base_url.pop_back();
  if (!o.base_url.starts_with("https://") && !o.base_url.starts_with("http://")) {
    throw halo::ConfigError("base_url", "must start with https:// (e.g. https://api.hubapi.com)");
  }
  o.token = host.string_option("token");
  if (o.token.empty()) {
    throw halo::ConfigError("token",
                            "is empty: give a HubSpot private app token as \"${ENV_VAR}\"");
  }
  o.timeout = host.duration_option("timeout");
  o.ca_file = host.opt_string_or("ca_file", "");
  if (!o.ca_file.empty() && o.ca_file[0] != '/') o.ca_file = host.base_dir() + "/" + o.ca_file;
  o.insecure = host.bool_option("insecure");
  if (o.insecure) host.warn("hubspot: insecure: true -- TLS certificates are NOT verified");
  return o;
}

ContactPush::ContactPush(const halo::Host &host, PushOptions options)
    : host_(host),
      options_(std::move(options)),
      where_("POST " + std::string(url_host(options_.base_url)) + kUpsertPath) {}

void ContactPush::push(const std::vector<ContactInput> &inputs, const Settle &settle) {
  std::vector<size_t> batch;
  for (size_t first = 0; first < inputs.size(); first += kMaxUpsertInputs) {
    batch.clear();
    for (size_t k = first; k < std::min(inputs.size(), first + kMaxUpsertInputs); ++k) {
      batch.push_back(k);
    }
    send(inputs, batch, settle);
  }
}

void ContactPush::send(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch,
                       const Settle &settle) {
  BatchVerdict v = post(inputs, batch);
  switch (v.kind) {
    case BatchVerdict::Kind::kApplied:
      for (size_t k = 0; k < batch.size(); ++k) {
        auto failed = v.failures.find(k);
        settle(batch[k], failed == v.failures.end() ? nullptr : &failed->second);
      }
      return;
    case BatchVerdict::Kind::kSplit:
      host_.info("hubspot: a batch of " + std::to_string(batch.size()) +
                 " contacts was refused as a whole (" + v.detail +
                 "); sending them one per request");
      for (size_t k : batch) send(inputs, {k}, settle);
      return;
    case BatchVerdict::Kind::kRejected:
      settle(batch.front(), &v.detail);
      return;
    case BatchVerdict::Kind::kRetry:
      throw halo::Error("hubspot: " + v.detail, HALO_RETRY);
    case BatchVerdict::Kind::kFatal:
      throw halo::Error("hubspot: " + v.detail, HALO_FATAL);
  }
}

BatchVerdict ContactPush::post(const std::vector<ContactInput> &inputs,
                               const std::vector<size_t> &batch) {
  halo::HttpRequest r;
  r.method = "POST";
  r.url = options_.base_url + kUpsertPath;
  r.headers = {{"Authorization", "Bearer " + options_.token},
               {"Content-Type", "application/json"},
               {"Accept", "application/json"}};
  r.body = upsert_body(inputs, batch);
  r.timeout_ms = static_cast<int>(options_.timeout.count());
  r.insecure = options_.insecure;
  r.ca_file = options_.ca_file;
  r.keep_alive = true;  // an upsert by email: the same batch twice changes nothing more
  ++requests_;
  try {
    halo::HttpResponse response = host_.http(r);  // retries 429/5xx/resets itself
    BatchVerdict v = classify_upsert(response.status(), response.body(), inputs, batch, where_);
    if (v.kind == BatchVerdict::Kind::kRetry && response.attempts() > 1) {
      v.detail += " after " + std::to_string(response.attempts()) + " attempts";
    }
    return v;
  } catch (const halo::Error &e) {  // no answer: the host already retried
    throw halo::Error(std::string("hubspot: ") + e.what(), e.status());
  }
}

}  // namespace halo::plugins::hubspot
