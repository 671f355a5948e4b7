// cmd_deliveries.cpp -- `halo deliveries stats PIPELINE.yaml [--format
// text|json]`: per destination, how many outbox messages are in each
// status, how many delivery attempts were made, and how long sent messages
// waited in the outbox (docs/cli.md#deliveries-stats). Read-only.
//
// Latency is measured on one clock: from the message's creation (wall
// clock) to the update that marked it sent (wall clock); the reference
// clock of `run.as_of` plays no part. Percentiles are nearest-rank.
//
// Exit codes: 0 printed, 2 usage or configuration error, 3 no store yet,
// 1 a store error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <vector>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/json_writer.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

// What receivers reported about sent messages (store.h DeliveryReceipt).
constexpr const char *kReceipts[] = {"delivered", "undelivered", "bounced", "complained"};

struct DestinationStats {
  std::map<std::string, int64_t> by_status, by_receipt;
  int64_t messages = 0, attempts = 0;
  std::vector<int64_t> latency_ms;  // of sent messages

  void add(const OutboxMessage &m) {
    ++messages;
    ++by_status[m.status];
    attempts += m.attempt_count;
    if (!m.receipt.empty()) ++by_receipt[m.receipt];
    if (m.status == "sent")
      latency_ms.push_back(std::max<int64_t>(0, m.updated_at_ms - m.created_at_ms));
  }
  // Nearest-rank percentile p (0 < p <= 100) of the sorted latencies.
  int64_t percentile(int p) const {
    const size_t rank = (latency_ms.size() * static_cast<size_t>(p) + 99) / 100;
    return latency_ms[std::max<size_t>(rank, 1) - 1];
  }
};

std::string stats_json(const std::map<std::string, DestinationStats> &all) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("destinations").begin_array();
  for (const auto &[name, s] : all) {
    w.begin_object().key("destination").string(name).key("messages").number(s.messages);
    for (const char *status : kOutboxStatuses) {
      auto it = s.by_status.find(status);
      w.key(status).number(it == s.by_status.end() ? 0 : it->second);
    }
    w.key("receipts").begin_object();
    for (const char *receipt : kReceipts) {
      auto it = s.by_receipt.find(receipt);
      w.key(receipt).number(it == s.by_receipt.end() ? 0 : it->second);
    }
    w.end_object();
    w.key("attempts").number(s.attempts).key("latency_ms");
    if (s.latency_ms.empty()) {
      w.raw("null");
    } else {
      w.begin_object();
      w.key("p50").number(s.percentile(50)).key("p95").number(s.percentile(95));
      w.key("p99").number(s.percentile(99)).key("max").number(s.latency_ms.back());
      w.end_object();
    }
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

void print_text(const std::map<std::string, DestinationStats> &all) {
  if (all.empty()) std::cout << "no messages in the outbox\n";
  for (const auto &[name, s] : all) {
    std::cout << name << ": " << s.messages << " messages";
    for (const char *status : kOutboxStatuses) {
      auto it = s.by_status.find(status);
      if (it != s.by_status.end()) std::cout << ", " << it->second << " " << status;
    }
    for (const char *receipt : kReceipts) {
      auto it = s.by_receipt.find(receipt);
      if (it != s.by_receipt.end()) std::cout << ", " << it->second << " reported " << receipt;
    }
    std::cout << "; " << s.attempts << " attempts";
    if (!s.latency_ms.empty()) {
      std::cout << "; sent after p50 " << s.percentile(50) << " ms, p95 " << s.percentile(95)
                << " ms, max " << s.latency_ms.back() << " ms";
    }
    std::cout << "\n";
  }
}

int deliveries_stats(const Args &args) {
  std::string pipeline, format = "text";
  po::options_description desc(
      "usage: halo deliveries stats PIPELINE.yaml [--format text|json]\n"
      "per destination: messages by status, attempts, and how long sent ones waited");
  desc.add_options()("help,h", "show this help")("format", po::value(&format)->value_name("FORMAT"),
                                                 "text (default) or json");
  int rc = parse_pipeline_command("deliveries stats", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  std::map<std::string, DestinationStats> all;
  for (uint64_t after = 0;;) {
    size_t read = 0;
    Status s = store.value()->scan_messages("", after, kScanPage, [&](const OutboxMessage &m) {
      after = m.id;
      ++read;
      all[m.destination].add(m);
    });
    if (!s.ok()) return fail(kFailed, s.message());
    if (read == 0) break;
  }
  for (auto &[name, s] : all) std::sort(s.latency_ms.begin(), s.latency_ms.end());
  if (format == "json") {
    std::cout << stats_json(all) << "\n";
  } else {
    print_text(all);
  }
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

}  // namespace

int cmd_deliveries(const Args &args) {
  if (!args.empty() && args[0] == "stats") return deliveries_stats({args.begin() + 1, args.end()});
  const char *usage = "usage: halo deliveries stats PIPELINE.yaml [--format text|json]\n";
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << usage;
    return kOk;
  }
  std::cerr << "halo deliveries: give `stats`\n" << usage;
  return kUsage;
}

}  // namespace halo::cli
