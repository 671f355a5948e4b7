// segment_history.cpp -- see segment_history.h.
#include "pipeline/segment_history.h"

namespace halo {

segment::HistoryTerm last_event_term(const std::string &event) {
  segment::HistoryTerm term{"last", event, "", 0, ""};
  term.feature = segment::history_feature_name(term);
  return term;
}

std::map<std::string, segment::HistoryTerm> history_terms(const PipelineConfig &config) {
  std::map<std::string, segment::HistoryTerm> terms;
  const auto add = [&](const std::string &text) {
    segment::ExprError error;
    std::optional<segment::Expr> expr = segment::Expr::parse(text, error);
    if (!expr) return;
    for (const segment::HistoryTerm &t : expr->history()) terms.emplace(t.feature, t);
  };
  for (const PipelineConfig::Segment &s : config.segments) add(s.expression);
  for (const PipelineConfig::Trigger &t : config.triggers) {
    add(t.condition);
    for (const std::string &event : t.unless_events) {
      segment::HistoryTerm term = last_event_term(event);
      terms.emplace(term.feature, std::move(term));
    }
  }
  return terms;
}

namespace {

// The aggregate of one term in the `aggregates` option syntax:
// { count: { event: NAME, window: 90d, bucket: 1m } }.
YAML::Node aggregate_of(const segment::HistoryTerm &term) {
  YAML::Node spec(YAML::NodeType::Map);
  spec["event"] = term.event;
  if (!term.field.empty()) spec["field"] = term.field;
  if (term.window_ms != 0) {
    spec["window"] = std::to_string(term.window_ms / 60'000) + "m";
    spec["bucket"] = "1m";
  }
  YAML::Node aggregate(YAML::NodeType::Map);
  aggregate[term.op] = spec;
  return aggregate;
}

}  // namespace

PipelineConfig with_segment_history(PipelineConfig config) {
  const std::map<std::string, segment::HistoryTerm> terms = history_terms(config);
  if (terms.empty()) return config;
  YAML::Node features(YAML::NodeType::Map);
  for (const auto &[name, term] : terms) features[name] = aggregate_of(term);
  PluginUse use;
  use.name = std::string(kSegmentHistoryFeature);
  use.plugin = "aggregates";
  use.config = YAML::Node(YAML::NodeType::Map);
  use.config["features"] = features;
  // Problems with it are the segments' to fix: point there.
  use.mark = config.segments.empty() ? config.triggers.front().mark
                                     : config.segments.front().expression_mark;
  use.config_mark = use.mark;
  config.features.push_back(std::move(use));
  return config;
}

}  // namespace halo
