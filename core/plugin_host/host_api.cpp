// host_api.cpp -- the halo_host_api table: kernel functions plugins call.
//
// Every function here is called from inside a plugin callback and must not
// throw: allocation failures are the only exceptions possible and are
// swallowed where they would otherwise cross into plugin code.
#include "plugin_host/host_api.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "common/civil_date.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/secrets.h"
#include "common/utf8.h"
#include "config/option_view.h"
#include "plugin_host/host_api_http.h"
#include "plugin_host/host_api_http_server.h"
#include "plugin_host/host_api_mailbox.h"
#include "plugin_host/host_api_reports.h"
#include "plugin_host/host_api_smtp.h"

namespace halo {

void RawBatch::clear() {
  // Batches are recycled: keep the buffer unless one huge record grew it.
  if (data.capacity() > kKeepBytes) std::string().swap(data);
  data.clear();
  records.clear();
  errors.clear();
  origins.clear();
  end_of_data = false;
}

void RawBatch::add(std::string_view bytes, uint64_t position) {
  // Drop the previous padding, append, re-pad: the buffer always ends with
  // kPadding spare bytes.
  if (data.size() >= kPadding) data.resize(data.size() - kPadding);
  Record r;
  r.offset = data.size();
  r.len = bytes.size();
  r.position = position;
  r.origin = current_origin();
  // Grow once per record, geometrically; past kKeepBytes by 1/8 of the need
  // instead of doubling, so a huge record costs its size plus a little, not
  // up to twice its size (amortized growth stays geometric either way).
  const size_t need = data.size() + bytes.size() + kPadding;
  if (need > data.capacity()) {
    const size_t grown = need > kKeepBytes ? need + need / 8 : data.capacity() * 2;
    data.reserve(std::max(need, grown));
  }
  data.append(bytes);
  data.append(kPadding, ' ');
  records.push_back(r);
}

std::string RawBatch::where(uint32_t origin, uint64_t position) const {
  std::string w = origin < origins.size() ? origins[origin] : std::string();
  if (position != 0) w += (w.empty() ? "" : ":") + std::to_string(position);
  return w;
}

void ResolutionOut::reset(size_t events, uint64_t *next_id) {
  assignment.assign(events, 0);
  links.clear();
  merges.clear();
  conflicts.clear();
  rejections.clear();
  next_profile_id = next_id;
}

void Metrics::add(const std::string &name, double delta) {
  std::lock_guard<std::mutex> lock(mutex);
  values[name] += delta;
}

namespace {

std::string_view sv(const char *s, size_t n) {
  return s ? std::string_view(s, n) : std::string_view();
}

// --- diagnostics ---
void host_log(halo_context *ctx, int32_t level, const char *message) {
  if (!ctx || !message) return;
  LogLevel l = level <= HALO_LOG_DEBUG  ? LogLevel::kDebug
               : level == HALO_LOG_INFO ? LogLevel::kInfo
               : level == HALO_LOG_WARN ? LogLevel::kWarn
                                        : LogLevel::kError;
  log_message(l, ctx->label, message);
}
void host_set_error(halo_context *ctx, const char *message) {
  if (ctx) ctx->error = mask_secrets(message ? message : "");  // may quote a server's reply
}
void host_metric_add(halo_context *ctx, const char *name, double delta) {
  if (ctx && name) ctx->metrics.add(name, delta);
}
// The installed clock (common/clock.h): a test's fixed time reaches plugins.
int64_t host_now_ms(halo_context *) {
  return wall_ms();
}
int32_t host_cancelled(halo_context *ctx) {
  return ctx && ctx->cancel && ctx->cancel->load() ? 1 : 0;
}

// --- options ---
int32_t host_opt_string(halo_context *ctx, const char *path, const char **out, size_t *len) {
  if (!ctx || !ctx->options || !path) return 0;
  return ctx->options->get_string(path, out, len) ? 1 : 0;
}
int32_t host_opt_int(halo_context *ctx, const char *path, int64_t *out) {
  if (!ctx || !ctx->options || !path || !out) return 0;
  return ctx->options->get_int(path, out) ? 1 : 0;
}
int32_t host_opt_float(halo_context *ctx, const char *path, double *out) {
  if (!ctx || !ctx->options || !path || !out) return 0;
  return ctx->options->get_float(path, out) ? 1 : 0;
}
int32_t host_opt_bool(halo_context *ctx, const char *path, int32_t *out) {
  if (!ctx || !ctx->options || !path || !out) return 0;
  return ctx->options->get_bool(path, out) ? 1 : 0;
}
int32_t host_opt_size(halo_context *ctx, const char *path) {
  if (!ctx || !ctx->options || !path) return -1;
  return ctx->options->size(path);
}
int32_t host_opt_key(halo_context *ctx, const char *path, int32_t index, const char **out) {
  if (!ctx || !ctx->options || !path || !out) return 0;
  return ctx->options->key(path, index, out) ? 1 : 0;
}
void host_config_error(halo_context *ctx, const char *path, const char *message) {
  if (ctx) ctx->config_errors.emplace_back(path ? path : "", mask_secrets(message ? message : ""));
}
const char *host_base_dir(halo_context *ctx) {
  return ctx ? ctx->base_dir.c_str() : "";
}

// --- sources ---
void host_sink_add_record(halo_sink *sink, const char *data, size_t len, uint64_t position) {
  if (!sink || !sink->batch) return;
  sink->batch->add(sv(data, len), position);
}
void host_sink_add_error(halo_sink *sink, int32_t reason, const char *message, const char *data,
                         size_t len, uint64_t position) {
  if (!sink || !sink->batch) return;
  RawBatch::Error e;
  e.reason = reason;
  e.message = message ? message : "";
  e.raw.assign(sv(data, len));
  e.position = position;
  e.origin = sink->batch->current_origin();
  sink->batch->errors.push_back(std::move(e));
}
void host_sink_set_origin(halo_sink *sink, const char *origin) {
  if (!sink || !sink->batch) return;
  sink->batch->origins.emplace_back(origin ? origin : "");
}
void host_sink_end_of_data(halo_sink *sink) {
  if (sink && sink->batch) sink->batch->end_of_data = true;
}

// --- events ---
const EventBatch *events_of(const halo_batch *b) {
  return b ? b->events : nullptr;
}
bool in_range(const halo_batch *b, size_t i) {
  return events_of(b) && i < b->events->events.size();
}

size_t host_batch_size(const halo_batch *b) {
  return events_of(b) ? b->events->events.size() : 0;
}
int32_t host_event_type(const halo_batch *b, size_t i) {
  return in_range(b, i) ? b->events->events[i].type : 0;
}
void host_event_name(const halo_batch *b, size_t i, const char **out, size_t *len) {
  set_out(in_range(b, i) ? b->events->events[i].name : std::string_view(), out, len);
}
void host_event_message_id(const halo_batch *b, size_t i, const char **out, size_t *len) {
  set_out(in_range(b, i) ? b->events->events[i].message_id : std::string_view(), out, len);
}
void host_event_source(const halo_batch *b, size_t i, const char **out, size_t *len) {
  set_out(in_range(b, i) ? b->events->events[i].source : std::string_view(), out, len);
}
int64_t host_event_timestamp_ms(const halo_batch *b, size_t i) {
  return in_range(b, i) ? b->events->events[i].timestamp_ms : 0;
}
uint64_t host_event_sequence(const halo_batch *b, size_t i) {
  return in_range(b, i) ? b->events->events[i].sequence : 0;
}
size_t host_event_identifier_count(const halo_batch *b, size_t i) {
  return in_range(b, i) ? b->events->events[i].id_count : 0;
}
void host_event_identifier(const halo_batch *b, size_t i, size_t k, const char **type,
                           size_t *type_len, const char **value, size_t *value_len) {
  Identifier id;
  if (in_range(b, i) && k < b->events->events[i].id_count) {
    id = b->events->identifiers[b->events->events[i].id_begin + k];
  }
  set_out(id.type, type, type_len);
  set_out(id.value, value, value_len);
}
void fill_value(const Value &v, halo_value *out) {
  out->kind = v.kind;
  out->boolean = v.boolean ? 1 : 0;
  out->number = v.number;
  out->str = v.text.data();
  out->len = v.text.size();
}
int32_t host_event_field(const halo_batch *b, size_t i, const char *path, halo_value *out) {
  if (!in_range(b, i) || !path || !out) return 0;
  const Field *f = b->events->find_field(i, path);
  if (!f) return 0;
  fill_value(f->value, out);
  return 1;
}
size_t host_event_field_count(const halo_batch *b, size_t i) {
  return in_range(b, i) ? b->events->events[i].field_count : 0;
}
void host_event_field_at(const halo_batch *b, size_t i, size_t k, const char **path,
                         size_t *path_len, halo_value *out) {
  Field f;
  if (in_range(b, i) && k < b->events->events[i].field_count) {
    f = b->events->fields[b->events->events[i].field_begin + k];
  }
  set_out(f.path, path, path_len);
  if (out) fill_value(f.value, out);
}

// --- resolver output ---
uint64_t host_resolve_new_profile(halo_resolution *r) {
  if (!r || !r->out || !r->out->next_profile_id) return 0;
  if (uint64_t *reuse = r->out->reuse_profile_id; reuse != nullptr && *reuse != 0) {
    return std::exchange(*reuse, uint64_t{0});
  }
  return (*r->out->next_profile_id)++;
}
void host_resolve_assign(halo_resolution *r, size_t i, uint64_t profile) {
  if (r && r->out && i < r->out->assignment.size()) r->out->assignment[i] = profile;
}
void host_resolve_link_event(halo_resolution *r, size_t i, const char *type, size_t type_len,
                             const char *value, size_t value_len, uint64_t profile) {
  if (!r || !r->out || profile == 0) return;
  size_t event = i < r->out->assignment.size() ? i : ResolutionOut::kUnknownEvent;
  r->out->links.push_back(
      {std::string(sv(type, type_len)), std::string(sv(value, value_len)), profile, event});
}
// A link naming no event: the pipeline credits the batch's first carrier.
void host_resolve_link(halo_resolution *r, const char *type, size_t type_len, const char *value,
                       size_t value_len, uint64_t profile) {
  host_resolve_link_event(r, ResolutionOut::kUnknownEvent, type, type_len, value, value_len,
                          profile);
}
void host_resolve_merge(halo_resolution *r, uint64_t from, uint64_t into, size_t event) {
  if (!r || !r->out || from == 0 || into == 0 || from == into) return;
  r->out->merges.push_back({from, into, event});
}
void host_resolve_conflict(halo_resolution *r, size_t event, const char *type, size_t type_len,
                           const char *value, size_t value_len, uint64_t profile,
                           const char *reason) {
  if (!r || !r->out) return;
  r->out->conflicts.push_back({event, std::string(sv(type, type_len)),
                               std::string(sv(value, value_len)), profile, reason ? reason : ""});
}

// --- feature output ---
void host_state_write(halo_state_writer *w, uint64_t profile, const void *data, size_t len) {
  if (w && w->write) w->write(w->user, profile, data, len);
}
void feature_member(halo_feature_writer *w, const char *name, TypedValue value) {
  if (!w || !w->values || !name) return;
  w->values->push_back({name, std::move(value)});
}
// Keeps a JSON number's exact text (money stays exact); anything else falls
// back to the double, and a NaN or infinity to null, so a plugin can never
// inject JSON through the text.
void host_feature_number(halo_feature_writer *w, const char *name, const halo_value *v) {
  if (!v) return;
  std::string_view text = sv(v->str, v->len);
  feature_member(
      w, name, is_json_number(text) ? TypedValue::from_number(text) : TypedValue::real(v->number));
}
void host_feature_string(halo_feature_writer *w, const char *name, const char *value, size_t len) {
  feature_member(w, name, TypedValue::string(sv(value, len)));
}
void host_feature_bool(halo_feature_writer *w, const char *name, int32_t value) {
  feature_member(w, name, TypedValue::boolean(value != 0));
}
void host_feature_null(halo_feature_writer *w, const char *name) {
  feature_member(w, name, TypedValue::null());
}
void host_feature_valid_until(halo_feature_writer *w, int64_t at_ms) {
  if (w && at_ms < w->valid_until_ms) w->valid_until_ms = at_ms;
}

void host_model_param(halo_model_writer *w, const char *name, size_t name_len, double value) {
  if (w == nullptr) return;
  std::string_view n = sv(name, name_len);
  if (!w->error.empty()) return;
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (n.empty() || n.size() > halo_model_writer::kMaxName ||
      !std::all_of(n.begin(), n.end(), name_char)) {
    w->error = "model parameter name '" + std::string(n.substr(0, 80)) +
               "' is not 1 to 64 ASCII letters, digits or '_'";
    return;
  }
  if (!std::isfinite(value)) {
    w->error = "model parameter '" + std::string(n) + "' is not finite";
    return;
  }
  for (auto &[name_seen, v] : w->params) {
    if (name_seen == n) {
      v = value;
      return;
    }
  }
  w->params.emplace_back(std::string(n), value);
}

void host_model_data(halo_model_writer *w, const void *data, size_t len) {
  if (w == nullptr || !w->error.empty()) return;
  if (len > halo_model_writer::kMaxData) {
    w->error = "model data of " + std::to_string(len) + " bytes is over the limit of " +
               std::to_string(halo_model_writer::kMaxData);
    return;
  }
  if (data == nullptr || len == 0) {
    w->data.clear();
  } else {
    w->data.assign(static_cast<const char *>(data), len);
  }
}

void host_message_result(halo_message_delivery *d, size_t i, int32_t outcome, const char *detail,
                         size_t detail_len, int64_t retry_after_ms) {
  if (d == nullptr || i >= d->outcomes.size()) return;
  if (outcome < HALO_MESSAGE_SENT || outcome > HALO_MESSAGE_BOUNCED) return;
  halo_message_delivery::Outcome &o = d->outcomes[i];
  o.reported = true;
  o.outcome = outcome;
  std::string_view text = sv(detail, detail_len);
  text = utf8_prefix(text, halo_message_delivery::kMaxDetail);
  // Details are stored and shown (`halo messages list`): an error text
  // quoting a URL with a key in its path must not keep the key.
  o.detail = mask_secrets(text);
  o.retry_after_ms = std::max<int64_t>(retry_after_ms, 0);
}

void host_event_reject(const halo_batch *b, size_t i, const char *reason, const char *message) {
  if (!in_range(b, i) || b->rejections == nullptr) return;
  EventRejection r;
  r.index = i;
  r.reason = reason && *reason ? reason : "rejected";
  if (r.reason.size() > EventRejection::kMaxReason) r.reason.resize(EventRejection::kMaxReason);
  r.message = message ? message : "";
  if (r.message.size() > EventRejection::kMaxMessage) r.message.resize(EventRejection::kMaxMessage);
  b->rejections->push_back(std::move(r));
}

// --- destinations ---
size_t host_profiles_size(const halo_profile_batch *b) {
  return b && b->json ? b->json->size() : 0;
}
void host_profile_json(const halo_profile_batch *b, size_t i, const char **out, size_t *len) {
  std::string_view v;
  if (b && b->json && i < b->json->size()) v = (*b->json)[i];
  set_out(v, out, len);
}
uint64_t host_profile_id(const halo_profile_batch *b, size_t i) {
  return b && b->ids && i < b->ids->size() ? (*b->ids)[i] : 0;
}

// --- typed profile accessors (since 1.2) ---
const ProfileExport *typed_profile(const halo_profile_batch *b, size_t i) {
  return b && b->profiles && i < b->profiles->size() ? &(*b->profiles)[i] : nullptr;
}
int32_t typed_code(TypedKind k) {
  return static_cast<int32_t>(k) + 1;  // HALO_TYPED_* follow TypedKind's order
}
static_assert(HALO_TYPED_NULL == static_cast<int>(TypedKind::kNull) + 1);
static_assert(HALO_TYPED_DECIMAL == static_cast<int>(TypedKind::kDecimal) + 1);
static_assert(HALO_TYPED_STRING_LIST == static_cast<int>(TypedKind::kStringList) + 1);
// Fills *out as plugin.h's halo_typed_kind table says; returns the code.
int32_t to_halo_value(const halo_profile_batch *b, const TypedValue &v, halo_value *out) {
  if (!out) return typed_code(v.kind());
  *out = halo_value{HALO_VALUE_NULL, 0, 0, nullptr, 0};
  auto text = [&](std::string_view s) {
    out->str = s.data();
    out->len = s.size();
  };
  auto keep = [&](std::string s) {
    return std::string_view(b->rendered.emplace_back(std::move(s)));
  };
  switch (v.kind()) {
    case TypedKind::kNull:
      break;
    case TypedKind::kBool:
      out->kind = HALO_VALUE_BOOL;
      out->boolean = v.as_bool() ? 1 : 0;
      break;
    case TypedKind::kInteger:
    case TypedKind::kDouble:
      out->kind = HALO_VALUE_NUMBER;
      out->number = v.as_double();
      text(keep(v.number_text()));
      break;
    case TypedKind::kDecimal:
      out->kind = HALO_VALUE_NUMBER;
      out->number = v.as_double();
      text(v.text());
      break;
    case TypedKind::kString:
      out->kind = HALO_VALUE_STRING;
      text(v.text());
      break;
    case TypedKind::kTimestamp:
      out->kind = HALO_VALUE_STRING;
      out->number = static_cast<double>(v.as_integer());
      text(keep(format_iso8601_ms(v.as_integer())));
      break;
    case TypedKind::kStringList: {
      out->kind = HALO_VALUE_STRING;
      out->number = static_cast<double>(v.list().size());
      std::string json;
      v.append_json(json);
      text(keep(std::move(json)));
      break;
    }
  }
  return typed_code(v.kind());
}
int32_t absent(halo_value *out) {
  if (out) *out = halo_value{HALO_VALUE_NULL, 0, 0, nullptr, 0};
  return 0;
}
const NamedValue *named(const NamedValues &values, const char *name) {
  if (!name) return nullptr;
  for (const NamedValue &v : values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}
int32_t named_at(const halo_profile_batch *b, const NamedValues *values, size_t k,
                 const char **name, size_t *name_len, halo_value *out) {
  if (!values || k >= values->size()) {
    set_out({}, name, name_len);
    return absent(out);
  }
  set_out((*values)[k].name, name, name_len);
  return to_halo_value(b, (*values)[k].value, out);
}
int32_t host_profile_trait(const halo_profile_batch *b, size_t i, const char *name,
                           halo_value *out) {
  const ProfileExport *p = typed_profile(b, i);
  const NamedValue *v = p ? named(p->traits, name) : nullptr;
  return v ? to_halo_value(b, v->value, out) : absent(out);
}
size_t host_profile_trait_count(const halo_profile_batch *b, size_t i) {
  const ProfileExport *p = typed_profile(b, i);
  return p ? p->traits.size() : 0;
}
int32_t host_profile_trait_at(const halo_profile_batch *b, size_t i, size_t k, const char **name,
                              size_t *name_len, halo_value *out) {
  const ProfileExport *p = typed_profile(b, i);
  return named_at(b, p ? &p->traits : nullptr, k, name, name_len, out);
}
int32_t host_profile_feature(const halo_profile_batch *b, size_t i, const char *name,
                             halo_value *out) {
  const ProfileExport *p = typed_profile(b, i);
  const NamedValue *v = p ? named(p->features, name) : nullptr;
  return v ? to_halo_value(b, v->value, out) : absent(out);
}
size_t host_profile_feature_count(const halo_profile_batch *b, size_t i) {
  const ProfileExport *p = typed_profile(b, i);
  return p ? p->features.size() : 0;
}
int32_t host_profile_feature_at(const halo_profile_batch *b, size_t i, size_t k, const char **name,
                                size_t *name_len, halo_value *out) {
  const ProfileExport *p = typed_profile(b, i);
  return named_at(b, p ? &p->features : nullptr, k, name, name_len, out);
}
size_t host_profile_identifier_count(const halo_profile_batch *b, size_t i) {
  const ProfileExport *p = typed_profile(b, i);
  return p ? p->identifiers.size() : 0;
}
int32_t host_profile_identifier_at(const halo_profile_batch *b, size_t i, size_t k,
                                   const char **type, size_t *type_len, const char **value,
                                   size_t *value_len) {
  const ProfileExport *p = typed_profile(b, i);
  bool found = p && k < p->identifiers.size();
  set_out(found ? std::string_view(p->identifiers[k].first) : std::string_view(), type, type_len);
  set_out(found ? std::string_view(p->identifiers[k].second) : std::string_view(), value,
          value_len);
  return found ? 1 : 0;
}
int64_t host_profile_updated_at_ms(const halo_profile_batch *b, size_t i) {
  const ProfileExport *p = typed_profile(b, i);
  return p ? p->updated_at_ms : 0;
}

size_t host_profile_segment_count(const halo_profile_batch *b, size_t i) {
  const ProfileExport *p = typed_profile(b, i);
  return p ? p->segments.size() : 0;
}
int32_t host_profile_segment_at(const halo_profile_batch *b, size_t i, size_t k, const char **name,
                                size_t *name_len) {
  const ProfileExport *p = typed_profile(b, i);
  bool found = p && k < p->segments.size();
  set_out(found ? std::string_view(p->segments[k]) : std::string_view(), name, name_len);
  return found ? 1 : 0;
}

halo_host_api make_table() {
  halo_host_api t{};
  t.struct_size = sizeof(halo_host_api);
  t.abi_major = HALO_ABI_MAJOR;
  t.abi_minor = HALO_ABI_MINOR;
  t.log = host_log;
  t.set_error = host_set_error;
  t.metric_add = host_metric_add;
  t.now_ms = host_now_ms;
  t.cancelled = host_cancelled;
  t.opt_string = host_opt_string;
  t.opt_int = host_opt_int;
  t.opt_float = host_opt_float;
  t.opt_bool = host_opt_bool;
  t.opt_size = host_opt_size;
  t.opt_key = host_opt_key;
  t.config_error = host_config_error;
  t.base_dir = host_base_dir;
  t.sink_add_record = host_sink_add_record;
  t.sink_add_error = host_sink_add_error;
  t.sink_set_origin = host_sink_set_origin;
  t.sink_end_of_data = host_sink_end_of_data;
  t.batch_size = host_batch_size;
  t.event_type = host_event_type;
  t.event_name = host_event_name;
  t.event_message_id = host_event_message_id;
  t.event_source = host_event_source;
  t.event_timestamp_ms = host_event_timestamp_ms;
  t.event_sequence = host_event_sequence;
  t.event_identifier_count = host_event_identifier_count;
  t.event_identifier = host_event_identifier;
  t.event_field = host_event_field;
  t.event_field_count = host_event_field_count;
  t.event_field_at = host_event_field_at;
  t.resolve_new_profile = host_resolve_new_profile;
  t.resolve_assign = host_resolve_assign;
  t.resolve_link = host_resolve_link;
  t.resolve_merge = host_resolve_merge;
  t.resolve_conflict = host_resolve_conflict;
  t.state_write = host_state_write;
  t.feature_number = host_feature_number;
  t.feature_string = host_feature_string;
  t.feature_bool = host_feature_bool;
  t.feature_null = host_feature_null;
  t.feature_valid_until = host_feature_valid_until;
  t.model_param = host_model_param;
  t.model_data = host_model_data;
  t.message_result = host_message_result;
  t.smtp_send = host_smtp_send;
  t.profiles_size = host_profiles_size;
  t.profile_json = host_profile_json;
  t.profile_id = host_profile_id;
  t.http_request = host_http_request;
  t.http_status = host_http_status;
  t.http_body = host_http_body;
  t.http_header = host_http_header;
  t.http_attempts = host_http_attempts;
  t.http_free = host_http_free;
  t.event_reject = host_event_reject;
  t.http_route_add = host_http_route_add;
  t.http_server_port = host_http_server_port;
  t.http_req_method = host_http_req_method;
  t.http_req_path = host_http_req_path;
  t.http_req_query = host_http_req_query;
  t.http_req_header = host_http_req_header;
  t.http_req_body = host_http_req_body;
  t.http_resp_status = host_http_resp_status;
  t.http_resp_header = host_http_resp_header;
  t.http_resp_body = host_http_resp_body;
  t.profile_trait = host_profile_trait;
  t.profile_trait_count = host_profile_trait_count;
  t.profile_trait_at = host_profile_trait_at;
  t.profile_feature = host_profile_feature;
  t.profile_feature_count = host_profile_feature_count;
  t.profile_feature_at = host_profile_feature_at;
  t.profile_identifier_count = host_profile_identifier_count;
  t.profile_identifier_at = host_profile_identifier_at;
  t.profile_updated_at_ms = host_profile_updated_at_ms;
  t.profile_segment_count = host_profile_segment_count;
  t.profile_segment_at = host_profile_segment_at;
  t.delivery_receipt = host_delivery_receipt;
  t.consent_record = host_consent_record;
  t.http_request_many = host_http_request_many;
  t.resolve_link_event = host_resolve_link_event;
  t.mailbox_request = host_mailbox_request;
  t.smtp_send_many = host_smtp_send_many;
  return t;
}

}  // namespace

const halo_host_api *host_api() {
  static const halo_host_api table = make_table();
  return &table;
}

}  // namespace halo
