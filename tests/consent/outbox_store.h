// outbox_store.h -- a temporary SQLite store with a writer holding
// outbox messages, for the tests of what `halo serve` records beside the
// pipeline (the unsubscribe desk, the report desk).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "consent/unsubscribe_desk.h"
#include "temp_store.h"

namespace halo::testing {

class OutboxStoreTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    writer_ = open_store();
    ASSERT_NE(writer_, nullptr);
  }
  void TearDown() override {
    writer_.reset();
    TempStoreTest::TearDown();
  }

  // Adds a `pending` message; with a recipient it is then `sent` to it.
  // Its id (0 after a failed assertion).
  uint64_t add_message(const std::string &key, const std::string &recipient,
                       const std::string &channel = "email",
                       const std::string &destination = "mail") {
    OutboxMessage m;
    m.idempotency_key = key;
    m.trigger = "cart";
    m.profile_id = 1;
    m.channel = channel;
    m.destination = destination;
    m.template_name = "cart";
    m.variables = "{}";
    m.status = "pending";
    EXPECT_TRUE(writer_->begin().ok());
    EXPECT_TRUE(writer_->add_message(m).ok());
    EXPECT_TRUE(writer_->commit().ok());
    uint64_t id = 0;
    EXPECT_TRUE(writer_
                    ->scan_messages("", 0, 100,
                                    [&](const OutboxMessage &s) {
                                      if (s.idempotency_key == key) id = s.id;
                                    })
                    .ok());
    if (recipient.empty()) return id;
    auto stored = writer_->message_by_id(id);
    EXPECT_TRUE(stored.ok() && stored->has_value());
    if (!stored.ok() || !stored->has_value()) return 0;
    OutboxMessage sent = **stored;
    sent.status = "sent";
    sent.recipient = recipient;
    EXPECT_TRUE(writer_->begin().ok());
    EXPECT_TRUE(writer_->update_delivery(sent).ok());
    EXPECT_TRUE(writer_->commit().ok());
    return id;
  }

  // Opens the store beside the writer, as `halo serve`'s desks do.
  consent::StoreOpener beside_writer() const {
    return [path = path_] {
      return halo::open_store("sqlite", path, {.beside_writer = true, .check_invariants = false});
    };
  }

  std::vector<ConsentRecord> records() {
    std::vector<ConsentRecord> out;
    EXPECT_TRUE(
        writer_->scan_consent("", "", [&](const ConsentRecord &r) { out.push_back(r); }).ok());
    return out;
  }

  std::unique_ptr<Store> writer_;
};

}  // namespace halo::testing
