// Fakes of the rollout controller's seams: a TrafficClient that records every split and can be
// told to fail, and a CanaryJudge that answers from a script. Thread-safe.
#pragma once

#include <deque>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "supervisor/rollout/agent_clients.h"

namespace conclave::supervisor {

class FakeTrafficClient : public TrafficClient {
 public:
  absl::StatusOr<conclave::v1::TrafficState> SetTrafficSplit(
      const conclave::v1::SetTrafficSplitRequest& request, const std::string&,
      absl::Duration) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
    if (fail_next_ > 0) {
      --fail_next_;
      return absl::UnavailableError("haproxy runtime API unreachable");
    }
    weight_ = request.canary_weight_percent();
    conclave::v1::TrafficState state;
    state.set_operation_id(request.operation_id());
    state.set_service(request.service());
    state.set_driver("fake");
    state.set_canary_weight_percent(weight_);
    state.set_requested_canary_weight_percent(weight_);
    state.set_changed(true);
    state.set_verified(true);
    return state;
  }
  absl::StatusOr<conclave::v1::TrafficState> GetTrafficState(
      const conclave::v1::GetTrafficStateRequest&, const std::string&, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    conclave::v1::TrafficState state;
    state.set_canary_weight_percent(weight_);
    return state;
  }

  // The next `n` calls fail with UNAVAILABLE (a large n: until told otherwise).
  void FailNext(int n) {
    absl::MutexLock lock(&mu_);
    fail_next_ = n;
  }
  // Canary weights asked for, in order, failed attempts included.
  std::vector<int> Weights() {
    absl::MutexLock lock(&mu_);
    std::vector<int> out;
    for (const auto& r : requests_) out.push_back(r.canary_weight_percent());
    return out;
  }
  // The weight in effect (last successful call); -1 before any.
  int weight() {
    absl::MutexLock lock(&mu_);
    return weight_;
  }
  std::vector<conclave::v1::SetTrafficSplitRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  absl::Mutex mu_;
  std::vector<conclave::v1::SetTrafficSplitRequest> requests_ ABSL_GUARDED_BY(mu_);
  int fail_next_ ABSL_GUARDED_BY(mu_) = 0;
  int weight_ ABSL_GUARDED_BY(mu_) = -1;
};

class ScriptedJudge : public CanaryJudge {
 public:
  // Answers with the scripted verdicts in order, then with `otherwise` forever.
  explicit ScriptedJudge(conclave::v1::CanaryVerdict otherwise = conclave::v1::CANARY_VERDICT_PASS)
      : otherwise_(otherwise) {}

  absl::StatusOr<conclave::v1::JudgeResponse> Judge(const conclave::v1::JudgeRequest& request,
                                                    const std::string&, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
    conclave::v1::CanaryVerdict v = otherwise_;
    if (!script_.empty()) {
      v = script_.front();
      script_.pop_front();
    }
    conclave::v1::JudgeResponse response;
    response.set_request_id(request.request_id());
    response.set_verdict(v);
    auto* m = response.add_metrics();
    m->set_name("error_rate");
    m->set_verdict(v);
    m->set_canary_value(v == conclave::v1::CANARY_VERDICT_FAIL ? 0.2 : 0.01);
    m->set_stable_value(0.01);
    m->set_threshold(0.05);
    m->set_canary_samples(400);
    m->set_stable_samples(3600);
    if (v != conclave::v1::CANARY_VERDICT_PASS) response.set_reason("scripted verdict");
    return response;
  }

  void Then(conclave::v1::CanaryVerdict v) {
    absl::MutexLock lock(&mu_);
    script_.push_back(v);
  }
  void Otherwise(conclave::v1::CanaryVerdict v) {
    absl::MutexLock lock(&mu_);
    otherwise_ = v;
  }
  size_t calls() {
    absl::MutexLock lock(&mu_);
    return requests_.size();
  }
  std::vector<conclave::v1::JudgeRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  absl::Mutex mu_;
  std::deque<conclave::v1::CanaryVerdict> script_ ABSL_GUARDED_BY(mu_);
  conclave::v1::CanaryVerdict otherwise_ ABSL_GUARDED_BY(mu_);
  std::vector<conclave::v1::JudgeRequest> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace conclave::supervisor
