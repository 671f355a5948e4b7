// mailbox_answers_test.cpp -- reading the IMAP and POP3 answers the
// mail-bounces source asks for: what servers send, what they may add
// unasked, and malformed answers refused with a reason instead of read as
// zero.
#include "mailbox_answers.h"

#include <gtest/gtest.h>

namespace halo::plugins::mail_bounces {
namespace {

TEST(MailboxAnswers, ImapStatusGivesUidValidityAndUidNext) {
  std::string why;
  auto s = read_imap_status("* STATUS INBOX (UIDNEXT 7 UIDVALIDITY 1796488720)\r\n", why);
  ASSERT_TRUE(s) << why;
  EXPECT_EQ(s->uid_validity, 1796488720u);
  EXPECT_EQ(s->uid_next, 7u);
  // A quoted name with a parenthesis, lower-case items, other lines around.
  s = read_imap_status(
      "* 3 EXISTS\r\n* status \"Bounces (old)\" (uidvalidity 9 uidnext 1)\r\n* OK done\r\n", why);
  ASSERT_TRUE(s) << why;
  EXPECT_EQ(s->uid_validity, 9u);
  for (const char *bad :
       {"", "* STATUS INBOX (UIDNEXT 7)\r\n", "* STATUS INBOX (UIDNEXT 7 UIDVALIDITY 0)\r\n",
        "* STATUS INBOX (UIDNEXT 7 UIDVALIDITY -3)\r\n",
        "* STATUS INBOX (UIDNEXT 7 UIDVALIDITY 99999999999)\r\n"}) {
    EXPECT_FALSE(read_imap_status(bad, why)) << bad;
    EXPECT_NE(why.find("UIDVALIDITY"), std::string::npos);
  }
}

TEST(MailboxAnswers, ImapSizesListEachUidOnceInOrder) {
  std::string why;
  auto m = read_imap_sizes(
      "* 2 FETCH (UID 12 RFC822.SIZE 300)\r\n"
      "* 1 FETCH (RFC822.SIZE 2301 UID 5)\r\n"
      "* 1 FETCH (FLAGS (\\Seen))\r\n"  // a flag change, told unasked
      "* 2 FETCH (UID 12 FLAGS (\\Seen) RFC822.SIZE 300)\r\n"
      "* 4 EXISTS\r\n",
      why);
  ASSERT_TRUE(m) << why;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].number, 5u);
  EXPECT_EQ((*m)[0].size, 2301u);
  EXPECT_EQ((*m)[1].number, 12u);
  EXPECT_TRUE(read_imap_sizes("", why)->empty());
  for (const char *bad : {"* 1 FETCH (UID x RFC822.SIZE 3)\r\n", "* 1 FETCH (UID 0)\r\n",
                          "* 1 FETCH (UID 4 RFC822.SIZE 1e3)\r\n", "* 1 FETCH UID 4\r\n"}) {
    EXPECT_FALSE(read_imap_sizes(bad, why)) << bad;
    EXPECT_FALSE(why.empty());
  }
  EXPECT_FALSE(read_imap_sizes(std::string(kMaxAnswerLine + 1, 'x'), why));
  EXPECT_NE(why.find("at most"), std::string::npos);
}

TEST(MailboxAnswers, Pop3ListingJoinsUniqueIdsAndSizes) {
  std::string why;
  auto m =
      read_pop3_listing("1 000000016b143e10\r\n2 whatever-ID.9\r\n", "1 71\r\n2 3000\r\n", why);
  ASSERT_TRUE(m) << why;
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].uidl, "000000016b143e10");
  EXPECT_EQ((*m)[0].size, 71u);
  EXPECT_EQ((*m)[1].number, 2u);
  EXPECT_EQ((*m)[1].size, 3000u);
  const std::string long_id(kMaxUidlBytes + 1, 'a');
  for (const std::string &bad :
       {std::string("1 a\r\n1 b\r\n"), std::string("1 a\r\n2 a\r\n"), std::string("0 a\r\n"),
        std::string("x a\r\n"), std::string("1 a b\r\n"), std::string("1\r\n"),
        "1 " + long_id + "\r\n"}) {
    EXPECT_FALSE(read_pop3_listing(bad, "", why)) << bad;
    EXPECT_FALSE(why.empty());
  }
  EXPECT_FALSE(read_pop3_listing("1 a\r\n", "1 -5\r\n", why));
}

}  // namespace
}  // namespace halo::plugins::mail_bounces
