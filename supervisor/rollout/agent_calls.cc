#include "supervisor/rollout/agent_calls.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bus/topology.h"
#include "common/log/log.h"

namespace conclave::supervisor {

AgentCalls::AgentCalls(bus::Bus* bus, metrics::Registry* registry) : bus_(bus) {
  calls_ = registry->AddCounter("conclave_agent_calls_total",
                                "Supervisor calls to agents over the bus, by outcome.",
                                {"agent", "method", "outcome"});
  call_seconds_ = registry->AddHistogram("conclave_agent_call_seconds",
                                         "Time from task publish to result, per agent method.",
                                         {"agent", "method"});
  unclaimed_ =
      registry->AddCounter("conclave_agent_results_unclaimed_total",
                           "Agent results that arrived with nobody waiting (late).", {"agent"});
}

bool AgentCalls::IsAgentResult(const std::string& subject) {
  return absl::StartsWith(subject, bus::ResultSubject(kDevopsAgentName, "")) ||
         absl::StartsWith(subject, bus::ResultSubject(kMetricsAgentName, ""));
}

absl::StatusOr<bus::Message> AgentCalls::Call(const std::string& agent, const std::string& method,
                                              const std::string& request,
                                              const std::string& operation_id,
                                              const std::string& change_id,
                                              const std::string& traceparent,
                                              absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const std::string result_subject = bus::ResultSubject(agent, operation_id);
  Waiter waiter;
  {
    absl::MutexLock lock(&mu_);
    if (!waiters_.emplace(result_subject, &waiter).second) {
      return absl::AlreadyExistsError(
          absl::StrCat("a call with operation id ", operation_id, " to ", agent, " is in flight"));
    }
  }
  bus::Message task;
  task.subject = bus::TaskSubject(agent, method);
  task.data = request;
  task.headers[bus::kMsgIdHeader] = absl::StrCat(operation_id, ".task");
  task.headers[bus::kDeadlineHeader] = absl::StrCat(absl::ToUnixMillis(start + timeout));
  if (!change_id.empty()) task.headers[bus::kChangeIdHeader] = change_id;
  if (!traceparent.empty()) task.headers[bus::kTraceparentHeader] = traceparent;
  absl::Status published = bus_->Publish(task, timeout);
  absl::MutexLock lock(&mu_);
  if (published.ok()) {
    auto arrived = [&waiter]() { return waiter.result.has_value(); };
    mu_.AwaitWithDeadline(absl::Condition(&arrived), start + timeout);
  }
  waiters_.erase(result_subject);
  if (!published.ok()) {
    calls_->With({agent, method, "publish_failed"})->Increment();
    return absl::Status(published.code(),
                        absl::StrCat("cannot publish ", agent, ".", method, " task ", operation_id,
                                     ": ", published.message()));
  }
  if (!waiter.result.has_value()) {
    calls_->With({agent, method, "timeout"})->Increment();
    return absl::DeadlineExceededError(absl::StrCat(
        "no result from the ", agent, " agent for ", method, " (operation ", operation_id,
        ") within ", absl::FormatDuration(timeout), "; is conclave-", agent, " running?"));
  }
  calls_->With({agent, method, "ok"})->Increment();
  call_seconds_->With({agent, method})->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return std::move(*waiter.result);
}

bool AgentCalls::Deliver(const bus::Message& result) {
  absl::MutexLock lock(&mu_);
  auto it = waiters_.find(result.subject);
  if (it == waiters_.end() || it->second->result.has_value()) {
    const std::string agent =
        absl::StartsWith(result.subject, bus::ResultSubject(kDevopsAgentName, ""))
            ? kDevopsAgentName
            : (absl::StartsWith(result.subject, bus::ResultSubject(kMetricsAgentName, ""))
                   ? kMetricsAgentName
                   : "other");
    unclaimed_->With({agent})->Increment();
    spdlog::info("dropping agent result on {} that nobody waits for", result.subject);
    return false;
  }
  it->second->result = result;
  return true;
}

}  // namespace conclave::supervisor
