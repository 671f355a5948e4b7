// host_api.h -- the kernel side of the plugin ABI: the definitions of the
// opaque handles of plugin.h and the one halo_host_api table.
//
// Each handle is a thin struct pointing at a kernel object owned by the
// pipeline stage that makes the call; plugins only ever see pointers to them.
// Host functions never throw (they run inside plugin calls) and treat bad
// arguments from a plugin (out-of-range indexes, NULL pointers) as no-ops
// that return empty values, so a buggy plugin cannot crash the kernel through
// the host table.
#pragma once

#include <halo/plugin.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "http/mailbox_client.h"
#include "http/retry_budget.h"
#include "http/smtp_client.h"
#include "http_server/server_hub.h"
#include "plugin_host/report_sink.h"
#include "profile/profile_export.h"
#include "profile/typed_value.h"

namespace halo {

class OptionView;

// Records a source produced in one next_batch() call. Record bytes are
// stored back to back in `data`, which always keeps kPadding spare bytes at
// its end so the JSON parser may read past a record (simdjson's rule).
struct RawBatch {
  static constexpr size_t kPadding = 64;
  static constexpr size_t kKeepBytes = size_t{64} << 20;  // kept across clear()
  struct Record {
    size_t offset = 0;
    size_t len = 0;
    uint64_t position = 0;
    uint32_t origin = 0;
  };
  struct Error {
    int32_t reason = 0;
    std::string message;
    std::string raw;
    uint64_t position = 0;
    uint32_t origin = 0;
  };
  std::string data;
  std::vector<Record> records;
  std::vector<Error> errors;
  std::vector<std::string> origins;
  bool end_of_data = false;

  void clear();
  void add(std::string_view bytes, uint64_t position);
  std::string_view record(size_t i) const {
    return {data.data() + records[i].offset, records[i].len};
  }
  // Readable bytes from the start of record i to the end of the buffer.
  size_t readable(size_t i) const { return data.size() - records[i].offset; }
  std::string where(uint32_t origin, uint64_t position) const;
  uint32_t current_origin() const {
    return origins.empty() ? 0 : static_cast<uint32_t>(origins.size() - 1);
  }
};

// An event a plugin refused through host->event_reject (ABI 1.2).
struct EventRejection {
  size_t index = 0;    // event index in the batch the plugin was called with
  std::string reason;  // snake_case code, at most kMaxReason bytes
  std::string message;
  static constexpr size_t kMaxReason = 64;
  static constexpr size_t kMaxMessage = 4096;
};

// Everything a resolver said about one batch.
struct ResolutionOut {
  static constexpr size_t kUnknownEvent = SIZE_MAX;
  struct Link {
    std::string type, value;
    uint64_t profile;
    // The batch index of the event that made it (resolve_link_event), or
    // kUnknownEvent (resolve_link): the pipeline then credits the first
    // event of the batch carrying the identifier.
    size_t event = kUnknownEvent;
    uint64_t sequence = 0;  // that event's log sequence (set by the pipeline)
    int64_t at_ms = 0;      // that event's timestamp (set by the pipeline)
  };
  struct Merge {
    uint64_t from, into;
    size_t event;
  };
  struct Conflict {
    size_t event;
    std::string type, value;
    uint64_t profile;
    std::string reason;
    uint64_t event_profile = 0;  // where the event went (set by the pipeline)
  };
  std::vector<uint64_t> assignment;  // per event; 0 = not assigned
  std::vector<Link> links;
  std::vector<Merge> merges;
  std::vector<Conflict> conflicts;
  std::vector<EventRejection> rejections;  // events refused with event_reject
  uint64_t *next_profile_id = nullptr;     // owned by the pipeline, persisted by it
  // A split (Pipeline::split): when it points to a non-zero id, the next
  // new profile takes that id, and it is set to 0. Owned by the pipeline.
  uint64_t *reuse_profile_id = nullptr;
  void reset(size_t events, uint64_t *next_id);
};

// Per-instance metrics, readable by the kernel for summaries.
struct Metrics {
  std::mutex mutex;
  std::map<std::string, double> values;
  void add(const std::string &name, double delta);
};

}  // namespace halo

// ---- Definitions of the opaque handles (global namespace, as in plugin.h) --

namespace halo {
// An instance's kept SMTP connection (halo_context::smtp).
struct KeptSmtpConnection {
  std::mutex busy;
  SmtpConnection connection;
};
// The connections smtp_send_many keeps, one per session it runs at once.
struct SmtpConnectionPool {
  std::mutex busy;
  std::vector<std::unique_ptr<SmtpConnection>> connections;
};
// An instance's kept IMAP/POP3 connection (halo_context::mailbox).
struct KeptMailboxConnection {
  std::mutex busy;
  MailboxConnection connection;
};
}  // namespace halo

struct halo_context {
  std::string label;  // e.g. "source 'web' (file-jsonl)"
  std::string base_dir;
  halo::OptionView *options = nullptr;
  std::string error;                                               // last set_error message
  std::vector<std::pair<std::string, std::string>> config_errors;  // (path, message)
  const std::atomic<bool> *cancel = nullptr;
  halo::Metrics metrics;
  // HTTP routes this instance added (ABI 1.2); cleared before stop()/destroy().
  std::vector<halo::RouteLease> http_routes;
  // Created by `halo validate` only: http_route_add checks the route but
  // adds none, so no server starts and no port is bound.
  bool dry_run = false;
  // Routes stay from stop() to destroy() (destinations: started and
  // stopped once per delivery, reached by receivers in between).
  bool routes_until_destroy = false;
  // Where delivery_receipt and consent_record go (destinations; null in
  // `halo validate`), and the destination's name in the pipeline.
  std::shared_ptr<halo::ReportSink> reports;
  std::string report_name;
  // The retry budget of the current call into the plugin, shared by the
  // host HTTP client and the kernel's HALO_RETRY loop (retry_budget.h).
  halo::RetryBudget retry;
  // Requests of one http_request_many call in flight at once (the plugin
  // use's `concurrency`).
  int http_concurrency = 4;
  // The SMTP connection smtp_send keeps between this instance's messages
  // (opened on first use, closed with the context); a call that finds it
  // busy (a plugin's second thread) sends on a connection of its own.
  halo::KeptSmtpConnection smtp;
  halo::SmtpConnectionPool smtp_pool;  // smtp_send_many's (http_concurrency at most)
  // The same for mailbox_request (a source reading a bounce mailbox).
  halo::KeptMailboxConnection mailbox;
};

struct halo_sink {
  halo::RawBatch *batch = nullptr;
};

struct halo_batch {
  const halo::EventBatch *events = nullptr;
  // Where event_reject records refusals; null outside resolve()/update().
  std::vector<halo::EventRejection> *rejections = nullptr;
};

struct halo_resolution {
  halo::ResolutionOut *out = nullptr;
};

struct halo_state_writer {
  // Called for every state row; the bytes are valid during the call only.
  void (*write)(void *user, uint64_t profile_id, const void *data, size_t len) = nullptr;
  void *user = nullptr;
};

struct halo_feature_writer {
  halo::NamedValues *values = nullptr;  // receives the emitted features, in order
  // The earliest time the values written may change without a new event
  // (feature_valid_until); INT64_MAX when the builder named none.
  int64_t valid_until_ms = INT64_MAX;
};

// What fit() reported: parameters in the order first reported (a name
// reported again keeps its place, with the last value), and the first
// problem (a bad name or a value that is not finite), which fails the fit.
struct halo_model_writer {
  std::vector<std::pair<std::string, double>> params;
  std::string data;  // model_data: the fitted model in the builder's encoding
  std::string error;
  static constexpr size_t kMaxName = 64;
  static constexpr size_t kMaxData = size_t{256} << 20;
};

// What deliver_messages() reported (message_result): one outcome per
// message of the call, in call order; `reported` false where the plugin
// said nothing.
struct halo_message_delivery {
  struct Outcome {
    bool reported = false;
    int32_t outcome = HALO_MESSAGE_RETRY;
    std::string detail;
    int64_t retry_after_ms = 0;
  };
  std::vector<Outcome> outcomes;
  static constexpr size_t kMaxDetail = 1024;
};

struct halo_profile_batch {
  const std::vector<std::string> *json = nullptr;
  const std::vector<uint64_t> *ids = nullptr;
  // The same profiles typed, for the typed accessors (since 1.2); may be
  // null, and then those accessors find nothing.
  const std::vector<halo::ProfileExport> *profiles = nullptr;
  // Text the typed accessors render (integer digits, timestamps, lists),
  // kept until the batch dies so the views handed out stay valid.
  mutable std::deque<std::string> rendered;
};

namespace halo {
// The table handed to every plugin (static storage, immutable).
const halo_host_api *host_api();

// Hands a view out through a host function's optional out-parameters
// (either may be null).
inline void set_out(std::string_view v, const char **out, size_t *len) {
  if (out) *out = v.data();
  if (len) *len = v.size();
}
}  // namespace halo
