// AgentCalls over the in-memory bus: a task goes out with its headers, the agent's result
// comes back through the supervisor's result consumer and reaches the waiting caller; no
// answer is DEADLINE_EXCEEDED with a message that names the agent and the operation.
#include "supervisor/rollout/agent_calls.h"

#include <atomic>
#include <thread>

#include "common/bus/topology.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "supervisor/rollout/agent_clients.h"

namespace conclave::supervisor {
namespace {

using ::testing::HasSubstr;

class AgentCallsTest : public ::testing::Test {
 protected:
  AgentCallsTest() : bus_(bus::NewInMemoryBus()) {
    EXPECT_TRUE(bus::EnsureTopology(*bus_).ok());
    calls_ = std::make_unique<AgentCalls>(bus_.get(), &registry_);
    results_ = *bus_->CreatePullConsumer(bus::ResultConsumerSpec(absl::Seconds(30), 5));
    // The supervisor's result loop: agent results go to AgentCalls.
    router_ = std::thread([this] {
      while (!stop_) {
        auto batch = results_->Fetch(8, absl::Milliseconds(20));
        if (!batch.ok()) continue;
        for (auto& d : *batch) {
          if (AgentCalls::IsAgentResult(d->message().subject)) calls_->Deliver(d->message());
          (void)d->Ack();
        }
      }
    });
  }
  ~AgentCallsTest() override {
    stop_ = true;
    router_.join();
    if (agent_.joinable()) agent_.join();
  }

  // A devops agent that answers one task with `state`, echoing the operation id.
  void AnswerOneDevopsTask(conclave::v1::TrafficState state) {
    tasks_ = *bus_->CreatePullConsumer(bus::TaskConsumerSpec("devops", absl::Seconds(30), 5));
    agent_ = std::thread([this, state]() mutable {
      while (!stop_) {
        auto batch = tasks_->Fetch(1, absl::Milliseconds(20));
        if (!batch.ok() || batch->empty()) continue;
        const bus::Message& task = (*batch)[0]->message();
        seen_ = task;
        conclave::v1::SetTrafficSplitRequest request;
        request.ParseFromString(task.data);
        state.set_operation_id(request.operation_id());
        bus::Message result;
        result.subject = bus::ResultSubject("devops", request.operation_id());
        result.data = state.SerializeAsString();
        (void)bus_->Publish(result);
        (void)(*batch)[0]->Ack();
        return;
      }
    });
  }

  metrics::Registry registry_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<AgentCalls> calls_;
  std::unique_ptr<bus::PullConsumer> results_;
  std::unique_ptr<bus::PullConsumer> tasks_;
  std::atomic<bool> stop_{false};
  std::thread router_;
  std::thread agent_;
  bus::Message seen_;
};

TEST_F(AgentCallsTest, ResultIsRoutedToTheWaitingCaller) {
  conclave::v1::TrafficState answer;
  answer.set_driver("haproxy");
  answer.set_canary_weight_percent(25);
  AnswerOneDevopsTask(answer);
  auto client = NewBusTrafficClient(calls_.get());
  conclave::v1::SetTrafficSplitRequest request;
  request.set_operation_id("ro_1-w25-1");
  request.set_change_id("chg_1");
  request.set_service("demo");
  request.set_canary_weight_percent(25);
  const std::string tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  absl::StatusOr<conclave::v1::TrafficState> state =
      client->SetTrafficSplit(request, tp, absl::Seconds(10));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->canary_weight_percent(), 25);
  EXPECT_EQ(state->operation_id(), "ro_1-w25-1");
  agent_.join();
  EXPECT_EQ(seen_.subject, "conclave.task.devops.SetTrafficSplit");
  EXPECT_EQ(seen_.Header(bus::kMsgIdHeader), "ro_1-w25-1.task");
  EXPECT_EQ(seen_.Header(bus::kChangeIdHeader), "chg_1");
  EXPECT_EQ(seen_.Header(bus::kTraceparentHeader), tp);
  EXPECT_FALSE(seen_.Header(bus::kDeadlineHeader).empty());
}

TEST_F(AgentCallsTest, AgentErrorBecomesAStatus) {
  conclave::v1::TrafficState answer;
  answer.set_error_code(static_cast<int>(absl::StatusCode::kUnavailable));
  answer.set_error_message("cannot reach the HAProxy runtime API");
  AnswerOneDevopsTask(answer);
  auto client = NewBusTrafficClient(calls_.get());
  conclave::v1::SetTrafficSplitRequest request;
  request.set_operation_id("op-err");
  absl::StatusOr<conclave::v1::TrafficState> state =
      client->SetTrafficSplit(request, "", absl::Seconds(10));
  EXPECT_EQ(state.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(state.status().message()), HasSubstr("HAProxy runtime API"));
}

TEST_F(AgentCallsTest, NoAnswerIsDeadlineExceededNamingAgentAndOperation) {
  auto judge = NewBusCanaryJudge(calls_.get());
  conclave::v1::JudgeRequest request;
  request.set_request_id("ro_1-j1");
  absl::StatusOr<conclave::v1::JudgeResponse> judged =
      judge->Judge(request, "", absl::Milliseconds(200));
  EXPECT_EQ(judged.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(judged.status().message()),
              AllOf(HasSubstr("no result from the metrics agent for Judge"), HasSubstr("ro_1-j1"),
                    HasSubstr("within 200ms")));
}

TEST_F(AgentCallsTest, ResultsNobodyWaitsForAreDropped) {
  bus::Message late;
  late.subject = bus::ResultSubject("devops", "gone");
  EXPECT_FALSE(calls_->Deliver(late));
  EXPECT_TRUE(AgentCalls::IsAgentResult("conclave.result.metrics.x"));
  EXPECT_FALSE(AgentCalls::IsAgentResult("conclave.result.security.chg_1"));
}

}  // namespace
}  // namespace conclave::supervisor
