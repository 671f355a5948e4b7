// host_smtp_test.cpp -- the host table's smtp_send at its C boundary: a
// malformed request is HALO_FATAL with a message naming the field (no
// connection is made), a server nobody listens on is HALO_RETRY with no
// reply code, and the reply text is NUL-terminated within reply_cap. The
// outcomes a server decides (accepted, 4xx, 5xx, untrusted certificate)
// are covered against a real Postfix by plugins/smtp/tests.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>

#include "loopback_port.h"
#include "plugin_host/host_api.h"

namespace halo {
namespace {

class HostSmtp : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.label = "destination 'mail' (test)";
    ctx_.cancel = &cancel_;
    url_ = "smtp://127.0.0.1:" + std::to_string(test::unused_loopback_port());
    request_.struct_size = sizeof request_;
    request_.url = url_.c_str();
    request_.mail_from = "news@shop.example";
    request_.recipients = recipients_;
    request_.recipient_count = 1;
    request_.data = kData;
    request_.data_len = std::strlen(kData);
    request_.timeout_ms = 5000;
  }
  // The status, with the reply in reply_.
  int32_t send(const halo_smtp_request *r, size_t cap = sizeof reply_) {
    std::memset(reply_, 'x', sizeof reply_);
    return api_->smtp_send(&ctx_, r, &code_, reply_, cap);
  }

  static constexpr const char *kData = "Subject: hi\r\n\r\nbody\r\n";
  const char *recipients_[1] = {"sara@example.org"};
  const halo_host_api *api_ = host_api();
  std::atomic<bool> cancel_{false};
  halo_context ctx_;
  std::string url_;
  halo_smtp_request request_{};
  int32_t code_ = -1;
  char reply_[256];
};

TEST_F(HostSmtp, TableAdvertisesSmtpSend) {
  EXPECT_TRUE(HALO_HOST_HAS(api_, smtp_send));
  EXPECT_GE(api_->abi_minor, 2);
}

TEST_F(HostSmtp, AMalformedRequestIsFatalAndNamesTheField) {
  EXPECT_EQ(send(nullptr), HALO_FATAL);
  EXPECT_STREQ(reply_, "smtp_send: request is NULL");

  halo_smtp_request small = request_;
  small.struct_size = 8;
  EXPECT_EQ(send(&small), HALO_FATAL);
  EXPECT_NE(std::string(reply_).find("struct_size 8"), std::string::npos) << reply_;

  struct Case {
    const char *field;
    void (*spoil)(halo_smtp_request &);
  };
  static const char *bad_recipient[] = {"sara@example.org>\r\nRCPT TO:<all@example.org"};
  const Case cases[] = {
      {"url", [](halo_smtp_request &r) { r.url = "http://127.0.0.1:25"; }},
      {"mail_from", [](halo_smtp_request &r) { r.mail_from = "News <news@shop.example>"; }},
      {"recipients", [](halo_smtp_request &r) { r.recipient_count = 0; }},
      {"recipients", [](halo_smtp_request &r) { r.recipients = bad_recipient; }},
      {"data", [](halo_smtp_request &r) { r.data_len = 0; }},
      {"timeout_ms", [](halo_smtp_request &r) { r.timeout_ms = -1; }},
  };
  for (const Case &c : cases) {
    halo_smtp_request r = request_;
    c.spoil(r);
    EXPECT_EQ(send(&r), HALO_FATAL) << c.field;
    EXPECT_NE(std::string(reply_).find(c.field), std::string::npos) << reply_;
    EXPECT_EQ(code_, 0);
  }
}

TEST_F(HostSmtp, NoServerIsATransientFailureWithoutAReplyCode) {
  EXPECT_EQ(send(&request_), HALO_RETRY);
  EXPECT_EQ(code_, 0);
  EXPECT_NE(std::string(reply_).find("onnect"), std::string::npos) << reply_;
}

TEST_F(HostSmtp, TheReplyIsCutToItsCapacityAndTerminated) {
  EXPECT_EQ(send(nullptr, 8), HALO_FATAL);
  EXPECT_EQ(std::strlen(reply_), 7u);
  EXPECT_STREQ(reply_, "smtp_se");
  EXPECT_EQ(api_->smtp_send(&ctx_, nullptr, nullptr, nullptr, 0), HALO_FATAL);  // no crash
}

}  // namespace
}  // namespace halo
