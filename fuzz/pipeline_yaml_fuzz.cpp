// pipeline_yaml_fuzz.cpp -- libFuzzer target for the pipeline file loader:
// YAML parsing with its limits (yaml_limits.h), ${ENV} substitution against
// the real process environment (three variables set at start-up, one of them
// 4 KiB long so aliases of it meet the expanded-text budget), the strict
// schema, then plugin option validation and the option view a plugin reads
// its config through.
//
// Invariants checked (abort on violation), beyond "no crash, no hang, no
// unbounded memory" (libFuzzer's -timeout and -rss_limit_mb):
//  - an error names the file on every line and stays short (at most
//    Diagnostics::kMaxErrors lines plus the "... more" line, none longer
//    than kMaxLine);
//  - an accepted file has the PipelineConfig invariants of pipeline_config.h:
//    absolute normalized paths, at least one source, unique well-formed
//    source names, non-empty identifiers, mappings for every plugin config;
//  - option validation and the option view accept any accepted tree, and a
//    secret option's value never appears in the redacted rendering when the
//    value appears nowhere else in the config.
#include <halo/plugin.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "common/log.h"
#include "config/diagnostics.h"
#include "config/option_validation.h"
#include "config/option_view.h"
#include "config/pipeline_config.h"

namespace {

constexpr const char *kFile = "fuzz/p.yaml";
constexpr size_t kMaxLine = 16 * 1024;
const char *const kSecret = "s3cret-t0ken-$${NOT_EXPANDED}";

const char *const kModes[] = {"pull", "webhook"};
const halo_option_decl kDecls[] = {
    {sizeof(halo_option_decl), HALO_OPT_STRING, "path", nullptr, 0, 0, "a file", nullptr, nullptr,
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_INT, "batch", "100", 0, 0, "a count", nullptr, nullptr,
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_BOOL, "strict", "false", 0, 0, "a flag", nullptr, nullptr,
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_STRING, "token", nullptr, 0, 1, "a secret", nullptr,
     nullptr, nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_MAP, "mapping", "{}", 0, 0, "a mapping", nullptr, nullptr,
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_STRING_LIST, "fields", "[a, b]", 0, 0, "names", nullptr,
     nullptr, nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_DURATION, "timeout", "30s", 0, 0, "a duration", "1s", "1h",
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_SIZE, "max_bytes", "1MiB", 0, 0, "a size", "1KiB", "1GiB",
     nullptr, 0},
    {sizeof(halo_option_decl), HALO_OPT_STRING, "mode", "pull", 0, 0, "a mode", nullptr, nullptr,
     kModes, 2},
    {sizeof(halo_option_decl), HALO_OPT_INT, "per_page", "100", 0, 0, "a page", "1", "100", nullptr,
     0},
};
constexpr uint32_t kDeclCount = sizeof(kDecls) / sizeof(kDecls[0]);

void check(bool ok) {
  if (!ok) std::abort();
}

// Like check(), printing the message first so a failure can be triaged.
void check_message(bool ok, const std::string &message) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken by this message:\n%s\n", message.c_str());
  std::abort();
}

void check_error(const std::string &message) {
  check_message(!message.empty(), message);
  size_t lines = 0;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    const std::string_view line(message.data() + start, end - start);
    check_message(line.size() <= kMaxLine, message);
    check_message(line.rfind(kFile, 0) == 0 || line.rfind("... and ", 0) == 0, message);
    ++lines;
    start = end + 1;
  }
  check_message(lines <= halo::Diagnostics::kMaxErrors + 1, message);
}

bool is_normal_absolute(const std::string &path) {
  const std::filesystem::path p(path);
  return p.is_absolute() && p.lexically_normal() == p;
}

bool is_source_name(const std::string &s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Reads the use through the option view the way a plugin would.
void exercise_options(const std::string &where, const halo::PluginUse &use) {
  const halo::Status s = halo::validate_plugin_options(where, use, kDecls, kDeclCount);
  if (!s.ok()) check_error(s.message());
  halo::OptionView view(use, kDecls, kDeclCount);
  const char *text = nullptr;
  size_t len = 0;
  int64_t i = 0;
  int32_t b = 0;
  view.get_string("path", &text, &len);
  view.get_int("batch", &i);
  // A config the validator passed holds only values inside the declared
  // bounds and allowed values (or their declared defaults).
  if (s.ok()) {
    check(view.get_int("timeout", &i) && i >= 1000 && i <= 3600 * 1000);
    check(view.get_int("max_bytes", &i) && i >= 1024 && i <= (int64_t{1} << 30));
    check(view.get_int("per_page", &i) && i >= 1 && i <= 100);
    check(view.get_string("mode", &text, &len) &&
          (std::string(text, len) == "pull" || std::string(text, len) == "webhook"));
  }
  view.get_bool("strict", &b);
  const int n = view.size("mapping");
  for (int k = 0; k < n && k < 8; ++k) view.key("mapping", k, &text);
  view.size("fields");
  view.get_string("fields[0]", &text, &len);
  view.mark_of("mapping.a[1].b");
  const std::string shown = view.redacted();
  // When the secret is only under `token`, the rendering must hide it.
  const bool token_is_secret =
      view.get_string("token", &text, &len) && std::string(text, len) == kSecret;
  if (token_is_secret && use.config.IsMap() && use.config.size() == 1) {
    check(shown.find("s3cret-t0ken") == std::string::npos);
  }
}

void check_config(const halo::PipelineConfig &cfg) {
  check(is_normal_absolute(cfg.file) && is_normal_absolute(cfg.base_dir));
  check(is_normal_absolute(cfg.store_path));
  for (const std::string &d : cfg.plugin_dirs) check(is_normal_absolute(d));
  check(!cfg.sources.empty() && !cfg.identifiers.empty());
  std::set<std::string> names;
  for (const halo::PluginUse &u : cfg.sources) {
    check(is_source_name(u.name) && names.insert(u.name).second);
    check(!u.plugin.empty() && u.config.IsMap());
  }
  std::set<std::string> types;
  for (const halo::IdentifierSpec &id : cfg.identifiers) check(types.insert(id.type).second);
  for (const auto *list : {&cfg.sources, &cfg.features, &cfg.destinations}) {
    for (size_t k = 0; k < list->size(); ++k)
      exercise_options("uses[" + std::to_string(k) + "]", (*list)[k]);
  }
  const halo::PluginUse resolver = halo::resolver_plugin_use(cfg);
  check(resolver.config.IsMap() && resolver.config["identifiers"].IsDefined());
  exercise_options("identity", resolver);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  setenv("HALO_FUZZ_DIR", "/srv/halo data", 1);
  setenv("HALO_FUZZ_TOKEN", kSecret, 1);
  setenv("HALO_FUZZ_LONG", std::string(4096, 'L').c_str(), 1);
  unsetenv("HALO_FUZZ_UNSET");
  halo::set_log_level(halo::LogLevel::kError);  // the literal-secret warning is expected
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  halo::Result<halo::PipelineConfig> r = halo::parse_pipeline(text, kFile, halo::process_env());
  if (!r.ok()) {
    check_error(r.status().message());
    return 0;
  }
  check_config(r.value());
  return 0;
}
