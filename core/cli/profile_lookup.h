// profile_lookup.h -- finding one profile from the command line, shared by
// `halo profile get` and `halo identity explain`: the --email, --phone and
// --id TYPE=VALUE flags, the value normalized the way the pipeline stores
// it, and the store opened read-only (never created, invariants checked).
#pragma once

#include <boost/program_options.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "config/pipeline_config.h"
#include "store/store.h"

namespace halo::cli {

struct ProfileLookupFlags {
  std::string email, phone, id;
};

void add_profile_lookup_options(boost::program_options::options_description &desc,
                                ProfileLookupFlags &flags);

// The identifier type and raw value of the one flag given; nullopt with
// `error` when none or several are given, or --id is not TYPE=VALUE.
std::optional<std::pair<std::string, std::string>> lookup_key(const ProfileLookupFlags &flags,
                                                              std::string &error);

// The value normalized the way the pipeline stored it (emails lower-cased,
// phones in E.164 with the identifier's default region); as given when it
// does not normalize or the type is free text.
std::string normalized_identifier(const PipelineConfig &cfg, const std::string &type,
                                  const std::string &raw);

Result<std::unique_ptr<Store>> open_read_only(const PipelineConfig &cfg);

// Exit code for a failed open_read_only: a missing store is "not found" (3).
int open_failed(const Status &s);

// One short write transaction on the store for an operator's decision (the
// writer lock is held only for it): exit code 0, or the failure's (3 for
// NotFound).
int write_store_decision(const PipelineConfig &cfg, const std::function<Status(Store &)> &change);

// The profile holding (type, normalized value): exit 3 with a message when
// none does, 1 on a store error; the id otherwise.
Result<uint64_t> find_profile_or_fail(Store &store, const std::string &type,
                                      const std::string &value, int &exit_code);

}  // namespace halo::cli
