// cmd_profile.cpp -- the read-only store query `halo profile get`
// (`halo deadletters` is in cmd_deadletters.cpp).
//
// It opens the store read-only (a missing store is "not found", never
// created) and treats every store error as an error: exit 1 with the store's
// message, which names the table and what to do. A read never turns a
// damaged store into "no such profile" or an empty list.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/cli.h"
#include "config/pipeline_config.h"
#include "normalize/identifiers.h"
#include "profile/profile_export.h"
#include "store/store.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

// Normalizes a looked-up value the way the pipeline stored it.
std::string normalized(const PipelineConfig &cfg, const std::string &type, const std::string &raw) {
  for (const IdentifierSpec &s : cfg.identifiers) {
    if (s.type != type) continue;
    if (s.kind == "email") return normalize_email(raw).value_or(raw);
    if (s.kind == "phone") return normalize_phone(raw, s.default_region).value_or(raw);
  }
  return raw;
}

// Exit code for a failed open_store: a missing store is "not found".
int open_failed(const Status &s) {
  return fail(s.code() == StatusCode::kNotFound ? kNotFound : kFailed, s.message());
}

Result<std::unique_ptr<Store>> open_read_only(const PipelineConfig &cfg) {
  return open_store(cfg.store_kind, cfg.store_path, {.read_only = true, .check_invariants = true});
}

// Looks the identifier up and prints the profile; returns the exit code.
int print_profile(Store &store, const std::string &type, const std::string &key) {
  auto pid = store.find_profile(type, key);
  if (!pid.ok()) return fail(kFailed, pid.status().message());
  if (!pid->has_value()) return fail(kNotFound, "no profile with " + type + " '" + key + "'");
  auto stored = store.get_profile(**pid);
  if (!stored.ok()) return fail(kFailed, stored.status().message());
  if (!stored->has_value()) {
    return fail(kFailed, "sqlite store " + store.path() + ": table identifiers links " + type +
                             " '" + key + "' to profile " + std::to_string(**pid) +
                             ", which table profiles does not hold; check the store with "
                             "`halo store check PIPELINE.yaml` and run `halo rebuild "
                             "PIPELINE.yaml`");
  }
  const StoredProfile &p = **stored;
  auto identifiers = store.identifiers_of(p.id);
  if (!identifiers.ok()) return fail(kFailed, identifiers.status().message());
  ProfileExport e;
  e.id = p.id;
  e.identifiers = std::move(identifiers).value();
  Status s = decode_stored_export(p.traits, p.features, &e);
  if (!s.ok()) return fail(kFailed, s.message());
  e.updated_at_ms = p.updated_at_ms;
  std::cout << export_profile_json(e) << "\n";
  return kOk;
}

}  // namespace

int cmd_profile(const Args &args) {
  std::string action, pipeline, email, phone, id;
  po::options_description desc(
      "usage: halo profile get PIPELINE.yaml (--email X | --phone X | --id TYPE=VALUE)");
  desc.add_options()("help,h", "show this help")("email", po::value(&email), "look up by email")(
      "phone", po::value(&phone), "look up by phone (any written form)")(
      "id", po::value(&id), "look up by any identifier type, e.g. --id pos_card=12345");
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("pipeline", po::value(&pipeline));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("action", 1).add("pipeline", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo profile: " << e.what() << "\n" << desc;
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return kOk;
  }
  if (action != "get" || pipeline.empty() || (email.empty() + phone.empty() + id.empty()) != 2) {
    std::cerr << "halo profile: give `get`, the pipeline file and exactly one of --email, "
                 "--phone, --id\n"
              << desc;
    return kUsage;
  }
  std::string type = !email.empty() ? "email" : !phone.empty() ? "phone" : "";
  std::string value = !email.empty() ? email : phone;
  if (!id.empty()) {
    size_t eq = id.find('=');
    if (eq == std::string::npos || eq == 0) return fail(kUsage, "--id takes TYPE=VALUE");
    type = id.substr(0, eq);
    value = id.substr(eq + 1);
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  return print_profile(*store.value(), type, normalized(cfg.value(), type, value));
}

}  // namespace halo::cli
