// cmd_identity.cpp -- `halo identity evaluate`: runs the probabilistic
// resolver on a CSV file whose records carry their true entity (FEBRL style)
// and prints pairwise precision, recall and F1, with the fitted model so a
// reader can see why pairs were linked. docs/cli.md defines the output.
#include <boost/program_options.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "common/bounded_file.h"
#include "common/json_writer.h"
#include "config/pipeline_file.h"
#include "config/yaml_limits.h"
#include "linkage/evaluation.h"
#include "linkage/linkage.h"
#include "linkage/pair_evidence.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

using linkage::LinkageConfig;
using linkage::LinkageResult;
using linkage::PairwiseScores;

struct Evaluation {
  size_t records = 0;
  linkage::RecordTable table;
  std::vector<uint64_t> entity;  // per row: the true person
  LinkageConfig config;
  LinkageResult result;
  PairwiseScores scores;
  double seconds = 0;
};

// The `identity` section of a resolver configuration (or of a whole
// pipeline file) whose resolver is `probabilistic`.
Status load_linkage_config(const std::string &path, LinkageConfig &out) {
  auto text = read_pipeline_file(path);
  if (!text.ok()) return text.status();
  auto root = load_bounded_yaml(text.value(), path);
  if (!root.ok()) return root.status();
  Diagnostics diags(path);
  const YAML::Node identity = root.value().IsMap() ? root.value()["identity"] : YAML::Node();
  const Mark top = mark_or(root.value(), Mark{path, 0, 0});
  if (!identity.IsMap()) {
    diags.error(top, "identity",
                "expected the mapping identity: { resolver: probabilistic, config: ... }");
    return diags.status();
  }
  const YAML::Node resolver = identity["resolver"];
  if (!resolver.IsScalar() || resolver.Scalar() != "probabilistic") {
    diags.error(mark_or(resolver, mark_or(identity, top)), "identity.resolver",
                "expected 'probabilistic' (the resolver `identity evaluate` measures)");
    return diags.status();
  }
  linkage::read_linkage_config(identity["config"], mark_or(identity, top), diags, out);
  return diags.status();
}

Status evaluate(const std::string &config_path, const std::string &data_path,
                const std::string &truth_column, Evaluation &out) {
  Status s = load_linkage_config(config_path, out.config);
  if (!s.ok()) return s;
  const BoundedFile data = read_bounded_file(data_path, linkage::kMaxTableBytes);
  switch (data.outcome) {
    case BoundedFile::kOk:
      break;
    case BoundedFile::kCannotRead:
      return Status::NotFound(data_path + ": cannot read: " + data.system_error);
    case BoundedFile::kNotRegular:
      return Status::Invalid(data_path + ": is " + data.kind + ", not a regular file");
    case BoundedFile::kTooLarge:
      return Status::Invalid(data_path + ": larger than " +
                             std::to_string(linkage::kMaxTableBytes) + " bytes");
  }
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  if (!linkage::parse_record_table(data.text, out.table, error) ||
      !linkage::entities_from_ids(out.table, truth_column, out.entity, error) ||
      !linkage::link_records(out.table, out.config, out.result, error)) {
    return Status::Invalid(data_path + ": " + error);
  }
  out.records = out.table.rows.size();
  out.scores = linkage::score_clusters(out.result.cluster, out.entity);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Status::Ok();
}

std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

// Probabilities as JSON numbers with enough digits to tell 1e-6 from 0.
std::string probability(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

void print_json(const Evaluation &e) {
  std::string out;
  JsonWriter w(out);
  const PairwiseScores &s = e.scores;
  const LinkageResult &r = e.result;
  w.begin_object();
  w.key("records").number(static_cast<int64_t>(e.records));
  w.key("candidate_pairs").number(static_cast<int64_t>(r.candidate_pairs));
  w.key("skipped_blocks").number(static_cast<int64_t>(r.skipped_blocks));
  w.key("links").number(static_cast<int64_t>(r.links.size()));
  w.key("review_pairs").number(static_cast<int64_t>(r.review.size()));
  w.key("true_pairs").number(static_cast<int64_t>(s.true_pairs));
  w.key("predicted_pairs").number(static_cast<int64_t>(s.predicted_pairs));
  w.key("true_positives").number(static_cast<int64_t>(s.true_positives));
  w.key("precision").raw(fixed(s.precision, 6));
  w.key("recall").raw(fixed(s.recall, 6));
  w.key("f1").raw(fixed(s.f1, 6));
  w.key("seconds").raw(fixed(e.seconds, 3));
  w.key("model").begin_object();
  w.key("lambda").raw(probability(r.model.lambda));
  w.key("em_iterations").number(r.model.iterations);
  w.key("em_converged").raw(r.model.converged ? "true" : "false");
  w.key("u_sample_pairs").number(static_cast<int64_t>(r.u_sample_pairs));
  w.key("fields").begin_array();
  for (size_t f = 0; f < e.config.fields.size(); ++f) {
    const linkage::Compare c = e.config.fields[f].compare;
    w.begin_object().key("column").string(e.config.fields[f].column);
    w.key("compare").string(linkage::compare_name(c));
    w.key("levels").begin_array();
    for (size_t l = 0; l < r.model.fields[f].m.size(); ++l) {
      w.begin_object().key("level").string(linkage::level_name(c, static_cast<uint8_t>(l)));
      w.key("m").raw(probability(r.model.fields[f].m[l]));
      w.key("u").raw(probability(r.model.fields[f].u[l]));
      w.key("weight").raw(fixed(r.model.field_weight(f, static_cast<uint8_t>(l)), 3));
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object().end_object();
  std::cout << out << "\n";
}

// One JSON line per linked or review pair, with its field-by-field
// evidence: what an admin reads to see why two records were (nearly) linked.
void append_pair(std::string &out, const Evaluation &e, const linkage::ScoredPair &pair,
                 const char *decision, int id_column) {
  JsonWriter w(out);
  const auto &a = e.table.rows[pair.a], &b = e.table.rows[pair.b];
  w.begin_object();
  w.key("a")
      .string(a[static_cast<size_t>(id_column)])
      .key("b")
      .string(b[static_cast<size_t>(id_column)]);
  w.key("decision").string(decision).key("probability").raw(probability(pair.probability));
  w.key("same_person").raw(e.entity[pair.a] == e.entity[pair.b] ? "true" : "false");
  linkage::write_pair_evidence(w, e.table, e.config, e.result.model, pair.pattern, pair.a, pair.b);
  w.end_object();
  out += '\n';
}

Status write_pairs(const std::string &path, const Evaluation &e, const std::string &id_name) {
  const int id_column = e.table.column(id_name);
  std::string out;
  for (const auto &pair : e.result.links) append_pair(out, e, pair, "link", id_column);
  for (const auto &pair : e.result.review) append_pair(out, e, pair, "review", id_column);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << out;
  file.close();
  if (!file) return Status::Io(path + ": cannot write the pairs: " + std::strerror(errno));
  return Status::Ok();
}

void print_text(const Evaluation &e) {
  const PairwiseScores &s = e.scores;
  const LinkageResult &r = e.result;
  std::cout << "records          " << e.records << "\n"
            << "candidate pairs  " << r.candidate_pairs << " ("
            << fixed(e.records ? 2.0 * double(r.candidate_pairs) / double(e.records) : 0, 1)
            << " per record; " << r.skipped_blocks << " blocks over max_block_records skipped)\n"
            << "links            " << r.links.size() << " (review band: " << r.review.size()
            << " pairs)\n"
            << "precision        " << fixed(s.precision, 4) << "  (" << s.true_positives << " of "
            << s.predicted_pairs << " predicted pairs)\n"
            << "recall           " << fixed(s.recall, 4) << "  (" << s.true_positives << " of "
            << s.true_pairs << " true pairs)\n"
            << "f1               " << fixed(s.f1, 4) << "\n"
            << "time             " << fixed(e.seconds, 2) << " s\n"
            << "model            lambda " << probability(r.model.lambda) << ", EM "
            << r.model.iterations << " iterations" << (r.model.converged ? "" : " (not converged)")
            << ", u from " << r.u_sample_pairs << " random pairs\n";
  for (size_t f = 0; f < e.config.fields.size(); ++f) {
    const linkage::Compare c = e.config.fields[f].compare;
    std::cout << "  " << e.config.fields[f].column << " (" << linkage::compare_name(c) << ")\n";
    for (size_t l = 0; l < r.model.fields[f].m.size(); ++l) {
      const auto level = static_cast<uint8_t>(l);
      std::cout << "    " << linkage::level_name(c, level) << ": m "
                << probability(r.model.fields[f].m[l]) << "  u "
                << probability(r.model.fields[f].u[l]) << "  weight "
                << fixed(r.model.field_weight(f, level), 2) << "\n";
    }
  }
}

int cmd_identity_evaluate(const Args &args) {
  std::string config, data, truth = "rec_id", format = "text", pairs;
  po::options_description desc(
      "usage: halo identity evaluate --config FILE.yaml --data FILE.csv [options]\n"
      "  links the records of FILE.csv with the probabilistic resolver configured in\n"
      "  FILE.yaml (identity.resolver: probabilistic) and scores the clusters against\n"
      "  the true entity in each record's id (rec-N-org, rec-N-dup-K)");
  desc.add_options()("help,h", "show this help")("config", po::value(&config),
                                                 "the resolver configuration (YAML)")(
      "data", po::value(&data), "the records (CSV with a header row)")(
      "truth-column", po::value(&truth), "the column holding rec-N ids (default rec_id)")(
      "format", po::value(&format), "text (default) or json")(
      "pairs", po::value(&pairs)->value_name("FILE"),
      "also write every linked and review pair, field by field, as JSON Lines");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo identity evaluate: " << e.what() << "\n" << desc << "\n";
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return kOk;
  }
  if (config.empty() || data.empty() || (format != "text" && format != "json")) {
    std::cerr << "halo identity evaluate: give --config and --data; --format is text or json\n"
              << desc << "\n";
    return kUsage;
  }
  Evaluation e;
  const Status s = evaluate(config, data, truth, e);
  if (!s.ok()) return fail(s.code() == StatusCode::kNotFound ? kNotFound : kUsage, s.message());
  if (!pairs.empty()) {
    const Status written = write_pairs(pairs, e, truth);
    if (!written.ok()) return fail(kFailed, written.message());
  }
  if (format == "json") {
    print_json(e);
  } else {
    print_text(e);
  }
  return kOk;
}

}  // namespace

int cmd_identity(const Args &args) {
  static const char *kIdentityUsage =
      "usage: halo identity explain PIPELINE.yaml (--email X | --phone X | --id TYPE=VALUE)\n"
      "                             [--format text|json|dot]\n"
      "       halo identity merges PIPELINE.yaml [--since TIME] [--format jsonl|table]\n"
      "       halo identity unmerge PIPELINE.yaml --detach TYPE=VALUE | --reattach TYPE=VALUE |\n"
      "                             --list\n"
      "       halo identity review PIPELINE.yaml [--all] | --accept ID | --reject ID\n"
      "       halo identity evaluate --config FILE.yaml --data FILE.csv [--format json]\n";
  const std::string action = args.empty() ? "" : args[0];
  const Args rest = args.empty() ? Args() : Args(args.begin() + 1, args.end());
  if (action == "evaluate") return cmd_identity_evaluate(rest);
  if (action == "explain" || action == "merges") return cmd_identity_graph(action, rest);
  if (action == "unmerge") return cmd_identity_unmerge(rest);
  if (action == "review") return cmd_identity_review(rest);
  if (action == "--help" || action == "-h") {
    std::cout << kIdentityUsage;
    return kOk;
  }
  std::cerr << "halo identity: give a subcommand: explain, merges, unmerge, review or evaluate\n"
            << kIdentityUsage;
  return kUsage;
}

}  // namespace halo::cli
