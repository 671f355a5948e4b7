// cmd_messages.cpp -- `halo messages list PIPELINE.yaml [--status S]
// [--format jsonl|text]`: the messages triggers put in the outbox
// (docs/triggers.md), oldest first, read-only; `halo messages show
// PIPELINE.yaml ID|KEY [--format json|text]`: one message with every
// attempt, read-only; `halo messages retry
// PIPELINE.yaml --dead [--destination NAME]`: dead messages pending again
// (docs/messages.md).
//
// Exit codes: 0 printed, 2 usage or configuration error, 3 no store yet,
// 1 a store error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

#include <simdjson.h>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/ascii.h"
#include "common/civil_date.h"
#include "common/json_writer.h"
#include "profile/profile_export.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

std::string message_json(const OutboxMessage &m) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id").number(static_cast<int64_t>(m.id));
  w.key("idempotency_key").string(m.idempotency_key);
  w.key("trigger").string(m.trigger);
  w.key("profile_id").string(std::to_string(m.profile_id));
  w.key("channel").string(m.channel);
  w.key("destination").string(m.destination);
  w.key("template").string(m.template_name);
  w.key("variables").raw(m.variables);
  w.key("status").string(m.status);
  w.key("created_at").string(format_iso8601_ms(m.created_at_ms));
  w.key("updated_at").string(format_iso8601_ms(m.updated_at_ms));
  w.key("attempts").raw(m.attempts);
  w.key("fired_at").string(format_iso8601_ms(m.fired_at_ms));
  w.key("reason").string(m.reason);
  w.key("recipient").string(m.recipient);
  w.key("receipt");
  if (m.receipt.empty()) {
    w.raw("null");
  } else {
    w.begin_object().key("status").string(m.receipt).key("detail").string(m.receipt_detail);
    w.key("at").string(format_iso8601_ms(m.receipt_at_ms)).end_object();
  }
  w.key("provider_id").string(m.provider_id);
  auto time_or_null = [&](const char *key, int64_t ms) {
    w.key(key);
    if (ms > 0) {
      w.string(format_iso8601_ms(ms));
    } else {
      w.raw("null");
    }
  };
  time_or_null("sent_at", m.sent_at_ms);
  w.key("receipt_polls").number(m.polls);
  time_or_null("next_receipt_poll", m.next_poll_ms);
  w.end_object();
  return out;
}

int messages_list(const Args &args) {
  std::string pipeline, format = "jsonl", status;
  po::options_description desc(
      "usage: halo messages list PIPELINE.yaml [--status S] [--format jsonl|text]\n"
      "lists the messages triggers put in the outbox, oldest first");
  desc.add_options()("help,h", "show this help")(
      "status", po::value(&status)->value_name("S"),
      "only messages in status S: pending, sent, failed, dead, suppressed or held_out")(
      "format", po::value(&format)->value_name("FORMAT"),
      "jsonl (default: one object per message) or text (one line per message)");
  int rc = parse_pipeline_command("messages list", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"jsonl", "text"})) >= 0) return rc;
  if (!status.empty() && std::find(std::begin(kOutboxStatuses), std::end(kOutboxStatuses),
                                   status) == std::end(kOutboxStatuses)) {
    return fail(kUsage,
                "--status must be pending, sent, failed, dead, suppressed or held_out, "
                "not '" +
                    status + "'");
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  for (uint64_t after = 0;;) {
    size_t read = 0;
    Status s = store.value()->scan_messages(status, after, kScanPage, [&](const OutboxMessage &m) {
      after = m.id;
      ++read;
      if (format == "jsonl") {
        std::cout << message_json(m) << "\n";
        return;
      }
      std::cout << m.id << "  " << format_iso8601_ms(m.created_at_ms) << "  " << m.status << "  "
                << m.trigger << "  profile " << m.profile_id << "  " << m.channel << " via "
                << m.destination << ", template " << m.template_name << "  " << m.variables
                << (m.reason.empty() ? "" : "  (" + m.reason + ")") << "\n";
    });
    if (!s.ok()) return fail(kFailed, s.message());
    if (read == 0) break;
  }
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

// The message with outbox id `which` (all digits) or idempotency key
// `which`; nullopt when there is none.
Result<std::optional<OutboxMessage>> find_message(Store &store, const std::string &which) {
  const bool by_id = !which.empty() && which.size() <= 19 &&
                     std::all_of(which.begin(), which.end(), is_ascii_digit);
  const uint64_t id = by_id ? std::stoull(which) : 0;
  std::optional<OutboxMessage> found;
  for (uint64_t after = by_id ? id - std::min<uint64_t>(id, 1) : 0; !found;) {
    size_t read = 0;
    Status s = store.scan_messages("", after, by_id ? 1 : kScanPage, [&](const OutboxMessage &m) {
      after = m.id;
      ++read;
      if (by_id ? m.id == id : m.idempotency_key == which) found = m;
    });
    if (!s.ok()) return s;
    if (read == 0 || by_id) break;
  }
  return found;
}

// One message for people: its fields, then one line per attempt.
void print_message_text(const OutboxMessage &m) {
  std::cout << "message " << m.id << " (" << m.idempotency_key << "): " << m.status
            << (m.reason.empty() ? "" : " -- " + m.reason) << "\n"
            << "  trigger " << m.trigger << ", profile " << m.profile_id << ", " << m.channel
            << " via " << m.destination << ", template " << m.template_name << "\n"
            << "  variables " << m.variables << "\n"
            << "  fired " << format_iso8601_ms(m.fired_at_ms) << ", created "
            << format_iso8601_ms(m.created_at_ms) << ", updated "
            << format_iso8601_ms(m.updated_at_ms) << "\n";
  simdjson::dom::parser parser;
  simdjson::dom::array attempts;
  if (parser.parse(m.attempts).get_array().get(attempts)) return;
  size_t k = 0;
  for (simdjson::dom::element a : attempts) {
    auto text = [&](const char *key) {
      std::string_view v;
      return a[key].get_string().get(v) ? std::string_view() : v;
    };
    const std::string_view at = text("at"), outcome = text("outcome"), detail = text("detail");
    std::cout << "  attempt " << ++k << "  " << at << "  " << outcome << "  " << detail << "\n";
  }
}

int messages_show(Args args) {
  std::string pipeline, format = "text";
  const std::string which = take_second_positional(args, {"--format"});
  po::options_description desc(
      "usage: halo messages show PIPELINE.yaml ID|KEY [--format json|text]\n"
      "one outbox message, by id or idempotency key, with every delivery attempt");
  desc.add_options()("help,h", "show this help")(
      "format", po::value(&format)->value_name("FORMAT"),
      "text (default: the message, then one line per attempt) or json (as messages list)");
  int rc = parse_pipeline_command("messages show", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  if (which.empty()) return fail(kUsage, "give the message: halo messages show PIPELINE ID|KEY");
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  auto found = find_message(*store.value(), which);
  if (!found.ok()) return fail(kFailed, found.status().message());
  if (!found->has_value()) return fail(kNotFound, "no message with id or key '" + which + "'");
  if (format == "json") {
    std::cout << message_json(**found) << "\n";
  } else {
    print_message_text(**found);
  }
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

// `halo messages retry PIPELINE --dead [--destination NAME]`: dead
// messages go back to `pending`, their attempts kept; the next run
// delivers them again.
int messages_retry(const Args &args) {
  std::string pipeline, destination;
  bool dead = false;
  po::options_description desc(
      "usage: halo messages retry PIPELINE.yaml --dead [--destination NAME]\n"
      "puts dead messages back in the outbox as pending, for the next run to deliver");
  desc.add_options()("help,h", "show this help")("dead", po::bool_switch(&dead),
                                                 "the messages to retry: those that are dead")(
      "destination", po::value(&destination)->value_name("NAME"), "only those of this destination");
  int rc = parse_pipeline_command("messages retry", args, desc, pipeline);
  if (rc >= 0) return rc;
  if (!dead) return fail(kUsage, "give --dead (the only messages that can be retried by hand)");
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  if (auto existing = open_read_only(cfg.value()); !existing.ok()) {
    return open_failed(existing.status());
  }
  auto store = open_store(cfg.value().store_kind, cfg.value().store_path, {});
  if (!store.ok()) return fail(kFailed, store.status().message());
  Status s = store.value()->begin();
  Result<uint64_t> requeued = s.ok() ? store.value()->requeue_dead(destination) : s;
  if (requeued.ok()) s = store.value()->commit();
  if (!requeued.ok() || !s.ok()) {
    return fail(kFailed, (requeued.ok() ? s : requeued.status()).message());
  }
  std::cout << *requeued << " dead message(s) pending again\n" << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

}  // namespace

int cmd_messages(const Args &args) {
  if (!args.empty() && args[0] == "list") return messages_list({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "retry") return messages_retry({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "show") return messages_show({args.begin() + 1, args.end()});
  const char *usage =
      "usage: halo messages list PIPELINE.yaml [--status S] [--format jsonl|text]\n"
      "       halo messages show PIPELINE.yaml ID|KEY [--format json|text]\n"
      "       halo messages retry PIPELINE.yaml --dead [--destination NAME]\n";
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << usage;
    return kOk;
  }
  std::cerr << "halo messages: give `list`, `show` or `retry`\n" << usage;
  return kUsage;
}

}  // namespace halo::cli
