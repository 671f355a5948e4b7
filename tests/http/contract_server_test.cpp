// contract_server_test.cpp -- the contract base itself (tests/contract):
// exact counters, fault queue semantics and control errors, as seen through
// ContractProcess and real HTTP requests. Connector tests rely on these.
#include <gtest/gtest.h>

#include <stdexcept>

#include "http_test_support.h"

namespace halo::http_test {
namespace {

// A private server: these tests reset counters, which would disturb others.
class ContractServer : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(contract::contract_dir() + "/demo_server.py"); }
  HttpResult fetch(const std::string &path, int attempts = 1) {
    HttpCall call = get(server_.base_url() + path);
    call.max_attempts = attempts;
    return HttpClient(rec_.hooks()).perform(call);
  }
  contract::ContractProcess server_;
  Recorder rec_;
};

TEST_F(ContractServer, CountsRequestsPathsAndRecordsExactly) {
  EXPECT_EQ(fetch("/records?n=4").status, 200);
  EXPECT_EQ(fetch("/records?n=6").status, 200);
  EXPECT_EQ(fetch("/nowhere").status, 404);
  EXPECT_EQ(server_.stat("requests"), 3);
  EXPECT_EQ(server_.stat("records_returned"), 10);
  EXPECT_EQ(server_.requests_for("/records"), 2);
  EXPECT_EQ(server_.requests_for("/nowhere"), 1);
  EXPECT_EQ(server_.requests_for("/never"), 0);
  server_.reset_stats();
  EXPECT_EQ(server_.stat("requests"), 0);
  EXPECT_EQ(server_.stat("records_returned"), 0);
}

TEST_F(ContractServer, FaultsApplyInOrderOnlyToMatchingPaths) {
  server_.inject(R"([{"kind":"500","count":1,"path":"^/records$"},
                     {"kind":"429","count":1,"retry_after":0}])");
  EXPECT_EQ(server_.stat("faults_pending"), 2);
  EXPECT_EQ(fetch("/echo/a").status, 429);  // the 500 does not match /echo
  EXPECT_EQ(fetch("/records?n=1").status, 500);
  EXPECT_EQ(fetch("/records?n=1").status, 200);
  EXPECT_EQ(server_.stat("faults_applied"), 2);
  EXPECT_EQ(server_.stat("faults_pending"), 0);
  EXPECT_EQ(server_.stat("records_returned"), 1);  // faulted answers return no records
}

TEST_F(ContractServer, DropClosesTheConnectionWithoutAResponse) {
  server_.inject(R"({"kind":"drop","count":1})");
  HttpResult r = fetch("/echo/x");
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(server_.stat("requests"), 1);
  EXPECT_NE(server_.stats().find(R"("0": 1)"), std::string::npos) << server_.stats();
}

TEST_F(ContractServer, RequestLogHasQueriesButNoHeaders) {
  HttpCall call = get(server_.base_url() + "/echo/log?page=3");
  call.headers = {{"Authorization", "Bearer LOGSECRET"}};
  ASSERT_EQ(HttpClient().perform(call).status, 200);
  std::string log = server_.request_log();
  EXPECT_NE(log.find(R"("path": "/echo/log")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("page": ["3"])"), std::string::npos) << log;
  EXPECT_EQ(log.find("LOGSECRET"), std::string::npos) << log;
}

TEST_F(ContractServer, UnknownFaultKindIsRejected) {
  try {
    server_.inject(R"({"kind":"explode"})");
    FAIL() << "inject accepted an unknown fault kind";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("unknown fault kind 'explode'"), std::string::npos)
        << e.what();
  }
}

TEST(ContractProcess, StartFailsClearlyForAMissingScript) {
  contract::ContractProcess p;
  try {
    p.start(contract::contract_dir() + "/no_such_server.py");
    FAIL() << "start succeeded";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("no_such_server.py exited before it was ready"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace halo::http_test
