// cmd_consent.cpp -- `halo consent set|show|list` (docs/cli.md): an
// operator's opt-in or opt-out of an address, and the consent ledger read
// back (docs/consent.md).
#include <boost/program_options.hpp>

#include <iostream>
#include <map>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/civil_date.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "profile/profile_export.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

// The address flag: --email X (channel email) or --phone X (channel sms),
// normalized as the pipeline stores the identifier.
struct Address {
  std::string channel, value;
};

std::optional<Address> address_of(const PipelineConfig &cfg, const ProfileLookupFlags &flags,
                                  std::string &error) {
  if (!flags.id.empty() || flags.email.empty() == flags.phone.empty()) {
    error = "give the address: --email X or --phone X";
    return std::nullopt;
  }
  if (!flags.email.empty())
    return Address{"email", normalized_identifier(cfg, "email", flags.email)};
  return Address{"sms", normalized_identifier(cfg, "phone", flags.phone)};
}

void add_address_options(po::options_description &desc, ProfileLookupFlags &flags) {
  desc.add_options()("email", po::value(&flags.email)->value_name("ADDRESS"),
                     "an email address (channel email)")(
      "phone", po::value(&flags.phone)->value_name("NUMBER"), "a phone number (channel sms)");
}

std::string record_json(const ConsentRecord &r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id").number(static_cast<int64_t>(r.id));
  w.key("at").string(format_iso8601_ms(r.at_ms));
  w.key("channel").string(r.channel);
  w.key("address").string(r.address);
  w.key("state").string(r.opted_in ? "opted_in" : "opted_out");
  w.key("reason").string(r.reason);
  w.key("source").string(r.source);
  w.key("proof").string(r.proof);
  w.end_object();
  return out;
}

int finish() {
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

// `halo consent set PIPELINE --email X|--phone X --opt-out|--opt-in`.
int consent_set(const Args &args) {
  std::string pipeline, reason = "operator", proof;
  ProfileLookupFlags flags;
  bool out = false, in = false;
  po::options_description desc(
      "usage: halo consent set PIPELINE.yaml --email X|--phone X --opt-out|--opt-in\n"
      "                        [--reason R] [--proof TEXT]\n"
      "records an operator's opt-out or opt-in of the address in the consent ledger");
  desc.add_options()("help,h", "show this help");
  add_address_options(desc, flags);
  desc.add_options()("opt-out", po::bool_switch(&out), "no more messages on the channel")(
      "opt-in", po::bool_switch(&in), "messages on the channel again")(
      "reason", po::value(&reason)->value_name("R"), "why (default: operator)")(
      "proof", po::value(&proof)->value_name("TEXT"),
      "what shows it: a ticket, a signed form, a request id");
  int rc = parse_pipeline_command("consent set", args, desc, pipeline);
  if (rc >= 0) return rc;
  if (out == in) return fail(kUsage, "give one of --opt-out and --opt-in");
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  std::string error;
  std::optional<Address> address = address_of(cfg.value(), flags, error);
  if (!address) return fail(kUsage, error);
  ConsentRecord r;
  r.channel = address->channel;
  r.address = address->value;
  r.opted_in = in;
  r.reason = reason;
  r.source = "halo consent set (operator)";
  r.proof = proof;
  r.at_ms = wall_ms();
  rc = write_store_decision(cfg.value(), [&](Store &store) { return store.add_consent(r); });
  if (rc != kOk) return rc;
  std::cout << r.address << " " << (in ? "opted in to " : "opted out of ") << r.channel << "\n";
  return finish();
}

// `halo consent show PIPELINE --email X|--phone X [--format text|json]`:
// the address's records, oldest first, and its state per channel.
int consent_show(const Args &args) {
  std::string pipeline, format = "text";
  ProfileLookupFlags flags;
  po::options_description desc(
      "usage: halo consent show PIPELINE.yaml --email X|--phone X [--format text|json]\n"
      "the address's consent records, oldest first, and whether it may be sent messages");
  desc.add_options()("help,h", "show this help");
  add_address_options(desc, flags);
  desc.add_options()("format", po::value(&format)->value_name("FORMAT"), "text or json");
  int rc = parse_pipeline_command("consent show", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  std::string error;
  std::optional<Address> address = address_of(cfg.value(), flags, error);
  if (!address) return fail(kUsage, error);
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  std::vector<ConsentRecord> records;
  Status s = store.value()->scan_consent("", address->value,
                                         [&](const ConsentRecord &r) { records.push_back(r); });
  if (!s.ok()) return fail(kFailed, s.message());
  std::map<std::string, const ConsentRecord *> latest;  // by channel; records are oldest first
  for (const ConsentRecord &r : records) latest[r.channel] = &r;
  if (format == "json") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("address").string(address->value).key("state").begin_object();
    for (const auto &[channel, r] : latest) {
      w.key(channel).string(r->opted_in ? "opted_in" : "opted_out");
    }
    w.end_object().key("records").begin_array();
    for (const ConsentRecord &r : records) w.raw(record_json(r));
    w.end_array().end_object();
    std::cout << out << "\n";
    return finish();
  }
  if (records.empty()) std::cout << address->value << ": no consent records (messages allowed)\n";
  for (const auto &[channel, r] : latest) {
    std::cout << address->value << " " << channel << ": "
              << (r->opted_in ? "opted in" : "opted out") << "\n";
  }
  for (const ConsentRecord &r : records) {
    std::cout << "  " << format_iso8601_ms(r.at_ms) << "  " << r.channel << "  "
              << (r.opted_in ? "opt-in " : "opt-out") << "  " << r.reason << "  " << r.source
              << (r.proof.empty() ? "" : "  " + r.proof) << "\n";
  }
  return finish();
}

// `halo consent list PIPELINE [--channel C]`: every record, JSON Lines.
int consent_list(const Args &args) {
  std::string pipeline, channel;
  po::options_description desc(
      "usage: halo consent list PIPELINE.yaml [--channel C]\n"
      "every consent record, oldest first, one JSON object per line");
  desc.add_options()("help,h", "show this help")("channel", po::value(&channel)->value_name("C"),
                                                 "only this channel (email, sms, ...)");
  int rc = parse_pipeline_command("consent list", args, desc, pipeline);
  if (rc >= 0) return rc;
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  Status s = store.value()->scan_consent(
      channel, "", [&](const ConsentRecord &r) { std::cout << record_json(r) << "\n"; });
  if (!s.ok()) return fail(kFailed, s.message());
  return finish();
}

}  // namespace

int cmd_consent(const Args &args) {
  if (!args.empty() && args[0] == "set") return consent_set({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "show") return consent_show({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "list") return consent_list({args.begin() + 1, args.end()});
  const char *usage =
      "usage: halo consent set PIPELINE.yaml --email X|--phone X --opt-out|--opt-in\n"
      "       halo consent show PIPELINE.yaml --email X|--phone X [--format text|json]\n"
      "       halo consent list PIPELINE.yaml [--channel C]\n";
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << usage;
    return kOk;
  }
  std::cerr << "halo consent: give `set`, `show` or `list`\n" << usage;
  return kUsage;
}

}  // namespace halo::cli
