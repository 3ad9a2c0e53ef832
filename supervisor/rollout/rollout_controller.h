// RolloutController: progressive delivery of approved changes (docs/ROLLOUTS.md). A rollout
// moves its service's traffic to the canary version step by step (policy; default 10, 25, 50,
// 100 %), holds each step for an analysis window while the metrics agent judges the canary
// every judge interval, and rolls back at once on FAIL, pauses for a person on INCONCLUSIVE or
// NO_DATA at the end of a hold, and records the service's new version on success.
//
// Desired state first, then reconcile: every transition is written (synced) with its event
// and audited before any traffic moves; Drive() then brings the traffic to the desired weight
// and retries until it gets there. After a restart Resume() reloads every rollout that is not
// finished, or whose traffic is not yet where it should be, and continues it.
//
// Thread-safe. One mutex guards the in-memory state; calls to the agents are made without it,
// one at a time per rollout, so people's actions are never blocked by a slow agent.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "common/metrics/metrics.h"
#include "common/store/kv_store.h"
#include "conclave/v1/supervisor.pb.h"
#include "supervisor/core/audit_log.h"
#include "supervisor/core/policy.h"
#include "supervisor/core/watch_queue.h"
#include "supervisor/rollout/agent_clients.h"

namespace conclave::supervisor {

// Receives a rollout's events in order. Owned by the caller of Watch().
using RolloutEventQueue = WatchQueue<conclave::v1::RolloutEvent>;

class RolloutController {
 public:
  // The column families the controller's store must have.
  static std::vector<std::string> StoreFamilies();

  // Everything passed in must outlive the controller.
  RolloutController(store::KvStore* store, AuditLog* audit, const Policy* policy,
                    TrafficClient* traffic, CanaryJudge* judge, Clock* clock,
                    metrics::Registry* registry);
  ~RolloutController();

  // Reloads rollouts in flight after a restart: a PROGRESSING rollout restarts its step's
  // analysis window; one whose traffic is not at its desired weight is driven there again.
  absl::Status Resume();

  // Starts the rollout of a DECIDED, APPROVED change with a version: PROGRESSING when the
  // decision passed the auto-rollout gate, AWAITING_APPROVAL otherwise. Idempotent per change.
  // FailedPrecondition when the change does not qualify (not approved, no version, no known
  // stable version, version equal to the stable one); the reason is logged and audited.
  absl::StatusOr<conclave::v1::Rollout> Start(const conclave::v1::ChangeRecord& change);

  // One round of automation: judges due canaries, ends holds, applies and retries traffic
  // moves. Called every ~100 ms by the supervisor's rollout thread; agent calls block it.
  void Tick();

  absl::StatusOr<conclave::v1::Rollout> Get(const std::string& rollout_id);
  // Newest first; only `service`'s when it is not empty. limit <= 0: 50; at most 1000.
  absl::StatusOr<std::vector<conclave::v1::Rollout>> List(int limit, const std::string& service);

  // Past events at once, live ones as they happen (JUDGED live only); the queue is closed
  // after SUCCEEDED or ROLLED_BACK. Call Unwatch before destroying the queue.
  absl::Status Watch(const std::string& rollout_id, RolloutEventQueue* queue);
  void Unwatch(const std::string& rollout_id, RolloutEventQueue* queue);
  void CloseWatchers();

  // People's actions; they work with the kill switch engaged. NotFound for an unknown id,
  // FailedPrecondition when the action does not apply to the rollout's state. Traffic is
  // moved before the call returns when the devops agent answers in time; otherwise the
  // controller keeps retrying and the returned rollout shows the weight still in effect.
  using Action = absl::StatusOr<conclave::v1::Rollout>;
  Action Approve(const std::string& id, const std::string& actor, const std::string& reason);
  Action Promote(const std::string& id, const std::string& actor, const std::string& reason);
  Action Pause(const std::string& id, const std::string& actor, const std::string& reason);
  Action ResumeRollout(const std::string& id, const std::string& actor, const std::string& reason);
  Action Abort(const std::string& id, const std::string& actor, const std::string& reason);
  Action Rollback(const std::string& id, const std::string& actor, const std::string& reason);

  // The kill switch is persisted (synced) and audited; while engaged no automated action runs.
  absl::StatusOr<conclave::v1::KillSwitch> SetKillSwitch(bool engaged, const std::string& actor,
                                                         const std::string& reason);
  conclave::v1::KillSwitch GetKillSwitch();

  // The version the last SUCCEEDED rollout left running for service@environment, or "".
  std::string CurrentVersion(const std::string& service, const std::string& environment);

 private:
  struct Entry;
  struct Transition;
  enum class Work { kNone, kApply, kJudge };

  // Runs the agent calls `id` needs now, one at a time, until none is due. `automation` is
  // false for a person's action: it then only moves traffic and never judges.
  void Drive(const std::string& id, bool automation);
  Work NextWork(Entry& e, bool automation) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Both release mu_ while the agent answers; `e` stays valid because a busy entry is never
  // erased.
  void RunApply(Entry& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunJudge(Entry& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnApplied(Entry& e, int weight, const conclave::v1::TrafficState& state)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnApplyFailed(Entry& e, int weight, const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnJudged(Entry& e, const absl::StatusOr<conclave::v1::JudgeResponse>& judged)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Advance(Entry& e, const std::string& actor, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Persists `t` (record, runtime and event in one synced batch), audits it, updates metrics
  // and notifies watchers. On a failed write nothing changes in memory.
  absl::Status Commit(Entry& e, Transition t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Action PersonAction(const std::string& id, const std::string& verb, const std::string& actor,
                      const std::string& reason,
                      const std::function<absl::Status(Entry&, Transition&)>& change);
  absl::StatusOr<Entry*> Load(const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Publish(const conclave::v1::RolloutEvent& event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UpdateActiveGauge() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool killed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return kill_switch_.engaged(); }

  store::KvStore* store_;
  AuditLog* audit_;
  const Policy* policy_;
  TrafficClient* traffic_;
  CanaryJudge* judge_;
  Clock* clock_;

  absl::Mutex mu_;
  // Rollouts the controller still has to act on (not finished, or traffic not yet in place).
  std::map<std::string, std::unique_ptr<Entry>> active_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::vector<RolloutEventQueue*>> watchers_ ABSL_GUARDED_BY(mu_);
  conclave::v1::KillSwitch kill_switch_ ABSL_GUARDED_BY(mu_);
  uint64_t judge_counter_ ABSL_GUARDED_BY(mu_) = 0;
  // Random per process: part of every operation id, so a task published before a restart is
  // never taken for one published after it (JetStream de-duplicates on Nats-Msg-Id).
  const std::string nonce_;

  metrics::Family<metrics::Counter>* transitions_;
  metrics::Family<metrics::Gauge>* active_gauge_;
  metrics::Family<metrics::Counter>* judgments_;
  metrics::Family<metrics::Histogram>* restore_seconds_;
  metrics::Family<metrics::Counter>* action_failures_;
};

}  // namespace conclave::supervisor
