// cmd_identity_review.cpp -- the review queue of identity.linkage:
//   halo identity review PIPELINE [--all] [--format table|jsonl]
//   halo identity review PIPELINE --accept ID | --reject ID
// Pairs of profiles whose link probability fell in the review band wait
// here for an admin. --accept links them (stored; identities are rebuilt
// with the link, as by `halo rebuild`), --reject keeps the model from ever
// linking them. docs/cli.md defines the output.
#include <boost/program_options.hpp>

#include <iostream>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/json_writer.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

// The profile now holding an identifier, "" when none does.
Result<std::string> profile_now(Store &store, const std::string &type, const std::string &value) {
  auto id = store.find_profile(type, value);
  if (!id.ok()) return id.status();
  return id->has_value() ? std::to_string(**id) : std::string();
}

void side_json(JsonWriter &w, const char *name, const std::string &type, const std::string &value,
               const std::string &profile) {
  w.key(name).begin_object();
  w.key("type").string(type).key("value").string(value).key("profile_id").string(profile);
  w.end_object();
}

int list_reviews(const PipelineConfig &cfg, bool all, const std::string &format) {
  auto store = open_read_only(cfg);
  if (!store.ok()) return open_failed(store.status());
  std::vector<LinkReview> reviews;
  Status s = (*store)->scan_link_reviews([&](const LinkReview &r) {
    if (all || r.status == LinkReview::Status::kOpen) reviews.push_back(r);
  });
  if (!s.ok()) return fail(kFailed, s.message());
  for (const LinkReview &r : reviews) {
    auto a = profile_now(**store, r.a_type, r.a_value);
    auto b = profile_now(**store, r.b_type, r.b_value);
    if (!a.ok() || !b.ok()) return fail(kFailed, (a.ok() ? b : a).status().message());
    char p[32];
    std::snprintf(p, sizeof p, "%.6f", r.probability);
    if (format == "table") {
      std::cout << r.id << "  " << p << "  " << link_review_status_name(r.status) << "  "
                << r.a_type << " " << r.a_value << " (profile " << (a->empty() ? "-" : *a)
                << ")  ~  " << r.b_type << " " << r.b_value << " (profile "
                << (b->empty() ? "-" : *b) << ")\n";
      continue;
    }
    std::string line;
    JsonWriter w(line);
    w.begin_object().key("id").number(static_cast<int64_t>(r.id)).key("probability").raw(p);
    w.key("status").string(link_review_status_name(r.status));
    side_json(w, "a", r.a_type, r.a_value, *a);
    side_json(w, "b", r.b_type, r.b_value, *b);
    w.end_object();
    std::cout << line << "\n";
  }
  return kOk;
}

}  // namespace

int cmd_identity_review(const Args &args) {
  std::string pipeline, format = "table";
  uint64_t accept = 0, reject = 0;
  bool all = false;
  po::options_description desc(
      "usage: halo identity review PIPELINE.yaml [--all] [--format table|jsonl]\n"
      "       halo identity review PIPELINE.yaml --accept ID | --reject ID\n"
      "  the pairs of profiles identity.linkage could not decide on (review band):\n"
      "  --accept links them (identities are rebuilt, as `halo rebuild`), --reject\n"
      "  keeps them apart for good. Decisions are kept by the store");
  desc.add_options()("help,h", "show this help")("all", po::bool_switch(&all),
                                                 "also list accepted and rejected pairs")(
      "format", po::value(&format), "table (default) or jsonl")(
      "accept", po::value(&accept)->value_name("ID"), "link the pair")(
      "reject", po::value(&reject)->value_name("ID"), "never link the pair");
  if (int code = parse_pipeline_command("identity review", args, desc, pipeline); code >= 0) {
    return code;
  }
  if ((accept != 0 && reject != 0) || (format != "table" && format != "jsonl")) {
    std::cerr << "halo identity review: give at most one of --accept, --reject; --format is "
                 "table or jsonl\n"
              << desc << "\n";
    return kUsage;
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (accept == 0 && reject == 0) return list_reviews(*cfg, all, format);
  // A store that does not exist yet holds no review: not created here.
  if (auto existing = open_read_only(*cfg); !existing.ok()) return open_failed(existing.status());
  const auto status = accept != 0 ? LinkReview::Status::kAccepted : LinkReview::Status::kRejected;
  int rc = write_store_decision(*cfg, [&](Store &st) {
    return st.decide_link_review(accept != 0 ? accept : reject, status);
  });
  if (rc != kOk || reject != 0) return rc;
  return cmd_rebuild({pipeline, "-q"});
}

}  // namespace halo::cli
