// profile_lookup.cpp -- see profile_lookup.h.
#include "cli/profile_lookup.h"

#include "cli/cli.h"
#include "normalize/identifiers.h"

namespace po = boost::program_options;

namespace halo::cli {

void add_profile_lookup_options(po::options_description &desc, ProfileLookupFlags &flags) {
  desc.add_options()("email", po::value(&flags.email), "look up by email")(
      "phone", po::value(&flags.phone), "look up by phone (any written form)")(
      "id", po::value(&flags.id), "look up by any identifier type, e.g. --id pos_card=12345");
}

std::optional<std::pair<std::string, std::string>> lookup_key(const ProfileLookupFlags &flags,
                                                              std::string &error) {
  if (flags.email.empty() + flags.phone.empty() + flags.id.empty() != 2) {
    error = "give exactly one of --email, --phone, --id";
    return std::nullopt;
  }
  if (!flags.email.empty()) return std::pair<std::string, std::string>{"email", flags.email};
  if (!flags.phone.empty()) return std::pair<std::string, std::string>{"phone", flags.phone};
  const size_t eq = flags.id.find('=');
  if (eq == std::string::npos || eq == 0) {
    error = "--id takes TYPE=VALUE";
    return std::nullopt;
  }
  return std::pair<std::string, std::string>{flags.id.substr(0, eq), flags.id.substr(eq + 1)};
}

std::string normalized_identifier(const PipelineConfig &cfg, const std::string &type,
                                  const std::string &raw) {
  for (const IdentifierSpec &s : cfg.identifiers) {
    if (s.type == type) {
      return normalize_identifier(identifier_kind(s.kind), raw, s.default_region).value_or(raw);
    }
  }
  return raw;
}

Result<std::unique_ptr<Store>> open_read_only(const PipelineConfig &cfg) {
  return open_store(cfg.store_kind, cfg.store_path, {.read_only = true, .check_invariants = true});
}

int open_failed(const Status &s) {
  return fail(s.code() == StatusCode::kNotFound ? kNotFound : kFailed, s.message());
}

int write_store_decision(const PipelineConfig &cfg, const std::function<Status(Store &)> &change) {
  auto store = open_store(cfg.store_kind, cfg.store_path, {.read_only = false});
  if (!store.ok()) return fail(store.status());
  Status s = (*store)->begin();
  if (s.ok()) s = change(**store);
  if (s.ok()) s = (*store)->commit();
  if (!s.ok())
    return fail(s.code() == StatusCode::kNotFound ? kNotFound : exit_code_of(s), s.message());
  return kOk;
}

Result<uint64_t> find_profile_or_fail(Store &store, const std::string &type,
                                      const std::string &value, int &exit_code) {
  auto pid = store.find_profile(type, value);
  if (!pid.ok()) {
    exit_code = fail(kFailed, pid.status().message());
    return pid.status();
  }
  if (!pid->has_value()) {
    exit_code = fail(kNotFound, "no profile with " + type + " '" + value + "'");
    return Status::NotFound("no profile");
  }
  return **pid;
}

}  // namespace halo::cli
