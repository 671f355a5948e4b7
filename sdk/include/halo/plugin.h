/*
 * halo/plugin.h -- the binary contract between the Halo kernel and its plugins.
 *
 * This C header is the whole contract. A plugin library exports exactly one
 * symbol, halo_plugin_entry(), which returns the descriptors of the plugins it
 * contains. Everything else crosses through two function tables: the plugin's
 * per-kind vtable (kernel -> plugin) and the host API (plugin -> kernel).
 *
 * Stability rules (ABI major HALO_ABI_MAJOR):
 *   - Every growable struct that crosses starts with `struct_size`. Fields
 *     and functions are only ever appended, each tagged `since 1.x`;
 *     HALO_ABI_MINOR is bumped when they are.
 *   - Frozen structs: halo_value, halo_http_header, halo_identity_link,
 *     halo_state_row and halo_magic_block carry no struct_size, so they can
 *     never grow: their layout is fixed for ABI major 1 (pinned by the
 *     layout test in tests/abi). New data means a new struct, not a new
 *     field.
 *   - The host reads only the descriptor/vtable fields the plugin's
 *     struct_size covers; a plugin calls only host functions the host table's
 *     struct_size covers (use HALO_HOST_HAS).
 *   - A plugin loads when its abi_major equals the host's and its abi_minor is
 *     not newer than the host's.
 *   - The first fields of halo_plugin_descriptor (struct_size, abi_major,
 *     abi_minor, magic) never move, so a host of any version can read them
 *     and refuse a plugin precisely.
 *
 * Memory: whoever allocates frees. Pointers a plugin hands the host (names,
 * cursors, messages) stay valid until the next call on that instance (static
 * strings forever). Pointers the host hands a plugin (batches, values, option
 * strings) are valid only for the duration of the call that received them,
 * unless documented otherwise.
 *
 * Errors: callbacks return a halo_status; the message goes to the host through
 * host->set_error() before returning. Nothing may unwind across this boundary:
 * no C++ exception, no longjmp. No C++ or STL type crosses it.
 *
 * Return values, one convention for vtables and host functions (members
 * added from 1.2 on follow it; older ones keep their signatures):
 *   - a call that can fail returns its outcome as a halo_status value
 *     (vtables declare halo_status; host functions int32_t, the same
 *     values: an enum's size is the compiler's choice, int32_t's is not);
 *     a message goes through set_error or an explicit message buffer;
 *   - a lookup that may find nothing returns int32_t 1 (found, outputs set)
 *     or 0 (absent, outputs untouched);
 *   - data comes back through out-parameters (pointer + length), never as
 *     a struct by value; counts are size_t;
 *   - a call that cannot fail returns void (or its value: now_ms, ids).
 * Exceptions kept for ABI 1: opt_size returns -1 for "absent or scalar"
 * and base_dir returns its string directly.
 *
 * Threading: an instance is called from one thread at a time unless its
 * descriptor sets HALO_CAP_THREAD_SAFE. Host API functions may be called from
 * the thread that is currently inside a callback of that instance; log and
 * metric functions may be called from any thread. HTTP route handlers
 * (since 1.2) are the exception: see halo_http_handler.
 */
#ifndef HALO_PLUGIN_H
#define HALO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HALO_ABI_MAJOR 1
#define HALO_ABI_MINOR 2
/* Minor history: 1.0 first release; 1.1 appended the HTTP client (http_*);
 * 1.2 appended per-event rejection (event_reject), the HTTP server
 * routes (http_route_add, http_server_port, http_req_*, http_resp_*),
 * option bounds, allowed values, durations and sizes (halo_option_decl),
 * the typed profile accessors (profile_trait, ..., halo_typed_kind) and
 * feature_valid_until, HALO_CAP_PARTIAL_RESTORE and incremental delivery
 * (HALO_CAP_INCREMENTAL_DELIVERY, begin_delivery, remove_profiles), and the
 * feature builders' population step (fit, halo_model_writer, model_param),
 * and message delivery from the outbox (deliver_messages, halo_message,
 * halo_message_delivery, message_result, smtp_send), the profiles'
 * segments (profile_segment_count/_at), delivery reports
 * (delivery_receipt, consent_record), polled delivery reports
 * (poll_receipts, halo_sent_message), concurrent HTTP requests
 * (http_request_many), and kept-alive connections (keep_alive in
 * halo_http_request). */

/* 'HALO' read as a little-endian uint32; a host compares it byte for byte. */
#define HALO_MAGIC 0x4F4C4148u
/* Written natively; reads 0x0102 on the builder's byte order. */
#define HALO_BYTE_ORDER_MARK 0x0102u

#define HALO_ENTRY_SYMBOL "halo_plugin_entry"

#if defined(_WIN32)
#define HALO_EXPORT __declspec(dllexport)
#else
#define HALO_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

typedef enum halo_status {
  HALO_OK = 0,
  HALO_RETRY = 1, /* transient: the kernel backs off and calls again */
  HALO_ERROR = 2, /* this batch failed: the kernel dead-letters it (sources:
                     records added before it are kept, see next_batch) */
  HALO_FATAL = 3  /* this instance cannot go on: the run stops */
} halo_status;

typedef enum halo_plugin_kind {
  HALO_KIND_SOURCE = 1,
  HALO_KIND_RESOLVER = 2,
  HALO_KIND_FEATURE = 3,
  HALO_KIND_DESTINATION = 4
} halo_plugin_kind;

/* Capability flags (halo_plugin_descriptor.capabilities). Bits 2 and 3
 * were announced in 1.0 for erasure and schema discovery but nothing ever
 * read them; they stay reserved (never reused, ignored by the host) until a
 * minor version defines them with the host functions behind them. */
#define HALO_CAP_THREAD_SAFE (1u << 0) /* instance may be called concurrently */
#define HALO_CAP_CHECKPOINT (1u << 1)  /* source keeps a resumable cursor */
/* since 1.2: a resolver or feature builder whose restore() may be called
 * again between its other calls, each time with the rows of profiles it
 * was not given before. The kernel then restores a stored profile only
 * when a batch first involves it -- before resolve(), every stored link of
 * every identifier in the batch and of the profiles those belong to;
 * before update(), merge() or emit() for a profile, that profile's state
 * rows -- so a run's memory and start-up time follow what it touches, not
 * the store's size. Without the flag, everything is restored at once
 * before the first such call, as in 1.0 and 1.1. Ignored for sources and
 * destinations. */
#define HALO_CAP_PARTIAL_RESTORE (1u << 4)
/* since 1.2: a destination that can apply a delivery of only what changed
 * since its previous complete delivery (begin_delivery, remove_profiles in
 * halo_destination_vtable). Without the flag every delivery hands over
 * every live profile. Ignored for other kinds. */
#define HALO_CAP_INCREMENTAL_DELIVERY (1u << 5)

typedef enum halo_log_level {
  HALO_LOG_DEBUG = 0,
  HALO_LOG_INFO = 1,
  HALO_LOG_WARN = 2,
  HALO_LOG_ERROR = 3
} halo_log_level;

/* Dead-letter reason codes a source may report for records it cannot read. */
typedef enum halo_reason {
  HALO_REASON_MALFORMED = 1,    /* not parseable in the source's format */
  HALO_REASON_BAD_ENCODING = 2, /* invalid UTF-8 or undecodable bytes */
  HALO_REASON_WRONG_SHAPE = 3,  /* e.g. CSV row with the wrong column count */
  HALO_REASON_TOO_LARGE = 4,    /* record exceeds a size limit */
  HALO_REASON_UNREADABLE = 5,   /* I/O error on the underlying file/stream */
  HALO_REASON_INVALID = 6       /* parsed but semantically invalid */
} halo_reason;

/* ------------------------------------------------------------------------ */
/* Opaque handles (all owned by the host)                                    */
/* ------------------------------------------------------------------------ */

typedef struct halo_context halo_context;       /* one per plugin instance */
typedef struct halo_sink halo_sink;             /* source output for one batch */
typedef struct halo_batch halo_batch;           /* read-only normalized events */
typedef struct halo_resolution halo_resolution; /* resolver output */
typedef struct halo_state_writer halo_state_writer;
typedef struct halo_feature_writer halo_feature_writer;
typedef struct halo_model_writer halo_model_writer; /* since 1.2 */
typedef struct halo_profile_batch halo_profile_batch;
typedef struct halo_http_response halo_http_response;               /* since 1.1 */
typedef struct halo_http_server_request halo_http_server_request;   /* since 1.2 */
typedef struct halo_http_server_response halo_http_server_response; /* since 1.2 */
typedef struct halo_message_delivery halo_message_delivery;         /* since 1.2 */

/* Opaque plugin instance, owned by the plugin (created by create(), freed by
 * destroy()). */
typedef struct halo_instance halo_instance;

/* ------------------------------------------------------------------------ */
/* Values                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum halo_value_kind {
  HALO_VALUE_NULL = 0,
  HALO_VALUE_BOOL = 1,
  HALO_VALUE_NUMBER = 2,
  HALO_VALUE_STRING = 3
} halo_value_kind;

/* A scalar read from an event. For numbers, `str`/`len` hold the literal's
 * exact decimal text (so money can be summed exactly) and `number` its
 * double value. Strings are UTF-8, not NUL-terminated.
 * Frozen for ABI 1 (no struct_size; see the stability rules). */
typedef struct halo_value {
  uint32_t kind; /* halo_value_kind */
  int32_t boolean;
  double number;
  const char *str;
  size_t len;
} halo_value;

/* since 1.2: the type of a profile trait or feature, returned by the typed
 * profile accessors (profile_trait, ...) beside a halo_value that carries
 * it. Mapping onto halo_value:
 *   HALO_TYPED_NULL        kind NULL
 *   HALO_TYPED_BOOL        kind BOOL, `boolean` 0 or 1
 *   HALO_TYPED_INTEGER     kind NUMBER, `str` the decimal digits ("-42"),
 *                          `number` the value as a double
 *   HALO_TYPED_DECIMAL     kind NUMBER, `str` the exact decimal text as
 *                          received ("19.90"; sum money from it, not from
 *                          `number`)
 *   HALO_TYPED_DOUBLE      kind NUMBER, `str` 17 significant digits
 *   HALO_TYPED_STRING      kind STRING, UTF-8
 *   HALO_TYPED_TIMESTAMP   kind STRING, `str` ISO-8601 UTC
 *                          ("2026-01-02T10:00:00.000Z"), `number` the
 *                          milliseconds since the Unix epoch
 *   HALO_TYPED_STRING_LIST kind STRING, `str` the items as a JSON array of
 *                          strings, `number` the item count
 * The codes never change; a later minor may add codes, so treat an unknown
 * one by its halo_value kind. */
typedef enum halo_typed_kind {
  HALO_TYPED_NULL = 1,
  HALO_TYPED_BOOL = 2,
  HALO_TYPED_INTEGER = 3,
  HALO_TYPED_DECIMAL = 4,
  HALO_TYPED_DOUBLE = 5,
  HALO_TYPED_STRING = 6,
  HALO_TYPED_TIMESTAMP = 7,
  HALO_TYPED_STRING_LIST = 8
} halo_typed_kind;

/* Event types of the normalized model (Segment spec). */
typedef enum halo_event_type {
  HALO_EVENT_IDENTIFY = 1,
  HALO_EVENT_TRACK = 2,
  HALO_EVENT_PAGE = 3,
  HALO_EVENT_SCREEN = 4,
  HALO_EVENT_GROUP = 5,
  HALO_EVENT_ALIAS = 6
} halo_event_type;

/* ------------------------------------------------------------------------ */
/* Declared options                                                          */
/* ------------------------------------------------------------------------ */

typedef enum halo_option_type {
  HALO_OPT_STRING = 1,
  HALO_OPT_INT = 2,
  HALO_OPT_FLOAT = 3,
  HALO_OPT_BOOL = 4,
  HALO_OPT_STRING_LIST = 5,
  HALO_OPT_MAP = 6,  /* nested mapping, read with the path accessors */
  HALO_OPT_LIST = 7, /* list of mappings/scalars, read with path accessors */
  /* A duration with its unit: "250ms", "90s", "30m", "2h", "7d", "2w"
   * ("0" needs none). opt_int reads it in milliseconds; opt_string reads
   * the text as written. */
  HALO_OPT_DURATION = 8, /* since 1.2 */
  /* A byte count: "1048576", "512B", "64KiB", "10MiB", "1GiB" (also kB,
   * MB, GB, TB in powers of 1000). opt_int reads it in bytes. */
  HALO_OPT_SIZE = 9 /* since 1.2 */
} halo_option_type;

/* One row of a plugin's option table. The kernel validates YAML against it
 * (unknown keys, types, required, bounds, allowed values), prints it for
 * `halo plugins --describe`, and redacts values of secret options in every
 * log and error. All strings are static. The declared default is the one
 * place a default lives: for an absent option the opt_* functions read it
 * as if it were written in the pipeline file.
 * The host reads only the fields struct_size covers; fields a plugin built
 * against an older minor lacks read as NULL/0 (no bounds, any value). */
typedef struct halo_option_decl {
  uint32_t struct_size;
  uint32_t type;             /* halo_option_type */
  const char *name;          /* top-level key under `config:` */
  const char *default_value; /* text form, or NULL for none */
  int32_t required;
  int32_t secret;
  const char *description; /* one sentence */

  /* Inclusive bounds of INT, FLOAT, DURATION and SIZE options, in the
   * option's own text form ("1", "0.5", "1s", "64KiB"); NULL = unbounded.
   * The kernel refuses a value outside them, naming the bounds. */
  /* since 1.2 */ const char *min_value;
  /* since 1.2 */ const char *max_value;
  /* STRING and STRING_LIST options: the only values accepted (compared
   * exactly), allowed_count entries; NULL = any string. */
  /* since 1.2 */ const char *const *allowed_values;
  /* since 1.2 */ uint32_t allowed_count;
} halo_option_decl;

/* ------------------------------------------------------------------------ */
/* HTTP client requests (since ABI 1.1)                                      */
/* ------------------------------------------------------------------------ */

/* Frozen for ABI 1 (no struct_size; see the stability rules). */
typedef struct halo_http_header {
  const char *name;
  const char *value;
} halo_http_header;

/* One HTTP request performed by the host with libcurl. The host retries
 * transient failures itself -- connection errors, timeouts, 429 and 5xx --
 * with exponential backoff and jitter, honouring Retry-After, up to
 * max_attempts; the plugin never sleeps. These retries and the kernel's
 * re-calls of a plugin call that returned HALO_RETRY share one budget per
 * call (the pipeline's http.retry.max_attempts / max_seconds), so they never
 * multiply. Credential header values (Authorization, ...) are masked by
 * value in every message and log. TLS peer and host verification are
 * on unless `insecure` is set (logged as a warning). */
typedef struct halo_http_request {
  uint32_t struct_size;
  const char *method; /* "GET", "POST", ... */
  const char *url;    /* absolute http:// or https:// URL */
  const halo_http_header *headers;
  size_t header_count;
  const char *body; /* may be NULL */
  size_t body_len;
  int32_t timeout_ms;   /* whole request; 0 = 30000 */
  int32_t max_attempts; /* 0 = http.retry.max_attempts (5); 1 = no retry */
  int32_t insecure;     /* 1 = skip TLS verification (explicit opt-in only) */
  const char *ca_file;  /* extra trusted CA bundle (PEM), or NULL */
  /* since 1.2: 1 = the connection may be kept open after the response and
   * reused by a later keep_alive request to the same origin (scheme, host,
   * port) with the same TLS settings, from any instance -- no new TCP and
   * TLS handshake per request. Only for requests that are safe to arrive
   * more than once (idempotent, or de-duplicated by the receiver with an id
   * the request carries): when a kept connection turns out to have been
   * closed by the server before any byte of the answer came, libcurl sends
   * the request again on another connection within the same attempt, so
   * the server may have received it twice. 0 (and requests of plugins built
   * before this field) = a new connection per attempt, closed after it. */
  int32_t keep_alive;
} halo_http_request;

/* since 1.2: one message handed to an SMTP server through the host
 * (host->smtp_send, libcurl), so plugins never link curl. The host makes
 * one attempt -- the kernel's outbox schedules retries -- and never logs
 * the password. TLS: `smtps://` is TLS from the first byte (RFC 8314);
 * `smtp://` upgrades with STARTTLS (RFC 3207) and refuses to go on
 * without it unless `plaintext` is 1 (for a relay on loopback). Peer and
 * host verification are on unless `insecure` is 1. */
typedef struct halo_smtp_request {
  uint32_t struct_size;
  const char *url;      /* smtp://host[:port] or smtps://host[:port] */
  const char *username; /* NULL or "" = no AUTH */
  const char *password;
  const char *ca_file; /* extra trusted CA bundle (PEM), or NULL */
  int32_t insecure;    /* 1 = skip TLS verification (explicit opt-in only) */
  int32_t plaintext;   /* smtp:// only: 1 = go on without STARTTLS */
  int32_t timeout_ms;  /* whole session; 0 = 30000 */
  /* Envelope sender (MAIL FROM), a bare address without <>. */
  const char *mail_from;
  /* Envelope recipients (RCPT TO), bare addresses; at least one. */
  const char *const *recipients;
  size_t recipient_count;
  /* The message (RFC 5322 headers, empty line, body), CRLF line ends; the
   * host does the SMTP dot-stuffing. */
  const char *data;
  size_t data_len;
} halo_smtp_request;

/* since 1.2: one request to a mailbox server through the host
 * (host->mailbox_request, libcurl): IMAP (RFC 9051) or POP3 (RFC 1939), so
 * a source reads a mailbox without linking curl. The URL follows libcurl's
 * syntax (for IMAP RFC 5092): with no `command` the host retrieves what it
 * names -- imap://host/INBOX;UIDVALIDITY=7/;UID=42 is one message (the
 * server marks it \Seen), pop3://host/3 is message 3 of the session; with
 * a `command` the host sends that one line (IMAP with the URL's mailbox
 * selected, if it names one) and returns its answer: IMAP's untagged `*`
 * lines as sent (literals are not returned: fetch a message by URL), or
 * POP3's multi-line answer (UIDL, LIST; a command with a one-line answer
 * is not supported). TLS as for SMTP: `imaps://`/`pop3s://` from the first
 * byte, `imap://`/`pop3://` upgrade with STARTTLS/STLS and refuse to go on
 * without it unless `plaintext` is 1. */
typedef struct halo_mailbox_request {
  uint32_t struct_size;
  const char *url;      /* imap[s]://host[:port][/path] or pop3[s]://... */
  const char *username; /* NULL or "" = no login */
  const char *password;
  const char *ca_file; /* extra trusted CA bundle (PEM), or NULL */
  int32_t insecure;    /* 1 = skip TLS verification (explicit opt-in only) */
  int32_t plaintext;   /* imap:// and pop3:// only: 1 = no STARTTLS */
  int32_t timeout_ms;  /* the whole request; 0 = 30000 */
  const char *command; /* NULL or "" = retrieve what the URL names */
  uint64_t max_bytes;  /* a longer answer is refused; 0 = 32 MiB, at most 1 GiB */
} halo_mailbox_request;

/* since 1.2: what became of a message after its destination accepted it
 * (HALO_MESSAGE_SENT), as the receiver reports later: a status callback, a
 * polled status, an event webhook. A message keeps its weightiest report
 * (the order below), so reports arriving late or twice change nothing. */
typedef enum halo_receipt_status {
  HALO_RECEIPT_DELIVERED = 1,   /* reached the handset or mailbox */
  HALO_RECEIPT_UNDELIVERED = 2, /* accepted, then given up (carrier refused, dropped) */
  /* The address does not exist: as HALO_MESSAGE_BOUNCED, the kernel
   * suppresses the channel for the address (reason `bounce`). */
  HALO_RECEIPT_BOUNCED = 3,
  /* The recipient reported it as spam or unsubscribed at the receiver: the
   * kernel records an opt-out of the channel (reason `complaint`). */
  HALO_RECEIPT_COMPLAINED = 4
} halo_receipt_status;

/* since 1.2: one delivery report (host->delivery_receipt). Strings are
 * copied; they need no NUL. */
typedef struct halo_delivery_receipt {
  uint32_t struct_size;
  int32_t status;      /* halo_receipt_status */
  uint64_t message_id; /* the outbox id (halo_message.id) sent along with the message */
  /* The receiver's id of the message (as reported with HALO_MESSAGE_SENT), or empty. */
  const char *provider_id;
  size_t provider_id_len;
  /* The receiver's words ("30005 unknown destination handset"); at most
   * 1024 bytes kept. */
  const char *detail;
  size_t detail_len;
  int64_t at_ms; /* when the receiver says it happened, UTC ms; 0 = now */
} halo_delivery_receipt;

/* since 1.2: an opt-in or opt-out a receiver reported (host->consent_record). */
typedef struct halo_consent_statement {
  uint32_t struct_size;
  int32_t opted_in;    /* 1 opt-in ("START"), 0 opt-out ("STOP") */
  const char *channel; /* "sms", "email" */
  size_t channel_len;
  /* As the receiver gives it; normalized as the channel's identifier type. */
  const char *address;
  size_t address_len;
  const char *reason; /* snake_case, e.g. "sms_reply" */
  size_t reason_len;
  const char *proof; /* what shows it, e.g. "MessageSid SM123: STOP" */
  size_t proof_len;
  int64_t at_ms; /* when it was said, UTC ms; 0 = now */
} halo_consent_statement;

/* ------------------------------------------------------------------------ */
/* HTTP server routes (since ABI 1.2)                                        */
/* ------------------------------------------------------------------------ */

/* Answers one request of a route. Called on the kernel's HTTP server
 * threads -- NOT the instance's thread: possibly several at once, and
 * concurrently with the instance's other callbacks (next_batch, ...),
 * whatever HALO_CAP_THREAD_SAFE says. A handler therefore only touches state
 * it locks itself, returns quickly (it holds one of the server's 1-2
 * threads) and never waits for the pipeline: it queues work into a bounded,
 * mutex-protected queue the instance drains in its own callbacks, and when
 * that queue is full it answers 503 with a Retry-After header.
 * `request` and `response` are host-owned and valid only during the call;
 * inside it the plugin may call http_req_*, http_resp_*, log and metric_add
 * (with the instance's context) and, from a destination, delivery_receipt
 * and consent_record (since 1.2), and no other host function.
 * Returning HALO_OK sends the response as set (default: 200, no body); any
 * other status discards it and sends 500. Requests reach a handler only
 * complete and within the server's limits (see docs/pipeline.md `http:`):
 * oversized, malformed or too slow requests were already answered
 * 413/431/400/408 by the server. */
typedef halo_status (*halo_http_handler)(void *user, const halo_http_server_request *request,
                                         halo_http_server_response *response);

/* One route: an exact method and path. Copied by the host. */
typedef struct halo_http_route {
  uint32_t struct_size;
  const char *method; /* "GET", "POST", ... compared exactly */
  const char *path;   /* exact path starting with '/', without query */
  halo_http_handler handler;
  void *user; /* handed to handler unchanged */
  /* "HOST:PORT" to listen on when the pipeline has no `http.listen`, or
   * NULL for the kernel's default (127.0.0.1:8088). A halo process has one
   * HTTP server: an address other than the one in use is refused. */
  const char *listen;
} halo_http_route;

/* ------------------------------------------------------------------------ */
/* Host API: kernel functions a plugin may call                              */
/* ------------------------------------------------------------------------ */

typedef struct halo_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* --- diagnostics (any thread) --- */
  void (*log)(halo_context *ctx, int32_t level, const char *message);
  /* Sets the message that explains the status the current callback returns.
   * Copied by the host. */
  void (*set_error)(halo_context *ctx, const char *message);
  void (*metric_add)(halo_context *ctx, const char *name, double delta);
  int64_t (*now_ms)(halo_context *ctx);    /* wall clock, UTC milliseconds */
  int32_t (*cancelled)(halo_context *ctx); /* 1 when the run is stopping */

  /* --- options (during create() only) ---
   * Paths are dotted keys with [index] for lists, relative to `config:`,
   * e.g. "columns.email" or "aggregates[2].event". Returned strings stay
   * valid for the lifetime of the instance. Functions return 1 when the
   * value exists and has the requested type, else 0. */
  int32_t (*opt_string)(halo_context *ctx, const char *path, const char **out, size_t *len);
  int32_t (*opt_int)(halo_context *ctx, const char *path, int64_t *out);
  int32_t (*opt_float)(halo_context *ctx, const char *path, double *out);
  int32_t (*opt_bool)(halo_context *ctx, const char *path, int32_t *out);
  /* Number of entries of a list or map at path; -1 when absent or scalar. */
  int32_t (*opt_size)(halo_context *ctx, const char *path);
  /* Key of the i-th entry of the map at path (document order). */
  int32_t (*opt_key)(halo_context *ctx, const char *path, int32_t index, const char **out);
  /* Reports a configuration error at `path`; the kernel prints it with the
   * YAML file:line:col of that path. create() should then return HALO_FATAL. */
  void (*config_error)(halo_context *ctx, const char *path, const char *message);
  /* Directory the pipeline file lives in, to resolve relative paths. */
  const char *(*base_dir)(halo_context *ctx);

  /* --- sources --- */
  /* Appends one raw record: a JSON object in the Segment-spec event shape
   * (https://segment.com/docs/connections/spec/). `position` (e.g. a line
   * number) is reported with dead letters together with the current origin.
   * The host copies the bytes. */
  void (*sink_add_record)(halo_sink *sink, const char *data, size_t len, uint64_t position);
  /* Reports a record the source could not turn into JSON; it goes to the
   * dead-letter store (stage "parse") with the original bytes. */
  void (*sink_add_error)(halo_sink *sink, int32_t reason, const char *message, const char *data,
                         size_t len, uint64_t position);
  /* Names where the following records come from (a file path, a URL path);
   * copied. */
  void (*sink_set_origin)(halo_sink *sink, const char *origin);
  /* Declares that the source has no more data (batch sources). */
  void (*sink_end_of_data)(halo_sink *sink);

  /* --- normalized events (resolvers, feature builders) --- */
  size_t (*batch_size)(const halo_batch *batch);
  int32_t (*event_type)(const halo_batch *batch, size_t i); /* halo_event_type */
  /* Event name for track events, page/screen name otherwise (may be empty). */
  void (*event_name)(const halo_batch *batch, size_t i, const char **out, size_t *len);
  void (*event_message_id)(const halo_batch *batch, size_t i, const char **out, size_t *len);
  void (*event_source)(const halo_batch *batch, size_t i, const char **out, size_t *len);
  int64_t (*event_timestamp_ms)(const halo_batch *batch, size_t i);
  /* Position of the event in the store's event log: strictly increasing,
   * identical in a rebuild. Use it to break timestamp ties. */
  uint64_t (*event_sequence)(const halo_batch *batch, size_t i);
  /* Normalized identifiers (type, value) found on the event. */
  size_t (*event_identifier_count)(const halo_batch *batch, size_t i);
  void (*event_identifier)(const halo_batch *batch, size_t i, size_t k, const char **type,
                           size_t *type_len, const char **value, size_t *value_len);
  /* Scalar at a dotted path ("properties.revenue", "context.traits.plan",
   * "properties.products.0.price"); returns 1 when present. */
  int32_t (*event_field)(const halo_batch *batch, size_t i, const char *path, halo_value *out);
  /* All scalar leaves of the event in document order: k < event_field_count. */
  size_t (*event_field_count)(const halo_batch *batch, size_t i);
  void (*event_field_at)(const halo_batch *batch, size_t i, size_t k, const char **path,
                         size_t *path_len, halo_value *out);

  /* --- resolver output --- */
  /* Allocates a new profile id (never 0, never reused, identical in a
   * rebuild when called in the same order). */
  uint64_t (*resolve_new_profile)(halo_resolution *out);
  /* Event i belongs to profile_id. Every event must be assigned exactly
   * once; an event left unassigned is dead-lettered (stage "resolve"). */
  void (*resolve_assign)(halo_resolution *out, size_t i, uint64_t profile_id);
  /* Identifier (type, value) now belongs to profile_id. */
  void (*resolve_link)(halo_resolution *out, const char *type, size_t type_len, const char *value,
                       size_t value_len, uint64_t profile_id);
  /* Profile `from` merged into `into`; `from` no longer exists. */
  void (*resolve_merge)(halo_resolution *out, uint64_t from, uint64_t into, size_t event_index);
  /* A link the rules refused (e.g. per-profile limit); recorded for review. */
  void (*resolve_conflict)(halo_resolution *out, size_t event_index, const char *type,
                           size_t type_len, const char *value, size_t value_len,
                           uint64_t profile_id, const char *reason);

  /* --- feature builder output --- */
  void (*state_write)(halo_state_writer *w, uint64_t profile_id, const void *data, size_t len);
  void (*feature_number)(halo_feature_writer *w, const char *name, const halo_value *number);
  void (*feature_string)(halo_feature_writer *w, const char *name, const char *value, size_t len);
  void (*feature_bool)(halo_feature_writer *w, const char *name, int32_t value);
  void (*feature_null)(halo_feature_writer *w, const char *name);

  /* --- destinations --- */
  size_t (*profiles_size)(const halo_profile_batch *batch);
  /* One profile in the export format of docs/export-format.md (a JSON object, no
   * trailing newline). */
  void (*profile_json)(const halo_profile_batch *batch, size_t i, const char **out, size_t *len);
  uint64_t (*profile_id)(const halo_profile_batch *batch, size_t i);

  /* --- HTTP client (since ABI 1.1; check HALO_HOST_HAS(host, http_request)) ---
   * Performs the request (with the retries described at halo_http_request)
   * and sets *out to a host-owned response the plugin must release with
   * http_free. Returns HALO_OK when an HTTP response arrived -- whatever its
   * status code, including a final 429/5xx after the last attempt.
   * Returns HALO_RETRY when the transport kept failing: *out is still set,
   * its status is 0 and its body is the error message (URL without query
   * string, never a credential). Returns HALO_FATAL, with *out set the same
   * way, for transport failures no retry can fix (an untrusted certificate,
   * an unreadable ca_file, a response over 64 MiB). Returns HALO_ERROR with
   * *out = NULL for a malformed request (message via the context). */
  /* since 1.1 */ int32_t (*http_request)(halo_context *ctx, const halo_http_request *request,
                                          halo_http_response **out);
  /* since 1.1 */ int32_t (*http_status)(const halo_http_response *response);
  /* since 1.1 */ void (*http_body)(const halo_http_response *response, const char **data,
                                    size_t *len);
  /* Case-insensitive lookup of a response header; returns 1 when present. */
  /* since 1.1 */ int32_t (*http_header)(const halo_http_response *response, const char *name,
                                         const char **value, size_t *len);
  /* Number of attempts the host made (1 = no retry), for metrics and tests. */
  /* since 1.1 */ int32_t (*http_attempts)(const halo_http_response *response);
  /* since 1.1 */ void (*http_free)(halo_http_response *response);

  /* --- per-event rejection (since ABI 1.2; check HALO_HOST_HAS(host, event_reject)) ---
   * Callable only inside resolve() or update(), on the batch that call
   * received: event i cannot be used by this instance (a value that is not
   * a number, a number out of range, an identifier the rules refuse). The
   * kernel dead-letters it -- stage "resolve" or "feature", reason code
   * `reason` (a short snake_case word, e.g. "number_out_of_range"),
   * `message` for people (name the field and the fix) -- and the rest of the
   * batch goes on.
   *   - A resolver leaves event i unassigned; the event is not stored.
   *   - A feature builder leaves its state as if event i were not in the
   *     batch; the event is still stored and used by every other stage and
   *     instance.
   * Calls with i out of range, outside those calls, or after the call
   * returned are ignored. The strings are copied. */
  /* since 1.2 */ void (*event_reject)(const halo_batch *batch, size_t i, const char *reason,
                                       const char *message);

  /* --- HTTP server routes (since ABI 1.2) --- */
  /* Check HALO_HOST_HAS(host, http_route_add). Registers a route on the
   * kernel's HTTP server, starting the server if needed; call it from
   * create() or start(). Returns HALO_OK, or HALO_FATAL with a
   * NUL-terminated reason written into message (at most message_cap bytes):
   * malformed route, method and path taken, address in use, or a listen
   * address other than the server's. The kernel removes the instance's
   * routes before it calls the instance's stop() (or destroy(), when stop()
   * is not called), waiting for handler calls already running to return;
   * after that the handler is never called again. A destination is started
   * and stopped per delivery: its routes (added in create()) stay until
   * destroy(), and are served by `halo serve` only (`halo run` checks). */
  /* since 1.2 */ int32_t (*http_route_add)(halo_context *ctx, const halo_http_route *route,
                                            char *message, size_t message_cap);
  /* Port the server listens on (useful with port 0), 0 when not running. */
  /* since 1.2 */ int32_t (*http_server_port)(halo_context *ctx);
  /* Request accessors (handler only). Strings are not NUL-terminated. */
  /* since 1.2 */ void (*http_req_method)(const halo_http_server_request *request, const char **out,
                                          size_t *len);
  /* since 1.2 */ void (*http_req_path)(const halo_http_server_request *request, const char **out,
                                        size_t *len);
  /* Raw query string after '?', without it; empty when absent. */
  /* since 1.2 */ void (*http_req_query)(const halo_http_server_request *request, const char **out,
                                         size_t *len);
  /* Case-insensitive lookup of a request header; returns 1 when present. */
  /* since 1.2 */ int32_t (*http_req_header)(const halo_http_server_request *request,
                                             const char *name, const char **value, size_t *len);
  /* since 1.2 */ void (*http_req_body)(const halo_http_server_request *request, const char **out,
                                        size_t *len);
  /* Response setters (handler only); values are copied. A status outside
   * 200..599 is ignored. A header whose name is not an RFC 9110 token or
   * whose value holds CR, LF or NUL is ignored, as are Content-Length,
   * Transfer-Encoding and Connection (the server frames the response). */
  /* since 1.2 */ void (*http_resp_status)(halo_http_server_response *response, int32_t status);
  /* since 1.2 */ void (*http_resp_header)(halo_http_server_response *response, const char *name,
                                           const char *value);
  /* since 1.2 */ void (*http_resp_body)(halo_http_server_response *response, const char *data,
                                         size_t len);

  /* --- typed profile accessors (since ABI 1.2; destinations) ---
   * Check HALO_HOST_HAS(host, profile_trait). Callable inside
   * write_profiles() on the batch it received, for profile i < profiles_size:
   * the same profile profile_json renders, without parsing JSON. Functions
   * returning int32_t return 0 when the profile, trait, feature or
   * identifier does not exist (or i/k is out of range; *out is then kind
   * NULL), else its halo_typed_kind, with *out set as described there.
   * Strings are host-owned, not NUL-terminated, and valid until
   * write_profiles returns. Traits come in name order, features in the
   * order the feature builders emitted them, identifiers sorted by type,
   * then value (as in the export format). */
  /* since 1.2 */ int32_t (*profile_trait)(const halo_profile_batch *batch, size_t i,
                                           const char *name, halo_value *out);
  /* since 1.2 */ size_t (*profile_trait_count)(const halo_profile_batch *batch, size_t i);
  /* since 1.2 */ int32_t (*profile_trait_at)(const halo_profile_batch *batch, size_t i, size_t k,
                                              const char **name, size_t *name_len, halo_value *out);
  /* A feature name emitted twice yields the first; use _at to see both. */
  /* since 1.2 */ int32_t (*profile_feature)(const halo_profile_batch *batch, size_t i,
                                             const char *name, halo_value *out);
  /* since 1.2 */ size_t (*profile_feature_count)(const halo_profile_batch *batch, size_t i);
  /* since 1.2 */ int32_t (*profile_feature_at)(const halo_profile_batch *batch, size_t i, size_t k,
                                                const char **name, size_t *name_len,
                                                halo_value *out);
  /* since 1.2 */ size_t (*profile_identifier_count)(const halo_profile_batch *batch, size_t i);
  /* Returns 1 and sets type and value (normalized) when k is in range. */
  /* since 1.2 */ int32_t (*profile_identifier_at)(const halo_profile_batch *batch, size_t i,
                                                   size_t k, const char **type, size_t *type_len,
                                                   const char **value, size_t *value_len);
  /* Latest event time of the profile, UTC milliseconds (0 when unknown). */
  /* since 1.2 */ int64_t (*profile_updated_at_ms)(const halo_profile_batch *batch, size_t i);

  /* --- feature builder output, continued (since 1.2) ---
   * Called from emit(): the values just written for this profile may change
   * at `at_ms` (UTC ms since the epoch) without a new event -- a window
   * sliding past an event, a "days since" value crossing a day. The kernel
   * emits features only for profiles that changed, so it re-emits this
   * profile once the reference time (`as_of`) reaches the earliest time
   * named; calling it several times keeps the earliest. A builder built
   * against ABI 1.2 or later that never calls it declares that its values
   * depend on the profile's events alone; builders built against ABI 1.0 or
   * 1.1 (which cannot call it) are re-emitted for every profile on every
   * emission. */
  /* since 1.2 */ void (*feature_valid_until)(halo_feature_writer *w, int64_t at_ms);

  /* --- feature builder population step (since 1.2) ---
   * Called from fit(): reports one fitted parameter. `name` (not
   * NUL-terminated) is 1 to 64 ASCII letters, digits or '_' ("alpha", not
   * "α"); a name reported twice keeps the last value; a bad name or a value
   * that is not finite fails the fit. */
  /* since 1.2 */ void (*model_param)(halo_model_writer *w, const char *name, size_t name_len,
                                      double value);
  /* since 1.2: called from fit(): the fitted model itself, in the
   * builder's own encoding (at most 256 MiB; a later call replaces it). The
   * kernel stores it with the parameters and hands it to load_model() in a
   * later run that reuses the fit instead of fitting again (the `refit`
   * key of the pipeline's feature entry). */
  /* since 1.2 */ void (*model_data)(halo_model_writer *w, const void *data, size_t len);

  /* --- message delivery (since 1.2; destinations with deliver_messages) ---
   * Called inside deliver_messages() for message i < n of the call:
   * its outcome, one of halo_message_outcome. `detail` (not NUL-terminated,
   * at most 1024 bytes kept) is the provider's message id for
   * HALO_MESSAGE_SENT, else the reason in words ("HTTP 503", "invalid
   * recipient"); secret values the kernel knows (secret options, credential
   * headers) are masked in it before it is stored. `retry_after_ms` is the
   * least delay before the next attempt for HALO_MESSAGE_RETRY (a
   * Retry-After header), 0 to let the kernel's backoff decide; ignored
   * otherwise. A second call for the same message replaces the first; an
   * out-of-range i or unknown outcome is ignored. */
  /* since 1.2 */ void (*message_result)(halo_message_delivery *d, size_t i, int32_t outcome,
                                         const char *detail, size_t detail_len,
                                         int64_t retry_after_ms);

  /* --- SMTP client (since 1.2; check HALO_HOST_HAS(host, smtp_send)) ---
   * Sends one message (see halo_smtp_request). *reply_code is the server's
   * last reply code (0 when none came), and `reply` (at most reply_cap
   * bytes, NUL-terminated, never the password) its text or the transport
   * error. Returns
   *   HALO_OK    the server accepted the message (2xx after DATA); the
   *              reply names its queue id;
   *   HALO_RETRY a transient failure: a 4xx reply, or no connection,
   *              a reset or a timeout;
   *   HALO_ERROR a permanent refusal of this message (a 5xx reply to MAIL,
   *              RCPT or DATA): sending it again cannot succeed;
   *   HALO_FATAL a request or set-up no message can get past: malformed
   *              request, untrusted certificate, no STARTTLS, login refused.
   * Callable from any plugin call of the instance. The host keeps the
   * instance's connection open between calls and sends the next message
   * to the same server over it while it is alive (a message on a
   * connection the server dropped unanswered goes once more on a new
   * one); it closes it when the instance is destroyed. */
  /* since 1.2 */ int32_t (*smtp_send)(halo_context *ctx, const halo_smtp_request *request,
                                       int32_t *reply_code, char *reply, size_t reply_cap);

  /* --- typed profile accessors, continued (since 1.2) ---
   * The segments the profile is a member of, by name, in name order (as
   * in the export format); same rules as the accessors above. */
  /* since 1.2 */ size_t (*profile_segment_count)(const halo_profile_batch *batch, size_t i);
  /* Returns 1 and sets name when k is in range. */
  /* since 1.2 */ int32_t (*profile_segment_at)(const halo_profile_batch *batch, size_t i, size_t k,
                                                const char **name, size_t *name_len);

  /* --- delivery reports (since 1.2; destinations) ---
   * Check HALO_HOST_HAS(host, delivery_receipt). Callable from any thread,
   * including the destination's HTTP route handlers (status callbacks).
   * Each call is committed to the store before it returns, on a store
   * connection of its own beside the running pipeline. Returns
   *   HALO_OK    recorded, or nothing new (the message already has this
   *              report or a weightier one: reports are idempotent);
   *   HALO_RETRY the store stayed busy: answer so the sender retries
   *              (HTTP 503), never drop the report;
   *   HALO_ERROR nothing recorded: the message is not one of this
   *              destination's (unknown id, another destination), the
   *              struct is malformed, or there is no store (`halo
   *              validate`). */
  /* since 1.2 */ int32_t (*delivery_receipt)(halo_context *ctx,
                                              const halo_delivery_receipt *receipt);
  /* Records an opt-in or opt-out a receiver reported (an SMS "STOP"
   * reply) in the consent ledger (docs/consent.md), with the instance as
   * its source. Same thread rules and returns as delivery_receipt;
   * HALO_ERROR also for an address that is not one of the channel's
   * (an email for `email`, a phone number for `sms`). */
  /* since 1.2 */ int32_t (*consent_record)(halo_context *ctx,
                                            const halo_consent_statement *statement);
  /* --- concurrent HTTP requests (since 1.2; check
   * HALO_HOST_HAS(host, http_request_many)) ---
   * Performs the n requests as n calls of http_request would, with up to
   * the instance's `concurrency` (pipeline YAML, default 4) in flight at
   * once, and returns when every one has ended. results[i] is what
   * http_request(ctx, requests[i], &out[i]) would have returned and out[i]
   * its response, freed with http_free; out[i] is NULL only when results[i]
   * is HALO_ERROR (a malformed request: then nothing at all is sent and
   * set_error's message names the request). The order in which requests
   * leave is not defined; each keeps its own retries, and they share the
   * retry budget of the current call into the plugin. `requests` is an
   * array of pointers so halo_http_request can keep growing. For one call
   * at a time per instance, from the thread that called the plugin. */
  /* since 1.2 */ void (*http_request_many)(halo_context *ctx,
                                            const halo_http_request *const *requests, size_t n,
                                            halo_http_response **out, int32_t *results);
  /* --- links naming their event (since 1.2; check
   * HALO_HOST_HAS(host, resolve_link_event)) ---
   * As resolve_link, naming event i of the batch as the one whose
   * identifier made the link: the store keeps that event's log sequence
   * and timestamp with the link (`halo identity explain` prints them;
   * restore_times in halo_resolver_vtable hands the timestamp back).
   * resolve_link credits the first event of the batch that carries the
   * identifier instead; with i out of range this call does the same. */
  /* since 1.2 */ void (*resolve_link_event)(halo_resolution *out, size_t i, const char *type,
                                             size_t type_len, const char *value, size_t value_len,
                                             uint64_t profile_id);
  /* --- mailbox client (since 1.2; check HALO_HOST_HAS(host, mailbox_request)) ---
   * Makes one request (see halo_mailbox_request) and sets *out to a
   * response freed with http_free: http_body is the answer (the message,
   * or the command's answer) after HALO_OK, else why there is none (never
   * the password); http_status is 0 (no HTTP), http_header finds nothing.
   * *out is NULL only when ctx or out is NULL. Returns
   *   HALO_OK    answered;
   *   HALO_RETRY no connection, a reset or a timeout (try at a later poll);
   *   HALO_ERROR the server refused the request (IMAP NO or BAD, POP3
   *              -ERR), the message is not there (expunged, or the
   *              mailbox's UIDVALIDITY is not the URL's), or the answer is
   *              larger than max_bytes;
   *   HALO_FATAL a request or set-up nothing can get past: malformed
   *              request, untrusted certificate, no STARTTLS, login refused,
   *              a mailbox that cannot be selected.
   * One attempt, no retries. The host keeps the instance's connection (and
   * login) open between calls to the same server, so an IMAP mailbox stays
   * selected and POP3 message numbers stay those of the session; a kept
   * connection the server closed is replaced once, transparently. Callable
   * from any plugin call of the instance. */
  /* since 1.2 */ int32_t (*mailbox_request)(halo_context *ctx, const halo_mailbox_request *request,
                                             halo_http_response **out);
  /* --- concurrent SMTP (since 1.2; check HALO_HOST_HAS(host, smtp_send_many)) ---
   * Sends the n messages as n calls of smtp_send would, with up to the
   * instance's `concurrency` (pipeline YAML, default 4) SMTP sessions at
   * once, and returns when every one has ended. results[i],
   * reply_codes[i] and the NUL-terminated text at replies + i * reply_cap
   * are what smtp_send(ctx, requests[i], &reply_codes[i], that text,
   * reply_cap) would have returned and written; a malformed request fails
   * itself alone (HALO_FATAL, its reply says why). Each session runs on a
   * connection the instance keeps open between calls (separate from
   * smtp_send's). The order in which messages leave is not defined.
   * `requests` is an array of pointers so halo_smtp_request can keep
   * growing. For one call at a time per instance, from the thread that
   * called the plugin. */
  /* since 1.2 */ void (*smtp_send_many)(halo_context *ctx,
                                         const halo_smtp_request *const *requests, size_t n,
                                         int32_t *results, int32_t *reply_codes, char *replies,
                                         size_t reply_cap);
} halo_host_api;

/* True when the host table provides function `fn` (an older host may not). */
#define HALO_HOST_HAS(host, fn)                                                                 \
  ((host) != NULL && (host)->struct_size >= offsetof(halo_host_api, fn) + sizeof((host)->fn) && \
   (host)->fn != NULL)

/* ------------------------------------------------------------------------ */
/* Per-kind vtables (plugin functions the kernel calls)                      */
/* ------------------------------------------------------------------------ */

/* Common lifecycle, first in every vtable:
 *   create(host, ctx, &inst): read options through host->opt_*; allocate the
 *     instance. On failure set_error/config_error and return HALO_FATAL.
 *     `halo validate` calls create() and destroy() only, to report config
 *     errors: create() checks options (read-only checks such as stat() are
 *     fine) and leaves opening files or connections to start(). An HTTP
 *     route added in create() is then checked but not served.
 *   start(inst): open files, connections. May be NULL.
 *   stop(inst): flush and close; called once after the last batch. May be NULL.
 *   destroy(inst): free everything; called exactly once, even after errors. */
#define HALO_LIFECYCLE_FIELDS                                                               \
  uint32_t struct_size;                                                                     \
  halo_status (*create)(const halo_host_api *host, halo_context *ctx, halo_instance **out); \
  halo_status (*start)(halo_instance * inst);                                               \
  halo_status (*stop)(halo_instance * inst);                                                \
  void (*destroy)(halo_instance * inst)

typedef struct halo_source_vtable {
  HALO_LIFECYCLE_FIELDS;
  /* Called before start() with the cursor last committed for this source
   * name (never called on a first run). */
  halo_status (*restore_cursor)(halo_instance *inst, const char *data, size_t len);
  /* Produces up to max_records records into sink. Calls sink_end_of_data
   * when exhausted; a streaming source may return HALO_OK with no records.
   *
   * Pacing (kernel 1.2 and later):
   *  - HALO_OK with no records and no sink_end_of_data means "nothing now":
   *    the kernel calls again after a host-chosen wait (10 ms, doubling up
   *    to 1 s while the source stays empty, back to 10 ms once records
   *    arrive). A source never blocks in next_batch waiting for data.
   *  - sink_end_of_data ends the source for `halo run`. In polling mode
   *    (`halo serve`) the kernel calls next_batch again after the source's
   *    `poll_interval` (pipeline key, default 60 s); the source then looks
   *    for new data from its cursor (rescans, re-pages) and reports
   *    sink_end_of_data again when it has none.
   *  - Cancellation (SIGINT/SIGTERM) ends every wait within 50 ms; a call in
   *    progress is waited for and its batch committed.
   *
   * What happens to records added before the call returns:
   *  - HALO_OK: they form the batch.
   *  - HALO_RETRY: they are KEPT. The kernel backs off and calls again,
   *    with max_records reduced by the records already kept; all of them
   *    form one batch. (A call that retries without ever succeeding within
   *    the retry budget fails the source; what it added is still kept.)
   *  - HALO_ERROR: they are KEPT; the failure is recorded as a dead letter
   *    (stage "source", reason "source_error", the set_error message) and
   *    the kernel calls again; three HALO_ERROR calls in a row end the
   *    source (the other sources go on; the run exits 1).
   *  - HALO_FATAL: they are DISCARDED and the source ends; cursor() is not
   *    asked, so the next run re-reads them from the last committed cursor.
   * In every case but FATAL the kernel then asks cursor() and commits the
   * kept records with that cursor in one transaction. A source therefore
   * advances its cursor exactly as far as the records it handed over, and
   * may fail at any point of a call (e.g. on page 2 after emitting page 1)
   * without losing or re-reading anything. */
  halo_status (*next_batch)(halo_instance *inst, halo_sink *sink, uint32_t max_records);
  /* The cursor describing the position after the last batch returned.
   * The kernel commits it atomically with that batch. */
  halo_status (*cursor)(halo_instance *inst, const char **data, size_t *len);
  /* Told that everything up to the last cursor is durably stored (e.g. to
   * ack messages). May be NULL. */
  void (*committed)(halo_instance *inst);
} halo_source_vtable;

/* Rows used to restore a resolver from the store.
 * Frozen for ABI 1 (no struct_size; see the stability rules). */
typedef struct halo_identity_link {
  const char *type;
  size_t type_len;
  const char *value;
  size_t value_len;
  uint64_t profile_id;
} halo_identity_link;

typedef struct halo_resolver_vtable {
  HALO_LIFECYCLE_FIELDS;
  /* Called (possibly several times) before the first resolve() with every
   * identifier -> profile link persisted so far; with
   * HALO_CAP_PARTIAL_RESTORE (since 1.2), also between resolve() calls,
   * each time with all links of profiles not restored before. */
  halo_status (*restore)(halo_instance *inst, const halo_identity_link *links, size_t n);
  /* Assigns every event of the batch to a profile, in batch order.
   * HALO_ERROR must leave the instance as it was before the call: the
   * kernel then isolates the events that fail by resolving halves of the
   * batch, dead-letters each event that fails alone (stage "resolve", not
   * stored) and goes on with the rest. To refuse single events without
   * failing the call, use host->event_reject (since 1.2). */
  halo_status (*resolve)(halo_instance *inst, const halo_batch *batch, halo_resolution *out);
  /* since 1.2, may be NULL: called right after each restore(links, n) that
   * returned HALO_OK, with the same n rows' link times in the same order:
   * timestamps_ms[k] is the timestamp (ms since the Unix epoch) of the
   * event that made links[k] (see resolve_link_event), 0 when not known (a
   * link stored by a kernel before 1.2). For limits with a time window. */
  halo_status (*restore_times)(halo_instance *inst, const int64_t *timestamps_ms, size_t n);
} halo_resolver_vtable;

/* Frozen for ABI 1 (no struct_size; see the stability rules). */
typedef struct halo_state_row {
  uint64_t profile_id;
  const void *data;
  size_t len;
} halo_state_row;

typedef struct halo_feature_vtable {
  HALO_LIFECYCLE_FIELDS;
  /* Feeds back state previously written with state_write: once, before
   * the first update(), or, with HALO_CAP_PARTIAL_RESTORE (since 1.2),
   * again between calls, each time with all rows of profiles not restored
   * before. */
  halo_status (*restore)(halo_instance *inst, const halo_state_row *rows, size_t n);
  /* profile_ids[i] is the profile of event i (never 0).
   * HALO_ERROR must leave the state as it was before the call: the kernel
   * then isolates the events that fail by updating with halves of the
   * batch, dead-letters each event that fails alone (stage "feature"; the
   * event stays stored for every other stage) and goes on. To skip single
   * events without failing the call, use host->event_reject (since 1.2). */
  halo_status (*update)(halo_instance *inst, const halo_batch *batch, const uint64_t *profile_ids);
  /* Folds the state of `from` into `into` and forgets `from`. */
  halo_status (*merge)(halo_instance *inst, uint64_t from, uint64_t into);
  /* Writes the state of every profile changed since the last call, then
   * considers them clean. Called inside the store's commit. */
  halo_status (*save_dirty)(halo_instance *inst, halo_state_writer *w);
  /* Writes the feature values of one profile as of `as_of_ms`. */
  halo_status (*emit)(halo_instance *inst, uint64_t profile_id, int64_t as_of_ms,
                      halo_feature_writer *w);
  /* since 1.2, optional (NULL: no population step). Fits what needs every
   * profile at once -- quantiles, model parameters -- for the emit() calls
   * that follow. Called once in each run that emits features, after every
   * update() and merge() of the run and before its first emit(), with the
   * state of every live profile restored (whatever HALO_CAP_PARTIAL_RESTORE
   * says); the kernel then emits every profile. Reports each parameter with
   * host->model_param; the kernel stores them with the time of the fit,
   * as_of_ms and the number of profiles (`halo model show`). HALO_ERROR
   * ends the run after its events are committed: no feature is emitted or
   * delivered until a later run fits. */
  /* since 1.2 */ halo_status (*fit)(halo_instance *inst, int64_t as_of_ms, halo_model_writer *w);
  /* since 1.2, optional (NULL: the builder fits in every run that emits).
   * Takes back what an earlier fit() reported with host->model_data, in
   * place of fitting: called at most once per instance, before the emit()
   * calls of a run whose `refit` policy says the stored fit is still good;
   * the kernel then emits only the profiles that changed (or whose
   * valid_until passed). The bytes come from the store: check them.
   * HALO_ERROR (damaged, or written by another version of the builder)
   * is logged, and the kernel fits instead. */
  /* since 1.2 */ halo_status (*load_model)(halo_instance *inst, const void *data, size_t len);
  /* since 1.2, optional (NULL: the builder does not say). Names every
   * feature emit() may write under this instance's options: each once,
   * through the same feature_* host functions, with any value of its kind
   * (null for a feature whose kind varies); feature_valid_until is
   * ignored. Called after create() and before any other call, by `halo
   * validate` too. When every feature builder of a pipeline says, `halo
   * validate` and `halo run` refuse a segment, a trigger's `if` or a
   * trigger variable that reads a `features.` name none of them writes
   * (with the nearest written name as a suggestion); a name emit() writes
   * that was not named here is logged as the builder's error. */
  /* since 1.2 */ halo_status (*describe_features)(halo_instance *inst, halo_feature_writer *w);
} halo_feature_vtable;

/* What one delivery to a destination holds (since 1.2). */
typedef enum halo_delivery_mode {
  /* Every live profile: the delivery replaces whatever the destination
   * holds (profiles it holds that are not delivered no longer exist). */
  HALO_DELIVERY_FULL = 0,
  /* Only the profiles created or changed since the destination's previous
   * complete delivery (write_profiles), and the ids of profiles that no
   * longer exist, merged into another (remove_profiles). */
  HALO_DELIVERY_CHANGES = 1
} halo_delivery_mode;

/* since 1.2: one message of the outbox, rendered for delivery
 * (docs/messages.md). Strings are UTF-8, host-owned, not NUL-terminated and
 * valid until deliver_messages returns; absent parts are empty (len 0). */
typedef struct halo_message {
  uint32_t struct_size;
  uint32_t attempt;    /* 1 for the first attempt, 2 for the first retry, ... */
  uint64_t id;         /* the outbox id */
  uint64_t profile_id; /* the profile it is for */
  /* Stable across attempts of this message and unique in the outbox: send
   * it where the receiver de-duplicates (an Idempotency-Key header). */
  const char *idempotency_key;
  size_t idempotency_key_len;
  const char *trigger; /* the trigger that made it */
  size_t trigger_len;
  const char *channel; /* email, sms, ... */
  size_t channel_len;
  /* The profile's address for the channel: its email identifier for
   * `email`, its phone (E.164) for `sms`; empty for other channels. */
  const char *recipient;
  size_t recipient_len;
  const char *template_name;
  size_t template_name_len;
  const char *subject; /* the template's parts, rendered */
  size_t subject_len;
  const char *text;
  size_t text_len;
  const char *html; /* HTML-escaped values */
  size_t html_len;
  const char *variables_json; /* the message's variables, a JSON object */
  size_t variables_json_len;
  /* The signed one-click unsubscribe link of this message (the pipeline's
   * `consent.unsubscribe`), served by `halo serve`; empty when none is
   * configured. An email destination puts it in List-Unsubscribe (RFC 2369)
   * with List-Unsubscribe-Post (RFC 8058) when it is https. */
  const char *unsubscribe_url;
  size_t unsubscribe_url_len;
} halo_message;

/* since 1.2: what a destination reports per message with
 * host->message_result. */
typedef enum halo_message_outcome {
  HALO_MESSAGE_SENT = 0,   /* accepted by the receiver */
  HALO_MESSAGE_RETRY = 1,  /* not delivered now (timeout, 429, 5xx): try again later */
  HALO_MESSAGE_FAILED = 2, /* can never be delivered as it is (4xx, bad address) */
  /* The receiver refuses because the recipient opted out or complained
   * (Twilio error 21610 after a STOP reply): the kernel records an opt-out
   * of the channel for the address, with the detail as its proof, and the
   * message is suppressed; no later message goes to that address until it
   * opts in again (docs/consent.md). */
  HALO_MESSAGE_OPTED_OUT = 3,
  /* The address does not exist (a hard bounce: SMTP 550 5.1.1): the
   * message is dead and the kernel suppresses the channel for the address
   * (reason `bounce`). */
  HALO_MESSAGE_BOUNCED = 4
} halo_message_outcome;

/* since 1.2: a message this destination accepted (HALO_MESSAGE_SENT) on
 * which its receiver has reported nothing yet, handed to poll_receipts.
 * Strings are host-owned, not NUL-terminated, valid until poll_receipts
 * returns. */
typedef struct halo_sent_message {
  uint32_t struct_size;
  uint32_t polls; /* how many poll_receipts calls had it before (0 = first) */
  uint64_t id;    /* the outbox id (halo_message.id) */
  /* The detail of its HALO_MESSAGE_SENT result, as the plugin reported it
   * (the receiver's message id). */
  const char *provider_id;
  size_t provider_id_len;
  const char *recipient; /* the address it was handed over to */
  size_t recipient_len;
  int64_t sent_at_ms; /* when the kernel recorded it sent, UTC ms */
} halo_sent_message;

/* A delivery is start(), then write_profiles() for each batch of profiles
 * in ascending profile id order, then stop(), which completes it. A
 * destination is delivered to only when the change log moved since its
 * previous complete delivery. */
typedef struct halo_destination_vtable {
  HALO_LIFECYCLE_FIELDS;
  halo_status (*write_profiles)(halo_instance *inst, const halo_profile_batch *batch);
  /* Called only for a destination declaring HALO_CAP_INCREMENTAL_DELIVERY
   * (which must then set both members), right after start(). *mode is
   * what the kernel proposes: HALO_DELIVERY_CHANGES when the destination
   * completed a delivery before and the changes since are fewer than half
   * of the live profiles, else HALO_DELIVERY_FULL. A destination that
   * cannot apply changes now (its earlier output is gone or was altered)
   * sets *mode to HALO_DELIVERY_FULL and receives every profile; it may
   * never turn FULL into CHANGES. A delivery of changes may repeat changes
   * the destination already applied (the kernel stopped after the
   * destination's stop() and before recording it): applying a change must
   * be idempotent -- replace a profile by id, remove by id, ignore the
   * removal of an id it does not hold. */
  /* since 1.2 */ halo_status (*begin_delivery)(halo_instance *inst, int32_t *mode);
  /* In a HALO_DELIVERY_CHANGES delivery, after the last write_profiles():
   * these profiles no longer exist (ascending ids, each once). */
  /* since 1.2 */ halo_status (*remove_profiles)(halo_instance *inst, const uint64_t *ids,
                                                 size_t count);
  /* since 1.2, optional (NULL: the destination takes profiles only).
   * Delivers messages triggers put in the outbox for this destination
   * (the `destination` of their `send`), between start() and stop(), in
   * calls of up to 100 messages. The plugin reports each message's outcome
   * with host->message_result(d, i, ...) before returning; a message it
   * reports nothing for is retried later. It never sleeps or retries
   * itself: the kernel schedules retries (backoff with jitter, at least
   * Retry-After), moves a message to `dead` after its last attempt or a
   * HALO_MESSAGE_FAILED, and records every attempt. A message is marked
   * sent only after the call returns, so a crash in between sends it again
   * with the same idempotency key: delivery is at least once, and exactly
   * once where the receiver de-duplicates by that key. HALO_ERROR or
   * HALO_FATAL ends this destination's delivery for the run; outcomes
   * already reported count. A destination with deliver_messages may leave
   * write_profiles NULL (it then receives no profiles). `messages` is an
   * array of n pointers, not of structs, so halo_message can grow by
   * appending: read a member only when messages[i]->struct_size covers it
   * (the SDK does). */
  /* since 1.2 */ halo_status (*deliver_messages)(halo_instance *inst,
                                                  const halo_message *const *messages, size_t n,
                                                  halo_message_delivery *d);
  /* since 1.2, optional (NULL: its receiver reports by callback, or not at
   * all). For a receiver whose delivery reports must be asked for (an SMS
   * gateway's status method): asks what became of messages it accepted.
   * The kernel calls it between start() and stop(), after the delivery of
   * messages, with up to 100 sent messages without a report whose next poll
   * is due (the destination's `receipt_polling`: first `after` the send,
   * then at doubling intervals up to 1 h, for `for` after it, and never
   * twice for one message in a pass). For each message the receiver has a
   * final word on, the plugin calls host->delivery_receipt; one still on
   * its way gets no call and is asked again later. A message with a report
   * (this way, or by callback) is never polled again. `messages` is an
   * array of n pointers; read a member only when struct_size covers it.
   * HALO_ERROR or HALO_FATAL ends this run's polling for the destination;
   * reports already made count. */
  /* since 1.2 */ halo_status (*poll_receipts)(halo_instance *inst,
                                               const halo_sent_message *const *messages, size_t n);
} halo_destination_vtable;

/* ------------------------------------------------------------------------ */
/* Descriptor and entry point                                                */
/* ------------------------------------------------------------------------ */

/* Build facts compared before anything else is touched.
 * Frozen for ABI 1 (no struct_size; see the stability rules). */
typedef struct halo_magic_block {
  uint32_t magic;        /* HALO_MAGIC */
  uint16_t pointer_size; /* sizeof(void *) */
  uint16_t byte_order;   /* HALO_BYTE_ORDER_MARK */
} halo_magic_block;

#define HALO_MAGIC_INIT \
  { HALO_MAGIC, (uint16_t)sizeof(void *), (uint16_t)HALO_BYTE_ORDER_MARK }

typedef struct halo_plugin_descriptor {
  /* These four fields never move. */
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  halo_magic_block magic;

  const char *name;        /* unique plugin name, e.g. "file-jsonl" */
  const char *version;     /* plugin's own semantic version */
  const char *description; /* one line */
  uint32_t kind;           /* halo_plugin_kind */
  uint32_t capabilities;   /* HALO_CAP_* */
  const halo_option_decl *options;
  uint32_t option_count;
  /* Points to the vtable of `kind`; each starts with struct_size. */
  const void *vtable;
} halo_plugin_descriptor;

/* The one exported symbol. Returns an array of *count descriptors with
 * static storage duration. Must not fail or allocate. */
typedef const halo_plugin_descriptor *const *(*halo_plugin_entry_fn)(uint32_t *count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HALO_PLUGIN_H */
