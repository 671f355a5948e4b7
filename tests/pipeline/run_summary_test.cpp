// run_summary_test.cpp -- the per-source status of a run: a failed source
// is named with its error in the text summary and in the JSON summary
// (failed_sources, sources[] in pipeline order); a clean run lists every
// source as ok.
#include <gtest/gtest.h>

#include "pipeline/run_summary.h"

namespace halo {
namespace {

TEST(RunSummary, FailedSourceIsNamedInTextAndJson) {
  RunSummary s;
  s.sources = {{"pos", "source 'pos' (woocommerce): next_batch failed: refused"}, {"web", ""}};
  EXPECT_EQ(s.failed_sources(), 1u);
  std::string text = s.to_text();
  EXPECT_NE(text.find("FAILED source  'pos': source 'pos' (woocommerce): next_batch failed"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("'web'"), std::string::npos) << text;
  std::string json = s.to_json();
  EXPECT_NE(json.find("\"failed_sources\":1,\"sources\":[{\"name\":\"pos\",\"status\":\"failed\","
                      "\"error\":\"source 'pos' (woocommerce): next_batch failed: refused\"},"
                      "{\"name\":\"web\",\"status\":\"ok\"}]"),
            std::string::npos)
      << json;
}

TEST(RunSummary, CleanRunListsEverySourceOk) {
  RunSummary s;
  s.sources = {{"a", ""}, {"b", ""}};
  EXPECT_EQ(s.failed_sources(), 0u);
  EXPECT_EQ(s.to_text().find("FAILED"), std::string::npos);
  EXPECT_NE(s.to_json().find("\"failed_sources\":0,\"sources\":[{\"name\":\"a\",\"status\":\"ok\"},"
                             "{\"name\":\"b\",\"status\":\"ok\"}]"),
            std::string::npos);
}

}  // namespace
}  // namespace halo
