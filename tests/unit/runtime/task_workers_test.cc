// TaskWorkers against the in-memory bus: a reply is published with its headers before the task
// is acked; malformed tasks are dead-lettered and never come back; failures are retried.
#include "common/runtime/task_workers.h"

#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bus/topology.h"
#include "gtest/gtest.h"

namespace conclave::runtime {
namespace {

constexpr char kAgent[] = "demo";
constexpr char kTraceparent[] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

class TaskWorkersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(bus::EnsureTopology(*bus_).ok());
    auto tasks = bus_->CreatePullConsumer(bus::TaskConsumerSpec(kAgent, absl::Seconds(30), 5));
    ASSERT_TRUE(tasks.ok()) << tasks.status();
    tasks_ = std::move(*tasks);
    auto results = bus_->CreatePullConsumer(bus::ResultConsumerSpec(absl::Seconds(30), 5));
    ASSERT_TRUE(results.ok()) << results.status();
    results_ = std::move(*results);
    auto dlq = bus_->CreatePullConsumer({.stream = bus::kDeadLetterStream,
                                         .durable = "dlq-reader",
                                         .filter_subject = bus::DeadLetterSubject(kAgent)});
    ASSERT_TRUE(dlq.ok()) << dlq.status();
    dlq_ = std::move(*dlq);
  }

  void PublishTask(const std::string& data, const std::string& change_id = "chg-1") {
    bus::Message m;
    m.subject = bus::TaskSubject(kAgent, "Do");
    m.data = data;
    m.headers[bus::kChangeIdHeader] = change_id;
    m.headers[bus::kTraceparentHeader] = kTraceparent;
    ASSERT_TRUE(bus_->Publish(m).ok());
  }

  std::unique_ptr<bus::Delivery> FetchOne(bus::PullConsumer& consumer,
                                          absl::Duration timeout = absl::Seconds(3)) {
    auto batch = consumer.Fetch(1, timeout);
    if (!batch.ok() || batch->empty()) return nullptr;
    return std::move(batch->front());
  }

  // Echoes the task's data back on the result subject of its change.
  static absl::StatusOr<TaskReply> Echo(const bus::Delivery& d) {
    const bus::Message& m = d.message();
    if (m.data == "garbage") return absl::InvalidArgumentError("garbage is not a task");
    if (m.data == "flaky" && d.delivery_count() == 1) return absl::UnavailableError("try later");
    const std::string change = m.Header(bus::kChangeIdHeader);
    return TaskReply{bus::ResultSubject(kAgent, change), "done:" + m.data,
                     absl::StrCat(change, ".demo.", d.stream_sequence()), ""};
  }

  std::unique_ptr<bus::Bus> bus_ = bus::NewInMemoryBus();
  metrics::Registry registry_;
  std::unique_ptr<bus::PullConsumer> tasks_, results_, dlq_;
};

TEST_F(TaskWorkersTest, PublishesTheReplyWithHeadersThenAcks) {
  TaskWorkers workers(kAgent, Echo, bus_.get(), tasks_.get(), &registry_, 1);
  PublishTask("x");
  auto task = FetchOne(*tasks_);
  ASSERT_NE(task, nullptr);
  workers.Process(*task);

  auto result = FetchOne(*results_);
  ASSERT_NE(result, nullptr);
  const bus::Message& m = result->message();
  EXPECT_EQ(m.subject, "conclave.result.demo.chg-1");
  EXPECT_EQ(m.data, "done:x");
  EXPECT_EQ(m.Header(bus::kChangeIdHeader), "chg-1");
  EXPECT_EQ(m.Header(bus::kTraceparentHeader), kTraceparent);
  EXPECT_EQ(m.Header(bus::kMsgIdHeader), absl::StrCat("chg-1.demo.", task->stream_sequence()));
  EXPECT_EQ(FetchOne(*tasks_, absl::Milliseconds(200)), nullptr) << "acked tasks do not return";
  EXPECT_EQ(*tasks_->NumPending(), 0u);
}

TEST_F(TaskWorkersTest, ReplyChangeIdOverridesTheTasksHeader) {
  TaskWorkers workers(
      kAgent,
      [](const bus::Delivery&) -> absl::StatusOr<TaskReply> {
        return TaskReply{bus::ResultSubject(kAgent, "op-7"), "d", "", "chg-from-reply"};
      },
      bus_.get(), tasks_.get(), &registry_, 1);
  PublishTask("x", "chg-from-task");
  auto task = FetchOne(*tasks_);
  ASSERT_NE(task, nullptr);
  workers.Process(*task);
  auto result = FetchOne(*results_);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->message().Header(bus::kChangeIdHeader), "chg-from-reply");
  EXPECT_EQ(result->message().Header(bus::kMsgIdHeader), "") << "no msg id asked for";
}

TEST_F(TaskWorkersTest, MalformedTaskIsDeadLetteredAndTerminated) {
  TaskWorkers workers(kAgent, Echo, bus_.get(), tasks_.get(), &registry_, 1);
  PublishTask("garbage");
  auto task = FetchOne(*tasks_);
  ASSERT_NE(task, nullptr);
  workers.Process(*task);

  auto dead = FetchOne(*dlq_);
  ASSERT_NE(dead, nullptr);
  EXPECT_EQ(dead->message().data, "garbage");
  EXPECT_EQ(dead->message().Header(bus::kErrorHeader), "garbage is not a task");
  EXPECT_EQ(dead->message().Header(bus::kOriginalSubjectHeader), "conclave.task.demo.Do");
  EXPECT_EQ(FetchOne(*results_, absl::Milliseconds(200)), nullptr) << "no result for garbage";
  EXPECT_EQ(FetchOne(*tasks_, absl::Seconds(2)), nullptr) << "terminated, never redelivered";
  EXPECT_TRUE(
      absl::StrContains(registry_.Render(), "conclave_bus_malformed_total{agent=\"demo\"} 1"))
      << registry_.Render();
}

TEST_F(TaskWorkersTest, HandlerFailureIsRetriedByRedelivery) {
  TaskWorkers workers(kAgent, Echo, bus_.get(), tasks_.get(), &registry_, 1);
  PublishTask("flaky");
  auto first = FetchOne(*tasks_);
  ASSERT_NE(first, nullptr);
  workers.Process(*first);
  EXPECT_EQ(FetchOne(*results_, absl::Milliseconds(200)), nullptr);

  auto second = FetchOne(*tasks_);
  ASSERT_NE(second, nullptr) << "a nak'ed task comes back";
  EXPECT_EQ(second->delivery_count(), 2u);
  workers.Process(*second);
  auto result = FetchOne(*results_);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->message().data, "done:flaky");
}

TEST_F(TaskWorkersTest, FailedPublishNaksSoTheTaskComesBack) {
  TaskWorkers workers(
      kAgent,
      [](const bus::Delivery&) -> absl::StatusOr<TaskReply> {
        return TaskReply{"no.stream.here", "d", "", ""};
      },
      bus_.get(), tasks_.get(), &registry_, 1);
  PublishTask("x");
  auto task = FetchOne(*tasks_);
  ASSERT_NE(task, nullptr);
  workers.Process(*task);
  auto again = FetchOne(*tasks_);
  ASSERT_NE(again, nullptr) << "the task was not acked without its result";
  EXPECT_EQ(again->message().data, "x");
  EXPECT_TRUE(absl::StrContains(registry_.Render(),
                                "conclave_bus_errors_total{agent=\"demo\",op=\"publish\"} 1"))
      << registry_.Render();
}

TEST_F(TaskWorkersTest, WorkerThreadsAnswerEveryTaskOnce) {
  TaskWorkers workers(kAgent, Echo, bus_.get(), tasks_.get(), &registry_, 3);
  constexpr int kTasks = 20;
  for (int i = 0; i < kTasks; ++i) PublishTask(absl::StrCat(i), absl::StrCat("chg-", i));
  workers.Start();
  std::set<std::string> seen;
  for (int i = 0; i < kTasks; ++i) {
    auto result = FetchOne(*results_, absl::Seconds(5));
    ASSERT_NE(result, nullptr) << "after " << seen.size() << " results";
    EXPECT_TRUE(seen.insert(result->message().data).second) << result->message().data;
    ASSERT_TRUE(result->Ack().ok());
  }
  workers.Stop();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kTasks));
  EXPECT_EQ(FetchOne(*results_, absl::Milliseconds(200)), nullptr) << "no duplicates";
}

}  // namespace
}  // namespace conclave::runtime
