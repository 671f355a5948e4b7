// profile_linker.cpp -- probabilistic links between the profiles the
// resolver made (`identity.linkage`, docs/identity.md#probabilistic-links):
// deterministic rules first, then Fellegi-Sunter linkage (core/linkage)
// over the profiles' traits joins the profiles that are one person without
// a shared key.
//
// A link is a stored decision, not a merge: one identifier of each linked
// profile is given the cluster's link key, and from then on every event
// with that identifier also carries the identifier (linked, KEY)
// (normalizer.h), so the deterministic resolver joins the profiles within
// its limits (two different user ids still never merge). The caller
// (cmd_run.cpp) rebuilds, so the links hold for every stored event, and a
// rebuild or a later run reproduces them.
//
// Keys are stable: a cluster takes the smallest link key its profiles
// already carry, else "TYPE:VALUE" of the first identifier of its oldest
// profile. A profile that carries another key has that key linked to the
// cluster's key (keys chain), so earlier links are never undone.
#include <algorithm>
#include <map>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "linkage/linkage.h"
#include "normalize/identifiers.h"
#include "normalize/normalizer.h"
#include "pipeline/pipeline.h"
#include "profile/typed_codec.h"

namespace halo {

namespace {

// A trait as the text the comparators read; empty for null and lists.
std::string trait_text(const TypedValue &v) {
  switch (v.kind()) {
    case TypedKind::kNull:
    case TypedKind::kStringList:
      return {};
    case TypedKind::kString:
      return std::string(v.text());
    default: {
      std::string json;
      v.append_json(json);
      if (json.size() >= 2 && json.front() == '"') return json.substr(1, json.size() - 2);
      return json;
    }
  }
}

// Every column the configuration reads: compared fields and blocking parts.
std::vector<std::string> linkage_columns(const linkage::LinkageConfig &config) {
  std::vector<std::string> columns;
  auto add = [&](const std::string &c) {
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  };
  for (const linkage::FieldRule &f : config.fields) add(f.column);
  for (const auto &key : config.blocking) {
    for (const linkage::KeyPart &part : key) add(part.column);
  }
  return columns;
}

// One row per live profile that has at least one of the columns.
Status profile_table(Store &store, const std::vector<std::string> &columns,
                     linkage::RecordTable &table, std::vector<uint64_t> &profile_of_row) {
  table.columns = columns;
  Status failed;
  Status s = store.scan_profiles([&](const StoredProfile &p) {
    std::vector<std::string> row(columns.size());
    bool any = false;
    Status d = decode_traits(p.traits, [&](const TraitRecord &r) {
      auto it = std::find(columns.begin(), columns.end(), r.name);
      if (it == columns.end()) return;
      row[it - columns.begin()] = trait_text(*r.value);
      any = any || !row[it - columns.begin()].empty();
    });
    if (!d.ok() && failed.ok()) failed = d;
    if (!any) return;
    table.rows.push_back(std::move(row));
    profile_of_row.push_back(p.id);
  });
  return s.ok() ? failed : s;
}

}  // namespace

// Runs on the calling thread once the writer is idle (end of finalize).
Status Pipeline::link_profiles(RunSummary *summary) {
  // Nothing stored changed, nothing new to link.
  if (!linkage_ || summary->accepted == 0) return Status::Ok();
  linkage::RecordTable table;
  std::vector<uint64_t> profile_of_row;
  Status s = profile_table(*store_, linkage_columns(*linkage_), table, profile_of_row);
  if (!s.ok()) return s;
  linkage::LinkageResult result;
  std::string error;
  if (!linkage::link_records(table, *linkage_, result, error)) {
    return Status::Invalid("identity.linkage: " + error);
  }
  summary->review_pairs = result.review.size();
  // Clusters of two or more profiles, each with the best probability of a
  // link that put a profile in it.
  std::map<uint32_t, std::vector<uint32_t>> clusters;  // first row -> rows
  for (uint32_t r = 0; r < result.cluster.size(); ++r) clusters[result.cluster[r]].push_back(r);
  std::vector<double> best(table.rows.size(), 0);
  for (const linkage::ScoredPair &p : result.links) {
    best[p.a] = std::max(best[p.a], p.probability);
    best[p.b] = std::max(best[p.b], p.probability);
  }
  std::vector<LinkedIdentifier> decisions;
  for (auto &[first, rows] : clusters) {
    if (rows.size() < 2) continue;
    s = link_cluster(rows, profile_of_row, best, decisions);
    if (!s.ok()) return s;
  }
  if (decisions.empty()) return Status::Ok();
  s = store_->begin();
  for (size_t i = 0; s.ok() && i < decisions.size(); ++i) {
    s = store_->link_identifier(decisions[i], wall_ms());
  }
  if (s.ok()) s = store_->commit();
  if (!s.ok()) return s;
  summary->probabilistic_links += decisions.size();
  log_info("identity", std::to_string(decisions.size()) +
                           " profiles linked to others by identity.linkage");
  return Status::Ok();
}

// The decisions that put every profile of one cluster under one key.
Status Pipeline::link_cluster(const std::vector<uint32_t> &rows,
                              const std::vector<uint64_t> &profile_of_row,
                              const std::vector<double> &best,
                              std::vector<LinkedIdentifier> &decisions) {
  struct Member {
    uint64_t profile;
    double probability;
    std::vector<std::pair<std::string, std::string>> ids;  // by type, value
    std::string key;  // its smallest link key, "" when none
  };
  std::vector<Member> members;
  for (uint32_t r : rows) {
    auto ids = store_->identifiers_of(profile_of_row[r]);
    if (!ids.ok()) return ids.status();
    Member m{profile_of_row[r], best[r], std::move(*ids), ""};
    for (const auto &[type, value] : m.ids) {
      if (type == kLinkedIdentifierType && (m.key.empty() || value < m.key)) m.key = value;
    }
    if (!m.ids.empty()) members.push_back(std::move(m));
  }
  std::sort(members.begin(), members.end(),
            [](const Member &a, const Member &b) { return a.profile < b.profile; });
  std::string key;
  for (const Member &m : members) {
    if (!m.key.empty() && (key.empty() || m.key < key)) key = m.key;
  }
  auto first_identifier = [](const Member &m) {
    for (const auto &id : m.ids) {
      if (id.first != kLinkedIdentifierType) return id;
    }
    return m.ids.front();
  };
  if (key.empty()) {
    const auto &[type, value] = first_identifier(members.front());
    key = type + ":" + value;
  }
  for (const Member &m : members) {
    if (m.key == key) continue;
    bool holds = false;
    for (const auto &[type, value] : m.ids) holds = holds || (type == kLinkedIdentifierType && value == key);
    if (holds) continue;
    auto [type, value] =
        m.key.empty() ? first_identifier(m) : std::pair{std::string(kLinkedIdentifierType), m.key};
    // A decision already stored (a link the resolver's limits refused) is
    // not made again.
    auto known = normalize_options_.linked.find(linked_key(type, value));
    if (known != normalize_options_.linked.end() && known->second == key) continue;
    decisions.push_back({type, value, key, m.probability});
  }
  return Status::Ok();
}

}  // namespace halo
