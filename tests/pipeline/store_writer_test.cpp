// store_writer_test.cpp -- the ordered write thread (store_writer.h): tasks
// run in submission order on the writer's thread, the first failure stops
// every later task, and a task that ran is destroyed on the thread that
// submitted it.
#include "pipeline/store_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "temp_store.h"

namespace halo::testing {
namespace {

// Records the thread its last copy is destroyed on.
class DestroyedOn {
 public:
  explicit DestroyedOn(std::thread::id *where) : where_(where) {}
  DestroyedOn(const DestroyedOn &) = delete;
  DestroyedOn &operator=(const DestroyedOn &) = delete;
  ~DestroyedOn() { *where_ = std::this_thread::get_id(); }

 private:
  std::thread::id *where_;
};

class StoreWriterTest : public TempStoreTest {};

TEST_F(StoreWriterTest, TasksRunInSubmissionOrderOnTheWriterThread) {
  auto store = open_store();
  ASSERT_TRUE(store);
  std::vector<int> ran;
  std::thread::id ran_on;
  {
    StoreWriter writer(*store, 2);  // fewer slots than tasks: submit() waits for room
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(writer
                      .submit([&, i](Store &) {
                        ran.push_back(i);
                        ran_on = std::this_thread::get_id();
                        return Status::Ok();
                      })
                      .ok());
    }
    ASSERT_TRUE(writer.drain().ok());
    ASSERT_EQ(ran.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(ran[i], i);
    EXPECT_NE(ran_on, std::this_thread::get_id());
  }
}

TEST_F(StoreWriterTest, TheFirstFailureStopsEveryLaterTaskAndIsReturned) {
  auto store = open_store();
  ASSERT_TRUE(store);
  int later = 0;
  StoreWriter writer(*store);
  ASSERT_TRUE(writer.submit([](Store &) { return Status::Io("disk full"); }).ok());
  Status drained = writer.drain();
  EXPECT_EQ(drained.message(), "disk full");
  Status refused = writer.submit([&](Store &) {
    ++later;
    return Status::Ok();
  });
  EXPECT_EQ(refused.message(), "disk full");
  EXPECT_EQ(writer.drain().message(), "disk full");
  EXPECT_EQ(later, 0);
}

// What a task captured was allocated by the submitting thread; it is freed
// there too (store_writer.h says why), by the next submit() or drain().
TEST_F(StoreWriterTest, ATaskThatRanIsDestroyedOnTheSubmittingThread) {
  auto store = open_store();
  ASSERT_TRUE(store);
  std::thread::id first, second;
  StoreWriter writer(*store);
  {
    auto probe = std::make_shared<DestroyedOn>(&first);
    ASSERT_TRUE(writer.submit([probe](Store &) { return Status::Ok(); }).ok());
  }  // the task holds the last copy
  ASSERT_TRUE(writer.drain().ok());
  EXPECT_EQ(first, std::this_thread::get_id());
  {
    auto probe = std::make_shared<DestroyedOn>(&second);
    ASSERT_TRUE(writer.submit([probe](Store &) { return Status::Ok(); }).ok());
  }
  // Ran (or about to): the next submit() destroys it if it ran, drain() in any case.
  ASSERT_TRUE(writer.submit([](Store &) { return Status::Ok(); }).ok());
  ASSERT_TRUE(writer.drain().ok());
  EXPECT_EQ(second, std::this_thread::get_id());
}

}  // namespace
}  // namespace halo::testing
