// profile_linker.cpp -- probabilistic links between the profiles the
// resolver made (`identity.linkage`, docs/identity.md): deterministic rules
// first, then Fellegi-Sunter linkage (core/linkage) joins the profiles that
// are one person without a shared key.
//
// What is compared are the stored records, not the profiles: one row per
// distinct record of the log (its identifiers and the trait values it
// carried: traits of an identify event, context.traits of any), with the
// profile it belongs to. A merged profile's traits are a survivorship mix of its
// records; comparing those would drift from run to run. Records never
// change, so the same log gives the same model and the same links, and a
// rebuild reproduces them.
//
// A link is a stored decision, not a merge: one identifier of each linked
// profile is given the cluster's link key, and from then on every event
// with that identifier also carries the identifier (linked, KEY)
// (normalizer.h), so the deterministic resolver joins the profiles within
// its limits (two different user ids still never merge). The caller
// (cmd_run.cpp) rebuilds, so the links hold for every stored event.
//
// Keys are stable: a cluster takes the smallest link key its profiles
// already carry, else "TYPE:VALUE" of the first identifier of its oldest
// profile. A profile that carries another key has that key linked to the
// cluster's key (keys chain), so earlier links are never undone.
#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "linkage/linkage.h"
#include "linkage/pair_evidence.h"
#include "normalize/identifiers.h"
#include "normalize/normalizer.h"
#include "pipeline/pipeline.h"
#include "profile/profile_book.h"

namespace halo {

namespace {

using IdList = std::vector<std::pair<std::string, std::string>>;  // by type, value

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

// The first identifier of a profile that is not a link key: what names the
// profile in the review queue (stable across rebuilds, unlike its id).
std::pair<std::string, std::string> anchor_of(const IdList &ids) {
  for (const auto &id : ids) {
    if (id.first != kLinkedIdentifierType) return id;
  }
  return ids.empty() ? std::pair<std::string, std::string>{} : ids.front();
}

// Union-find over table rows: clusters of links.
struct RowClusters {
  std::vector<uint32_t> parent;
  explicit RowClusters(size_t n) : parent(n) {
    for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  }
  uint32_t find(uint32_t r) {
    while (parent[r] != r) r = parent[r] = parent[parent[r]];
    return r;
  }
  void join(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

std::string pair_text(const LinkReview &r) {
  return r.a_type + '\0' + r.a_value + '\0' + r.b_type + '\0' + r.b_value;
}

}  // namespace

// A profile's strongest link to another profile of its cluster: the pair
// of records behind it (none when an admin accepted the pair), its row of
// this profile, and its probability.
struct Pipeline::LinkStrength {
  double probability = 0;
  const linkage::ScoredPair *pair = nullptr;
  uint32_t row = 0;
};

// The stored records as a table, each row with its profile, and the
// profiles' identifiers fetched once.
class Pipeline::LinkTable {
 public:
  explicit LinkTable(Store &store) : store_(store) {}
  linkage::RecordTable table;
  std::vector<uint64_t> profile_of_row;

  Result<const IdList *> ids(uint64_t profile) {
    auto it = ids_.find(profile);
    if (it == ids_.end()) {
      auto ids = store_.identifiers_of(profile);
      if (!ids.ok()) return ids.status();
      it = ids_.emplace(profile, std::move(*ids)).first;
    }
    return &it->second;
  }
  // The pair of profiles as the review queue names it (a < b).
  Result<LinkReview> review_of(uint64_t a, uint64_t b) {
    auto ia = ids(a), ib = ids(b);
    if (!ia.ok()) return ia.status();
    if (!ib.ok()) return ib.status();
    auto x = anchor_of(**ia), y = anchor_of(**ib);
    if (y < x) std::swap(x, y);
    LinkReview r;
    r.a_type = x.first, r.a_value = x.second, r.b_type = y.first, r.b_value = y.second;
    return r;
  }

 private:
  Store &store_;
  std::unordered_map<uint64_t, IdList> ids_;
};

// One row per distinct record (identifiers and trait values) among the
// stored events that carry any of the columns, with its profile.
Status Pipeline::read_link_records(LinkTable &t) {
  const std::vector<std::string> columns = linkage_columns(*linkage_);
  t.table.columns = columns;
  std::unordered_set<std::string> seen;
  EventBatch batch;
  return store_->scan_events([&](const std::vector<LoggedEvent> &logged) -> Status {
    for (const LoggedEvent &e : logged) {
      batch.clear();
      Rejection why;
      // An event that no longer normalizes is reported by the rebuild.
      if (!parse_->normalize_one(e.raw, e.source, e.received_at_ms, batch, &why)) continue;
      const Event &ev = batch.events[0];
      std::vector<std::string> row(columns.size());
      bool any = false;
      for (const Field &f : batch.fields_of(0)) {
        const std::string_view name = trait_key(ev, f.path);
        auto it = name.empty() ? columns.end() : std::find(columns.begin(), columns.end(), name);
        if (it == columns.end()) continue;
        std::string &cell = row[it - columns.begin()];
        cell = trait_text(TypedValue::from_leaf(f.value));
        any = any || !cell.empty();
      }
      if (!any) continue;
      // Repeats of a record (the same identifiers and values) are one row;
      // keyed by what the event carries, not by its profile, so that the
      // table is the same before and after the links merge profiles.
      std::string key;
      uint64_t profile = 0;
      for (uint32_t k = ev.id_begin; k < ev.id_begin + ev.id_count; ++k) {
        const Identifier &id = batch.identifiers[k];
        if (id.type == kLinkedIdentifierType) continue;
        key.append(id.type).append(1, '\0').append(id.value).append(1, '\0');
        if (profile != 0) continue;
        auto p = store_->find_profile(id.type, id.value);
        if (!p.ok()) return p.status();
        if (p->has_value()) profile = **p;
      }
      if (profile == 0) continue;
      for (const std::string &cell : row) key.append(1, '\1').append(cell);
      if (!seen.insert(std::move(key)).second) continue;
      t.table.rows.push_back(std::move(row));
      t.profile_of_row.push_back(profile);
    }
    return Status::Ok();
  });
}

// The stored evidence of a member's link (LinkedIdentifier::evidence):
// `{"with":{"type","value"},"weight","fields":[...]}`, `with` naming the
// other profile by its first identifier, `a` values from this member's
// record, `b` from the other's. "" for a pair an admin accepted.
Result<std::string> Pipeline::link_evidence(LinkTable &t, const linkage::Model &model,
                                            const LinkStrength &link) {
  if (link.pair == nullptr) return std::string();
  const uint32_t other = link.pair->a == link.row ? link.pair->b : link.pair->a;
  auto ids = t.ids(t.profile_of_row[other]);
  if (!ids.ok()) return ids.status();
  const auto [type, value] = anchor_of(**ids);
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("with").begin_object().key("type").string(type);
  w.key("value").string(value).end_object();
  linkage::write_pair_evidence(w, t.table, *linkage_, model, link.pair->pattern, link.row, other);
  w.end_object();
  return out;
}

// Runs on the calling thread once the writer is idle (end of finalize).
Status Pipeline::link_profiles(RunSummary *summary) {
  // Only at the end of run() and rebuild(), whose caller rebuilds with the
  // decisions (not after a dead-letter replay); nothing stored changed,
  // nothing new to link.
  if (!linkage_ || !decides_identity_ || summary->accepted == 0 || options_.skip_linkage) {
    return Status::Ok();
  }
  LinkTable t(*store_);
  Status s = read_link_records(t);
  if (!s.ok()) return s;
  linkage::LinkageResult result;
  std::string error;
  if (!linkage::link_records(t.table, *linkage_, result, error)) {
    return Status::Invalid("identity.linkage: " + error);
  }
  // An admin's decisions win over the model: a rejected pair is never
  // linked, an accepted one always is.
  std::unordered_map<std::string, LinkReview> reviewed;
  s = store_->scan_link_reviews([&](const LinkReview &r) { reviewed.emplace(pair_text(r), r); });
  if (!s.ok()) return s;
  const size_t n = t.table.rows.size();
  RowClusters clusters(n);
  std::unordered_map<uint64_t, uint32_t> first_row;  // profile -> its first row
  for (uint32_t r = 0; r < n; ++r) {
    auto [it, fresh] = first_row.emplace(t.profile_of_row[r], r);
    if (!fresh) clusters.join(it->second, r);  // records of one profile are one person
  }
  const bool any_rejected = std::any_of(reviewed.begin(), reviewed.end(), [](const auto &r) {
    return r.second.status == LinkReview::Status::kRejected;
  });
  // Per row: its strongest link to a row of another profile.
  std::vector<LinkStrength> best(n);
  auto link = [&](uint32_t a, uint32_t b, double probability, const linkage::ScoredPair *pair) {
    clusters.join(a, b);
    if (t.profile_of_row[a] == t.profile_of_row[b]) return;  // one person already
    for (uint32_t row : {a, b}) {
      if (probability > best[row].probability) best[row] = {probability, pair, row};
    }
  };
  for (const linkage::ScoredPair &p : result.links) {
    if (any_rejected) {  // naming the pair costs two identifier reads
      auto r = t.review_of(t.profile_of_row[p.a], t.profile_of_row[p.b]);
      if (!r.ok()) return r.status();
      auto known = reviewed.find(pair_text(*r));
      if (known != reviewed.end() && known->second.status == LinkReview::Status::kRejected) {
        continue;
      }
    }
    link(p.a, p.b, p.probability, &p);
  }
  for (const auto &[text, r] : reviewed) {
    if (r.status != LinkReview::Status::kAccepted) continue;
    auto a = store_->find_profile(r.a_type, r.a_value);
    auto b = store_->find_profile(r.b_type, r.b_value);
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    if (!a->has_value() || !b->has_value()) continue;
    auto ra = first_row.find(**a), rb = first_row.find(**b);
    if (ra != first_row.end() && rb != first_row.end()) {
      link(ra->second, rb->second, r.probability, nullptr);
    }
  }
  // New pairs in the review band, between profiles not linked otherwise.
  std::vector<LinkReview> queued;
  std::unordered_set<std::string> queued_pairs;
  for (const linkage::ScoredPair &p : result.review) {
    if (clusters.find(p.a) == clusters.find(p.b)) continue;
    auto r = t.review_of(t.profile_of_row[p.a], t.profile_of_row[p.b]);
    if (!r.ok()) return r.status();
    if (reviewed.count(pair_text(*r)) || !queued_pairs.insert(pair_text(*r)).second) continue;
    r->probability = p.probability;
    r->at_ms = wall_ms();
    queued.push_back(std::move(*r));
  }
  summary->review_pairs = queued.size();
  std::map<uint32_t, std::map<uint64_t, LinkStrength>> members;  // cluster -> profile -> link
  for (uint32_t r = 0; r < n; ++r) {
    LinkStrength &strongest = members[clusters.find(r)][t.profile_of_row[r]];
    if (best[r].probability > strongest.probability) strongest = best[r];
  }
  std::vector<LinkedIdentifier> decisions;
  for (const auto &[root, profiles] : members) {
    if (profiles.size() < 2) continue;
    s = link_cluster(t, result.model, profiles, decisions);
    if (!s.ok()) return s;
  }
  return store_decisions(decisions, queued, summary);
}

// The decisions that put every profile of one cluster under one key.
// `profiles`: ascending id -> its strongest link.
Status Pipeline::link_cluster(LinkTable &t, const linkage::Model &model,
                              const std::map<uint64_t, LinkStrength> &profiles,
                              std::vector<LinkedIdentifier> &decisions) {
  struct Member {
    LinkStrength link;
    const IdList *ids;
    std::string key;  // its smallest link key, "" when none
  };
  std::vector<Member> members;  // oldest profile first
  std::string key;              // the smallest key any member carries
  for (const auto &[profile, link] : profiles) {
    auto ids = t.ids(profile);
    if (!ids.ok()) return ids.status();
    if ((*ids)->empty()) continue;
    Member m{link, *ids, ""};
    for (const auto &[type, value] : *m.ids) {
      if (type == kLinkedIdentifierType && (m.key.empty() || value < m.key)) m.key = value;
    }
    if (!m.key.empty() && (key.empty() || m.key < key)) key = m.key;
    members.push_back(std::move(m));
  }
  if (members.size() < 2) return Status::Ok();
  if (key.empty()) {
    const auto [type, value] = anchor_of(*members.front().ids);
    key = type + ":" + value;
  }
  for (const Member &m : members) {
    const bool holds = std::any_of(m.ids->begin(), m.ids->end(), [&](const auto &id) {
      return id.first == kLinkedIdentifierType && id.second == key;
    });
    if (holds) continue;
    auto [type, value] =
        m.key.empty() ? anchor_of(*m.ids) : std::pair{std::string(kLinkedIdentifierType), m.key};
    // A decision already stored (a link the resolver's limits refused) is
    // not made again.
    auto known = normalize_options_.linked.find(linked_key(type, value));
    if (known != normalize_options_.linked.end() && known->second == key) continue;
    auto evidence = link_evidence(t, model, m.link);
    if (!evidence.ok()) return evidence.status();
    decisions.push_back({type, value, key, m.link.probability, std::move(*evidence)});
  }
  return Status::Ok();
}

Status Pipeline::store_decisions(const std::vector<LinkedIdentifier> &decisions,
                                 const std::vector<LinkReview> &queued, RunSummary *summary) {
  if (decisions.empty() && queued.empty()) return Status::Ok();
  Status s = store_->begin();
  for (size_t i = 0; s.ok() && i < decisions.size(); ++i) {
    s = store_->link_identifier(decisions[i], wall_ms());
  }
  for (size_t i = 0; s.ok() && i < queued.size(); ++i) s = store_->add_link_review(queued[i]);
  if (s.ok()) s = store_->commit();
  if (!s.ok()) return s;
  summary->probabilistic_links += decisions.size();
  if (!decisions.empty()) {
    log_info("identity",
             std::to_string(decisions.size()) + " profiles linked to others by identity.linkage");
  }
  if (!queued.empty()) {
    log_info("identity", std::to_string(queued.size()) +
                             " new pairs of profiles to review: halo identity review PIPELINE");
  }
  return Status::Ok();
}

}  // namespace halo
