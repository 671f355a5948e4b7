// segment_history.h -- the feature builder behind event-history conditions
// of the segment language (`count(Order Completed within 90d) >= 2`,
// `did Checkout Started within 1d`, docs/segments.md).
//
// Every such value is a feature of one `aggregates` instance the kernel
// appends to the pipeline's features, named kSegmentHistoryFeature, with one
// feature per distinct HistoryTerm named HistoryTerm::feature; windows use
// minute buckets, so `within 1d` is the last 1,440 minutes. Being a feature
// builder, it gets what every feature has: state kept per profile in the
// store, folded on merges, replayed by `halo rebuild`, and a profile emitted
// again when an event leaves a window, which re-evaluates its segments.
#pragma once

#include <map>
#include <string>

#include "config/pipeline_config.h"
#include "segment/segment_expr.h"

namespace halo {

// The time of a profile's latest event named `event` (a trigger's
// `unless`): the term `last(EVENT)`, an aggregates `last` of the timestamp.
segment::HistoryTerm last_event_term(const std::string &event);

// Every event-history value the segments, trigger conditions and trigger
// `unless` events of `config` read, by feature name: what the history
// builder keeps.
std::map<std::string, segment::HistoryTerm> history_terms(const PipelineConfig &config);

// `config` with the history builder appended to its features when one of
// its segments, trigger conditions or `unless` events reads event history; unchanged
// otherwise. An expression that does not parse is skipped here: creating
// the instances reports it (pipeline_setup.h).
PipelineConfig with_segment_history(PipelineConfig config);

}  // namespace halo
