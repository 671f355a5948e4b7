// store_tasks.h -- the store writes of one pipeline step, packaged as tasks
// that own their data, for the StoreWriter thread.
//
// Building a task copies what it needs out of the pipeline's reusable
// buffers (event bytes, resolver output, profile snapshots), so the
// pipeline can move on to the next batch while the task runs.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "event/event.h"
#include "pipeline/store_writer.h"
#include "plugin_host/host_api.h"
#include "store/store.h"

namespace halo {

struct IdentityMerge {
  uint64_t from, into, sequence;
};

struct FeatureStateRow {
  std::string instance;
  uint64_t profile_id;
  std::string data;
};

// The rows of a commit, written ahead in chunks by the tasks below, in this
// order: feature state, then profiles merged away (deleting a profile
// deletes its state too), then changed profiles. The writer's bounded queue
// keeps only a few chunks in memory, so a commit of every profile never
// holds all their rows at once; the transaction makes them land together
// with the rest of the commit.
StoreWriter::Task feature_state_task(std::vector<FeatureStateRow> rows);
// Profiles merged away: each leaves its segments (an exit event at
// `at_ms`, the run's reference time), then goes with all its rows.
StoreWriter::Task delete_profiles_task(std::vector<uint64_t> ids, int64_t at_ms);
StoreWriter::Task profiles_task(std::vector<StoredProfile> rows);
// (The change-log entries follow, also in chunks: ChangeSet::write_entries.)

// Everything one commit writes besides what earlier tasks already wrote.
struct CommitSnapshot {
  uint64_t next_profile_id = 1;
  std::vector<std::pair<std::string, std::string>> cursors;  // source -> cursor
  // Set to true once the commit is durable (sources told on their thread).
  std::vector<std::atomic<bool> *> committed_flags;
};

// Appends the batch's events (raw bytes copied) to the event log.
StoreWriter::Task log_task(const EventBatch &batch, std::vector<MessageKey> keys);
// Merges, links and refused links of one resolver call. Conflict::event
// holds the event's log sequence.
StoreWriter::Task identity_task(std::vector<IdentityMerge> merges,
                                std::vector<ResolutionOut::Link> links,
                                std::vector<ResolutionOut::Conflict> conflicts);
// Writes the snapshot and commits the transaction.
Status write_commit(Store &store, const CommitSnapshot &snapshot);

}  // namespace halo
