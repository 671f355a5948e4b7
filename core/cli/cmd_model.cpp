// cmd_model.cpp -- `halo model show PIPELINE.yaml NAME [--format text|json]`:
// the parameters a feature builder fitted in its last population step
// (fit() of plugin ABI 1.2), read-only from the store. `halo model fit`
// runs a pipeline pass and lives with `halo run` (cmd_run.cpp).
//
// Exit codes: 0 printed, 2 usage or configuration error (NAME is not a
// feature builder of the pipeline), 3 no store yet or no fit yet.
#include <boost/program_options.hpp>

#include <iostream>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "common/civil_date.h"
#include "common/double_text.h"
#include "common/json_writer.h"
#include "config/pipeline_config.h"
#include "profile/profile_export.h"
#include "store/store.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

void print_json(const std::string &plugin, const ModelFit &fit) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("builder").string(fit.instance);
  w.key("plugin").string(plugin);
  w.key("fitted_at").string(format_iso8601_ms(fit.fitted_at_ms));
  w.key("as_of").string(format_iso8601_ms(fit.as_of_ms));
  w.key("profiles").number(static_cast<int64_t>(fit.profiles));
  w.key("last_sequence").number(static_cast<int64_t>(fit.last_sequence));
  w.key("params").begin_object();
  for (const auto &[name, value] : fit.params) w.key(name).raw(shortest_text(value));
  w.end_object();
  w.end_object();
  std::cout << out << "\n";
}

void print_text(const std::string &plugin, const ModelFit &fit) {
  std::cout << "model " << fit.instance << " (" << plugin << ")\n"
            << "  fitted at " << format_iso8601_ms(fit.fitted_at_ms) << " as of "
            << format_iso8601_ms(fit.as_of_ms) << " on " << fit.profiles
            << " profiles (event log through sequence " << fit.last_sequence << ")\n";
  for (const auto &[name, value] : fit.params) {
    std::cout << "  " << name << " = " << shortest_text(value) << "\n";
  }
}

// NAME is the second positional argument; the rest is parsed as every
// pipeline command's (parse_pipeline_command).
int model_show(Args args) {
  std::string pipeline, format = "text";
  const std::string name = take_second_positional(args, {"--format"});
  po::options_description desc(
      "usage: halo model show PIPELINE.yaml NAME [--format text|json]\n"
      "prints the parameters feature builder NAME (as named under `features:`) fitted over\n"
      "every profile in its last population step, with when and on how many profiles");
  desc.add_options()("help,h", "show this help")(
      "format", po::value(&format)->value_name("FORMAT"),
      "text (default) or json (one object: builder, plugin, fitted_at, as_of, profiles, "
      "last_sequence, params)");
  int rc = parse_pipeline_command("model show", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  if (name.empty()) return fail(kUsage, "give the feature builder: halo model show PIPELINE NAME");
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  const PluginUse *use = nullptr;
  for (const PluginUse &u : cfg.value().features) {
    if (u.name == name) use = &u;
  }
  if (use == nullptr) {
    return fail(kUsage, "'" + name + "' is not a feature builder of " + pipeline);
  }
  auto store = open_store(cfg.value().store_kind, cfg.value().store_path,
                          {.read_only = true, .check_invariants = true});
  if (!store.ok()) {
    return fail(store.status().code() == StatusCode::kNotFound ? kNotFound : kFailed,
                store.status().message());
  }
  auto fit = store.value()->latest_model_fit(name);
  if (!fit.ok()) return fail(kFailed, fit.status().message());
  if (!fit->has_value()) {
    return fail(kNotFound, "feature builder '" + name +
                               "' has not fitted a model yet (it has no population step, or no "
                               "run has emitted features since it was configured)");
  }
  if (format == "json") {
    print_json(use->plugin, **fit);
  } else {
    print_text(use->plugin, **fit);
  }
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

}  // namespace

int cmd_model(const Args &args) {
  if (!args.empty() && args[0] == "show") return model_show({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "fit") return cmd_model_fit({args.begin() + 1, args.end()});
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: halo model show PIPELINE.yaml NAME [--format text|json]\n"
                 "       halo model fit PIPELINE.yaml [options]\n";
    return kOk;
  }
  std::cerr << "halo model: give `show` or `fit` (see `halo model show --help`, "
               "`halo model fit --help`)\n";
  return kUsage;
}

}  // namespace halo::cli
