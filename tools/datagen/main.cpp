// main.cpp -- the halo-datagen command line: `demo`, `bench` and `people` modes.
//
// Invariant: all generation logic lives in halo_datagen_lib; this file only
// parses options, reports errors with a hint, and sets the exit code
// (0 ok, 1 generation failed, 2 usage error).
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "bench.h"
#include "demo.h"
#include "people.h"

namespace po = boost::program_options;
using namespace halo::datagen;

namespace {

constexpr const char *kUsage =
    "usage: halo-datagen demo  --out DIR  [--customers N=10000] [--seed S=42]\n"
    "       halo-datagen bench --out FILE [--events N=1000000] [--customers N=50000] [--seed "
    "S=42]\n"
    "                          [--shape web|identity]\n"
    "       halo-datagen people --out FILE [--records N=10000] [--seed S=42]\n";

int usage_error(const std::string &message) {
  std::cerr << "halo-datagen: " << message << "\n" << kUsage;
  return 2;
}

// Parses `args` against `options`; false (after printing why) on bad input.
bool parse(const std::vector<std::string> &args, const po::options_description &options,
           po::variables_map &vm, std::string &error) {
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
    return true;
  } catch (const po::error &e) {
    error = e.what();
    return false;
  }
}

int run_demo_mode(const std::vector<std::string> &args) {
  DemoOptions opt;
  std::string out;
  po::options_description desc("demo options");
  desc.add_options()("out", po::value(&out)->required(), "output directory")(
      "customers", po::value(&opt.customers)->default_value(opt.customers), "persons")(
      "seed", po::value(&opt.seed)->default_value(opt.seed), "random seed");
  po::variables_map vm;
  std::string error;
  if (!parse(args, desc, vm, error)) return usage_error("demo: " + error);
  opt.out_dir = out;
  auto result = run_demo(opt);
  if (!result.ok()) return std::cerr << "halo-datagen: " << result.status().message() << "\n", 1;
  const DemoSummary &s = *result;
  std::printf(
      "halo-datagen demo: %lld persons -> %s: %llu web lines (%llu duplicates, %llu malformed), "
      "%llu woo orders, %llu pos rows (%llu bad), %llu crm rows; %lld Order Completed\n",
      static_cast<long long>(s.persons), out.c_str(), static_cast<unsigned long long>(s.web.lines),
      static_cast<unsigned long long>(s.web.duplicates),
      static_cast<unsigned long long>(s.web.malformed),
      static_cast<unsigned long long>(s.woo.orders), static_cast<unsigned long long>(s.pos.rows),
      static_cast<unsigned long long>(s.pos.bad_rows), static_cast<unsigned long long>(s.crm.rows),
      static_cast<long long>(s.order_completed));
  return 0;
}

int run_bench_mode(const std::vector<std::string> &args) {
  BenchOptions opt;
  std::string out, shape = "web";
  po::options_description desc("bench options");
  desc.add_options()("out", po::value(&out)->required(), "output JSONL file")(
      "events", po::value(&opt.events)->default_value(opt.events), "lines to write")(
      "customers", po::value(&opt.customers)->default_value(opt.customers), "customers")(
      "seed", po::value(&opt.seed)->default_value(opt.seed), "random seed")(
      "shape", po::value(&shape)->default_value(shape),
      "web, or identity: loyalty cards, phones in every form, in-store orders, many merges");
  po::variables_map vm;
  std::string error;
  if (!parse(args, desc, vm, error)) return usage_error("bench: " + error);
  if (shape != "web" && shape != "identity") {
    return usage_error("bench: --shape must be web or identity, got '" + shape + "'");
  }
  opt.shape = shape == "identity" ? BenchShape::kIdentity : BenchShape::kWeb;
  opt.out_file = out;
  auto result = run_bench(opt);
  if (!result.ok()) return std::cerr << "halo-datagen: " << result.status().message() << "\n", 1;
  std::printf("%s\n", describe(*result, opt.out_file).c_str());
  return 0;
}

int run_people_mode(const std::vector<std::string> &args) {
  PeopleOptions opt;
  std::string out;
  po::options_description desc("people options");
  desc.add_options()("out", po::value(&out)->required(), "output CSV file")(
      "records", po::value(&opt.records)->default_value(opt.records), "records to write")(
      "seed", po::value(&opt.seed)->default_value(opt.seed), "random seed");
  po::variables_map vm;
  std::string error;
  if (!parse(args, desc, vm, error)) return usage_error("people: " + error);
  if (opt.records < 2) return usage_error("people: --records must be at least 2");
  opt.out_file = out;
  auto result = run_people(opt);
  if (!result.ok()) return std::cerr << "halo-datagen: " << result.status().message() << "\n", 1;
  std::printf("halo-datagen people: %lld originals, %lld duplicates -> %s\n",
              static_cast<long long>(result->originals), static_cast<long long>(result->duplicates),
              out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) return usage_error("missing mode (demo, bench or people)");
  const std::string mode = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (mode == "demo") return run_demo_mode(args);
  if (mode == "bench") return run_bench_mode(args);
  if (mode == "people") return run_people_mode(args);
  if (mode == "--help" || mode == "-h") return std::cout << kUsage, 0;
  return usage_error("unknown mode '" + mode + "' (expected demo, bench or people)");
}
