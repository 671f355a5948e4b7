// retry_secrets_test.cpp -- a source plugin defined in this test, run
// through SourceInstance: the kernel's re-calls of a call answered with
// HALO_RETRY are bounded by the retry budget (http.retry.max_attempts), and
// the error the plugin set -- quoting its secret option's value, raw and
// base64 -- reaches the caller masked.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "common/clock.h"
#include "common/secrets.h"
#include "plugin_host/plugin_instance.h"

namespace halo {
namespace {

struct RetryingSource {
  const halo_host_api *host = nullptr;
  halo_context *ctx = nullptr;
  int calls = 0;
};
RetryingSource g_source;

halo_status create(const halo_host_api *host, halo_context *ctx, halo_instance **out) {
  g_source = RetryingSource{host, ctx, 0};
  *out = reinterpret_cast<halo_instance *>(&g_source);
  return HALO_OK;
}
void destroy(halo_instance *) {}
// Always asks to be retried, quoting its token as a careless server would.
halo_status next_batch(halo_instance *, halo_sink *, uint32_t) {
  ++g_source.calls;
  g_source.host->set_error(g_source.ctx,
                           "upstream: bad token tok-abcdef-123 (dG9rLWFiY2RlZi0xMjM=)");
  return HALO_RETRY;
}
halo_status cursor(halo_instance *, const char **data, size_t *len) {
  *data = "";
  *len = 0;
  return HALO_OK;
}

const halo_option_decl kOptions[] = {{sizeof(halo_option_decl), HALO_OPT_STRING, "token", nullptr,
                                      1, 1, "API token", nullptr, nullptr, nullptr, 0}};

PluginInfo retrying_plugin() {
  static halo_source_vtable vt{};
  vt.struct_size = sizeof vt;
  vt.create = create;
  vt.destroy = destroy;
  vt.next_batch = next_batch;
  vt.cursor = cursor;
  static halo_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_major = HALO_ABI_MAJOR;
  d.abi_minor = HALO_ABI_MINOR;
  d.name = "retrying";
  d.kind = HALO_KIND_SOURCE;
  d.options = kOptions;
  d.option_count = 1;
  d.vtable = &vt;
  PluginInfo info;
  info.name = "retrying";
  info.path = "(in-process test plugin)";
  info.descriptor = &d;
  return info;
}

Status run_one_batch(int max_attempts, int *calls) {
  PluginUse use;
  use.name = "r";
  use.plugin = "retrying";
  use.config = YAML::Load("{token: tok-abcdef-123}");
  InstanceSetup setup;
  setup.label = "source 'r' (retrying)";
  setup.where = "sources[0]";
  setup.retry.max_attempts = max_attempts;
  auto source = SourceInstance::create(retrying_plugin(), use, setup);
  if (!source.ok()) return source.status();
  RawBatch batch;
  Status s = source.value()->next_batch(batch, 10);
  *calls = g_source.calls;
  return s;
}

TEST(RetryBudgetInTheKernel, HaloRetryIsReCalledOnlyWithinTheBudget) {
  int calls = 0;
  Status s = run_one_batch(3, &calls);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(calls, 3);  // was 6 whatever the HTTP retries inside each call
  EXPECT_NE(s.message().find("next_batch kept asking to retry"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("retry budget spent: 3 failed attempts"), std::string::npos)
      << s.message();
  EXPECT_EQ(run_one_batch(1, &calls).ok(), false);
  EXPECT_EQ(calls, 1);
}

TEST(RetryBudgetInTheKernel, ThePluginsErrorIsMaskedByValue) {
  int calls = 0;
  Status s = run_one_batch(2, &calls);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("tok-abcdef-123"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("dG9rLWFiY2RlZi0xMjM"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("upstream: bad token *** (***=)"), std::string::npos) << s.message();
}

// The waits between re-calls (50 ms, then 100 ms) are taken on the installed
// clock: a test's manual clock moves forward by exactly them, nothing sleeps.
TEST(RetryBudgetInTheKernel, TheWaitsBetweenReCallsRunOnTheInstalledClock) {
  ManualClock clock(1767268800000);  // 2026-01-01T12:00:00Z
  ScopedClock installed(clock);
  int calls = 0;
  EXPECT_FALSE(run_one_batch(3, &calls).ok());
  EXPECT_EQ(calls, 3);
  EXPECT_DOUBLE_EQ(clock.steady_seconds(), 0.150);
  EXPECT_EQ(clock.wall_ms(), 1767268800000 + 150);
}

}  // namespace
}  // namespace halo
