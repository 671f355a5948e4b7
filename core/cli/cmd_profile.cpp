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
#include "cli/profile_lookup.h"
#include "config/pipeline_config.h"
#include "profile/profile_export.h"
#include "store/profile_reads.h"
#include "store/store.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

// Looks the identifier up and prints the profile; returns the exit code.
int print_profile(Store &store, const std::string &type, const std::string &key) {
  int exit_code = kOk;
  auto pid = find_profile_or_fail(store, type, key, exit_code);
  if (!pid.ok()) return exit_code;
  auto stored = read_profile_export(store, *pid);
  if (!stored.ok()) return fail(kFailed, stored.status().message());
  if (!stored->has_value()) {
    return fail(kFailed, "sqlite store " + store.path() + ": table identifiers links " + type +
                             " '" + key + "' to profile " + std::to_string(*pid) +
                             ", which table profiles does not hold; check the store with "
                             "`halo store check PIPELINE.yaml` and run `halo rebuild "
                             "PIPELINE.yaml`");
  }
  const ProfileExport &e = **stored;
  std::cout << export_profile_json(e) << "\n";
  return kOk;
}

}  // namespace

int cmd_profile(const Args &args) {
  std::string action, pipeline;
  ProfileLookupFlags flags;
  po::options_description desc(
      "usage: halo profile get PIPELINE.yaml (--email X | --phone X | --id TYPE=VALUE)");
  desc.add_options()("help,h", "show this help");
  add_profile_lookup_options(desc, flags);
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
  if (action != "get" || pipeline.empty() ||
      (flags.email.empty() + flags.phone.empty() + flags.id.empty()) != 2) {
    std::cerr << "halo profile: give `get`, the pipeline file and exactly one of --email, "
                 "--phone, --id\n"
              << desc;
    return kUsage;
  }
  std::string error;
  const auto key = lookup_key(flags, error);
  if (!key) return fail(kUsage, error);
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  return print_profile(*store.value(), key->first,
                       normalized_identifier(cfg.value(), key->first, key->second));
}

}  // namespace halo::cli
