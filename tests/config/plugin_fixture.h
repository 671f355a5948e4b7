// plugin_fixture.h -- a plugin option table and a pipeline-parsed PluginUse
// for the option validation and option view tests (real marks, real parse).
#pragma once

#include <gtest/gtest.h>
#include <halo/plugin.h>

#include <string>

#include "config/pipeline_config.h"
#include "test_env.h"

namespace halo::testing {

inline constexpr halo_option_decl opt(halo_option_type type, const char *name,
                                      const char *default_value, bool required, bool secret) {
  return halo_option_decl{sizeof(halo_option_decl),
                          static_cast<uint32_t>(type),
                          name,
                          default_value,
                          required ? 1 : 0,
                          secret ? 1 : 0,
                          "test option",
                          nullptr,
                          nullptr,
                          nullptr,
                          0};
}

inline const halo_option_decl kJsonlOptions[] = {
    opt(HALO_OPT_STRING, "path", nullptr, true, false),
    opt(HALO_OPT_STRING, "glob", "*.jsonl", false, false),
    opt(HALO_OPT_INT, "batch_lines", "1000", false, false),
    opt(HALO_OPT_FLOAT, "ratio", nullptr, false, false),
    opt(HALO_OPT_BOOL, "follow", "false", false, false),
    opt(HALO_OPT_STRING_LIST, "fields", "[id, email]", false, false),
    opt(HALO_OPT_MAP, "columns", nullptr, false, false),
    opt(HALO_OPT_LIST, "rules", nullptr, false, false),
    opt(HALO_OPT_STRING, "api_key", nullptr, false, true),
};
inline constexpr uint32_t kJsonlOptionCount = sizeof(kJsonlOptions) / sizeof(kJsonlOptions[0]);

// Parses a pipeline whose only source has the given config block; the
// source entry starts on line 3 and `config:` is on line 6.
//   1 version: 1
//   2 store: { path: halo.db }
//   3 sources:
//   4   - name: web
//   5     plugin: file-jsonl
//   6     config:
//   7       <config_lines, each indented by 6 spaces>
inline PluginUse source_with_config(const std::string &config_lines,
                                    const EnvLookup &env = fake_env({})) {
  const std::string text =
      "version: 1\nstore: { path: halo.db }\nsources:\n  - name: web\n"
      "    plugin: file-jsonl\n    config:\n" +
      config_lines;
  Result<PipelineConfig> r = parse_pipeline(text, "p.yaml", env);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return PluginUse{};
  return r.value().sources[0];
}

}  // namespace halo::testing
