#include "supervisor/rollout/rollout_controller.h"

#include <nlohmann/json.hpp>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/log/log.h"
#include "google/protobuf/util/time_util.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::Rollout;
using conclave::v1::RolloutEvent;
using conclave::v1::RolloutEventType;
using conclave::v1::RolloutState;
using google::protobuf::util::TimeUtil;

constexpr char kRollouts[] = "rollouts";
constexpr char kEvents[] = "rollout_events";
constexpr char kRuntime[] = "rollout_runtime";
constexpr char kActive[] = "rollout_active";
constexpr char kByChange[] = "rollout_by_change";
constexpr char kMeta[] = "rollout_meta";
constexpr char kKillSwitchKey[] = "kill_switch";
constexpr char kSupervisor[] = "supervisor";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string EventKey(const std::string& id, uint32_t seq) {
  return absl::StrFormat("%s/%08u", id, seq);
}

std::string VersionKey(const std::string& environment, const std::string& service) {
  return absl::StrCat("version/", environment, "/", service);
}

// "ro_" + 10 characters of milliseconds + 16 random characters, so ids sort by creation time.
std::string NewRolloutId(absl::Time now) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now));
  std::string id = "ro_";
  id.resize(3 + 26);
  for (int i = 9; i >= 0; --i) {
    id[3 + i] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  uint64_t hi = rng(), lo = rng();
  for (int i = 0; i < 16; ++i) {
    uint64_t& src = i < 8 ? hi : lo;
    id[13 + i] = kAlphabet[src & 31];
    src >>= 5;
  }
  return id;
}

bool Finished(RolloutState s) {
  return s == conclave::v1::ROLLOUT_STATE_SUCCEEDED || s == conclave::v1::ROLLOUT_STATE_ROLLED_BACK;
}

// The canary weight the rollout wants in effect; -1 when it owns no traffic yet.
int DesiredWeight(const Rollout& r) {
  switch (r.state()) {
    case conclave::v1::ROLLOUT_STATE_PROGRESSING:
    case conclave::v1::ROLLOUT_STATE_PAUSED:
    case conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION:
      return r.steps(r.step_index());
    case conclave::v1::ROLLOUT_STATE_SUCCEEDED:
      return 100;
    case conclave::v1::ROLLOUT_STATE_ROLLED_BACK:
      return 0;
    default:
      return -1;
  }
}

// States in which the controller moves traffic to the desired weight on its own.
bool Reconciled(RolloutState s) {
  return s == conclave::v1::ROLLOUT_STATE_PROGRESSING || Finished(s);
}

const char* VerdictWord(conclave::v1::CanaryVerdict v) {
  switch (v) {
    case conclave::v1::CANARY_VERDICT_PASS:
      return "PASS";
    case conclave::v1::CANARY_VERDICT_FAIL:
      return "FAIL";
    case conclave::v1::CANARY_VERDICT_INCONCLUSIVE:
      return "INCONCLUSIVE";
    case conclave::v1::CANARY_VERDICT_NO_DATA:
      return "NO_DATA";
    default:
      return "UNSPECIFIED";
  }
}

conclave::v1::MetricCheck ToCheck(const conclave::v1::MetricResult& m) {
  conclave::v1::MetricCheck c;
  c.set_name(m.name());
  c.set_verdict(VerdictWord(m.verdict()));
  c.set_canary_value(m.canary_value());
  c.set_stable_value(m.stable_value());
  c.set_threshold(m.threshold());
  c.set_statistic(m.statistic());
  c.set_statistic_value(m.statistic_value());
  c.set_statistic_threshold(m.statistic_threshold());
  c.set_canary_samples(m.canary_samples());
  c.set_stable_samples(m.stable_samples());
  c.set_reason(m.reason());
  return c;
}

// Which metric decided a non-PASS judgment, with its value and threshold, in one line.
std::string JudgmentReason(const conclave::v1::JudgeResponse& j, int weight) {
  std::string out = absl::StrCat(VerdictWord(j.verdict()), " at ", weight, " %");
  for (const auto& m : j.metrics()) {
    if (m.verdict() != j.verdict()) continue;
    absl::StrAppendFormat(&out, ": %s canary %.6g vs threshold %.6g (stable %.6g; %d/%d samples)",
                          m.name(), m.canary_value(), m.threshold(), m.stable_value(),
                          m.canary_samples(), m.stable_samples());
    break;
  }
  if (!j.reason().empty()) absl::StrAppend(&out, "; ", j.reason());
  return out;
}

std::string ChecksJson(const Rollout& r) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : r.last_checks()) {
    checks.push_back({{"name", c.name()},
                      {"verdict", c.verdict()},
                      {"canary", c.canary_value()},
                      {"stable", c.stable_value()},
                      {"threshold", c.threshold()}});
  }
  return checks.dump();
}

}  // namespace

// What the controller keeps about a rollout besides its public record; persisted next to it.
struct RolloutRuntime {
  // Canary weight last applied (or, in dry run, recorded); -1 before the first.
  int applied = -1;
  // Consecutive failed traffic moves towards the desired weight.
  int attempts = 0;
  // Traffic moves made so far; part of each operation id.
  int ops = 0;
  // The pending traffic move was asked for by a person, so the kill switch does not hold it.
  bool by_person = false;
  // When a FAIL verdict triggered the pending rollback (Unix ns), for the restore metric.
  int64_t fail_at_ns = 0;
  std::string traceparent;

  std::string Encode() const {
    return nlohmann::json{
        {"applied", applied},     {"attempts", attempts},     {"ops", ops},
        {"by_person", by_person}, {"fail_at_ns", fail_at_ns}, {"traceparent", traceparent}}
        .dump();
  }
  static RolloutRuntime Decode(const std::string& text) {
    RolloutRuntime rt;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return rt;
    rt.applied = j.value("applied", -1);
    rt.attempts = j.value("attempts", 0);
    rt.ops = j.value("ops", 0);
    rt.by_person = j.value("by_person", false);
    rt.fail_at_ns = j.value("fail_at_ns", int64_t{0});
    rt.traceparent = j.value("traceparent", std::string());
    return rt;
  }
};

struct RolloutController::Entry {
  Rollout rollout;
  RolloutRuntime rt;
  uint32_t next_event = 1;
  // In memory only: whether a thread is driving the rollout, a counter of transitions (a
  // judgment started before a transition is discarded), and when work is next due.
  bool busy = false;
  uint64_t generation = 0;
  absl::Time next_judge = absl::InfinitePast();
  absl::Time next_apply = absl::InfinitePast();
};

// One change of a rollout: the record and runtime after it, the event (none when type is
// UNSPECIFIED) and the audit record (none when action is empty).
struct RolloutController::Transition {
  Rollout next;
  RolloutRuntime rt;
  RolloutEventType type = conclave::v1::ROLLOUT_EVENT_TYPE_UNSPECIFIED;
  std::string action;
  std::string actor = kSupervisor;
  std::string reason;
  std::vector<store::WriteOp> extra;

  explicit Transition(const Entry& e) : next(e.rollout), rt(e.rt) {}
  void To(RolloutState state, RolloutEventType event, std::string audit_action, std::string why) {
    next.set_state(state);
    type = event;
    action = std::move(audit_action);
    reason = std::move(why);
    next.set_reason(reason);
  }
};

// ---------------------------------------------------------------------------------------------
// Construction, resume, start

std::vector<std::string> RolloutController::StoreFamilies() {
  return {kRollouts, kEvents, kRuntime, kActive, kByChange, kMeta};
}

RolloutController::RolloutController(store::KvStore* store, AuditLog* audit, const Policy* policy,
                                     TrafficClient* traffic, CanaryJudge* judge, Clock* clock,
                                     metrics::Registry* registry)
    : store_(store),
      audit_(audit),
      policy_(policy),
      traffic_(traffic),
      judge_(judge),
      clock_(clock),
      nonce_(NewRolloutId(absl::Now()).substr(13, 6)) {
  transitions_ = registry->AddCounter("conclave_rollout_transitions_total",
                                      "Rollouts entering each state.", {"environment", "state"});
  active_gauge_ = registry->AddGauge("conclave_rollouts",
                                     "Rollouts the controller is acting on, by state.", {"state"});
  judgments_ = registry->AddCounter("conclave_rollout_judgments_total",
                                    "Canary judgments received, by verdict.", {"verdict"});
  restore_seconds_ = registry->AddHistogram(
      "conclave_rollout_restore_seconds",
      "Time from a FAIL verdict to traffic read back on the stable version.", {"environment"});
  action_failures_ =
      registry->AddCounter("conclave_rollout_action_failures_total",
                           "Traffic moves that failed (and were retried).", {"environment"});
  absl::StatusOr<std::string> raw = store_->Get(kMeta, kKillSwitchKey);
  if (raw.ok() && !kill_switch_.ParseFromString(*raw)) kill_switch_.Clear();
}

RolloutController::~RolloutController() { CloseWatchers(); }

absl::Status RolloutController::Resume() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  absl::Status scan = store_->Scan(kActive, "", false, [&](std::string_view key, std::string_view) {
    ids.emplace_back(key);
    return true;
  });
  if (!scan.ok()) return scan;
  for (const std::string& id : ids) {
    absl::StatusOr<Entry*> loaded = Load(id);
    if (!loaded.ok()) {
      spdlog::error("rollout {} is active but cannot be loaded: {}", id,
                    loaded.status().ToString());
      continue;
    }
    Entry& e = **loaded;
    log::ScopedLogContext context(e.rollout.change_id(), log::TraceIdOf(e.rt.traceparent));
    const int desired = DesiredWeight(e.rollout);
    std::string why = "supervisor restarted";
    Transition t(e);
    if (e.rollout.state() == conclave::v1::ROLLOUT_STATE_PROGRESSING) {
      *t.next.mutable_step_started_at() = ToProto(clock_->Now());
      absl::StrAppend(&why, "; the analysis window of the ", desired, " % step starts again");
    }
    if (Reconciled(e.rollout.state()) && desired >= 0 && e.rt.applied != desired) {
      absl::StrAppend(&why, "; re-applying ", desired, " % to the canary (", e.rt.applied,
                      " % last applied)");
    }
    t.type = conclave::v1::ROLLOUT_EVENT_TYPE_RESUMED;
    t.action = "rollout_resumed";
    t.reason = why;
    if (absl::Status s = Commit(e, std::move(t)); !s.ok()) return s;
    spdlog::info("resumed rollout {} in state {}: {}", id,
                 conclave::v1::RolloutState_Name(e.rollout.state()), why);
  }
  UpdateActiveGauge();
  return absl::OkStatus();
}

absl::StatusOr<Rollout> RolloutController::Start(const conclave::v1::ChangeRecord& record) {
  const conclave::v1::Change& change = record.change();
  log::ScopedLogContext context(change.id(), log::TraceIdOf(record.traceparent()));
  if (record.state() != conclave::v1::CHANGE_STATE_DECIDED ||
      record.decision().outcome() != conclave::v1::OUTCOME_APPROVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("change ", change.id(), " is not DECIDED APPROVED; no rollout"));
  }
  if (change.version().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("change ", change.id(), " has no version; reviewed only, no rollout"));
  }
  const EnvironmentPolicy* env = policy_->Find(change.environment());
  if (env == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unknown environment '", change.environment(), "'"));
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::string> existing = store_->Get(kByChange, change.id());
  if (existing.ok()) {
    absl::StatusOr<Entry*> e = Load(*existing);
    if (!e.ok()) return e.status();
    return (*e)->rollout;
  }
  std::string stable = change.base_version();
  if (stable.empty()) {
    absl::StatusOr<std::string> current =
        store_->Get(kMeta, VersionKey(change.environment(), change.target_service()));
    if (current.ok()) stable = *current;
  }
  std::string refused;
  if (stable.empty()) {
    refused = absl::StrCat("no base_version given and no earlier rollout of ",
                           change.target_service(), "@", change.environment(),
                           " recorded a running version; set Change.base_version");
  } else if (stable == change.version()) {
    refused = absl::StrCat("version ", change.version(), " is already the running version of ",
                           change.target_service());
  }
  if (!refused.empty()) {
    spdlog::warn("no rollout for approved change: {}", refused);
    (void)audit_->Append(change.id(), "rollout_not_started", kSupervisor,
                         nlohmann::json{{"reason", refused}}.dump());
    return absl::FailedPreconditionError(refused);
  }
  const RolloutPolicy& rp = env->rollout;
  const absl::Time now = clock_->Now();
  auto entry = std::make_unique<Entry>();
  Rollout& r = entry->rollout;
  r.set_id(NewRolloutId(now));
  r.set_change_id(change.id());
  r.set_service(change.target_service());
  r.set_environment(change.environment());
  r.set_stable_version(stable);
  r.set_canary_version(change.version());
  for (int w : rp.steps) r.add_steps(w);
  *r.mutable_step_hold() = TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(rp.step_hold));
  *r.mutable_created_at() = ToProto(now);
  r.set_dry_run(rp.mode == RolloutPolicy::Mode::kDryRun);
  r.set_manual_promotion(rp.mode == RolloutPolicy::Mode::kManualPromotion);
  entry->rt.traceparent = record.traceparent();
  Entry& e = *entry;
  active_[r.id()] = std::move(entry);
  Transition t(e);
  const std::string mode = RolloutModeName(rp.mode);
  if (!record.decision().auto_rollout()) {
    t.To(conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL, conclave::v1::ROLLOUT_EVENT_TYPE_CREATED,
         "rollout_created",
         absl::StrCat("approved, but the auto-rollout gate was not passed (confidence ",
                      absl::StrFormat("%.2f", record.decision().confidence()), ", risk ",
                      absl::StrFormat("%.1f", record.decision().risk()), ", complexity ",
                      absl::StrFormat("%.1f", record.decision().complexity()),
                      "); waiting for a person's approval"));
  } else {
    t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_CREATED,
         "rollout_created",
         absl::StrCat("approved and auto-rollout gate passed; ", mode, " rollout ", stable, " -> ",
                      change.version(), " through ", absl::StrJoin(rp.steps, ", "), " %"));
  }
  t.extra.push_back({kByChange, change.id(), r.id()});
  if (absl::Status s = Commit(e, std::move(t)); !s.ok()) {
    active_.erase(r.id());
    return s;
  }
  spdlog::info("rollout {} created for {}@{}: {} -> {} ({})", e.rollout.id(), r.service(),
               r.environment(), stable, change.version(),
               conclave::v1::RolloutState_Name(e.rollout.state()));
  UpdateActiveGauge();
  return e.rollout;
}

// ---------------------------------------------------------------------------------------------
// Persistence

absl::Status RolloutController::Commit(Entry& e, Transition t) {
  const absl::Time now = clock_->Now();
  Rollout& next = t.next;
  const std::string& id = next.id();
  *next.mutable_updated_at() = ToProto(now);
  if (Finished(next.state()) && !next.has_finished_at()) *next.mutable_finished_at() = ToProto(now);
  const bool done =
      Finished(next.state()) && (next.dry_run() || t.rt.applied == DesiredWeight(next));
  std::vector<store::WriteOp> ops = std::move(t.extra);
  ops.push_back({kRollouts, id, next.SerializeAsString()});
  ops.push_back({kRuntime, id, t.rt.Encode()});
  ops.push_back({kActive, id, done ? std::nullopt : std::optional<std::string>("")});
  RolloutEvent event;
  const bool has_event = t.type != conclave::v1::ROLLOUT_EVENT_TYPE_UNSPECIFIED;
  if (has_event) {
    event.set_rollout_id(id);
    event.set_sequence(e.next_event);
    event.set_type(t.type);
    *event.mutable_time() = ToProto(now);
    event.set_state(next.state());
    event.set_canary_weight(next.canary_weight());
    event.set_reason(t.actor == kSupervisor ? t.reason
                                            : absl::StrCat(t.reason, " (by ", t.actor, ")"));
    if (t.type == conclave::v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK ||
        t.type == conclave::v1::ROLLOUT_EVENT_TYPE_PAUSED ||
        t.type == conclave::v1::ROLLOUT_EVENT_TYPE_STEP ||
        t.type == conclave::v1::ROLLOUT_EVENT_TYPE_AWAITING_PROMOTION) {
      if (t.actor == kSupervisor) {
        event.set_verdict(next.last_verdict());
        *event.mutable_checks() = next.last_checks();
      }
    }
    ops.push_back({kEvents, EventKey(id, e.next_event), event.SerializeAsString()});
  }
  // The record, its runtime, its event and its audit record go in one batch, so a transition
  // and its audit record are never apart. Transitions are fsynced before they are acted on;
  // a judgment's bookkeeping alone (no event) only reaches the write-ahead log.
  const bool sync = has_event || !t.action.empty();
  absl::Status written;
  if (t.action.empty()) {
    written = store_->Write(ops, sync);
  } else {
    const std::string detail = nlohmann::json{
        {"rollout_id", id},
        {"service", next.service()},
        {"state", RolloutState_Name(next.state())},
        {"step_index", next.step_index()},
        {"desired_weight", DesiredWeight(next)},
        {"canary_weight", next.canary_weight()},
        {"dry_run", next.dry_run()},
        {"verdict", next.last_verdict()},
        {"checks", nlohmann::json::parse(ChecksJson(next))},
        {"reason", t.reason}}.dump();
    written =
        audit_->Append(next.change_id(), t.action, t.actor, detail, std::move(ops), sync).status();
  }
  if (!written.ok()) {
    spdlog::error("cannot persist rollout {} ({}); not acting on it: {}", id,
                  t.action.empty() ? "update" : t.action, written.ToString());
    return written;
  }
  const RolloutState before = e.rollout.state();
  e.rollout = std::move(next);
  e.rt = std::move(t.rt);
  ++e.generation;
  if (has_event) ++e.next_event;
  if (e.rollout.state() != before || t.type == conclave::v1::ROLLOUT_EVENT_TYPE_CREATED) {
    transitions_
        ->With({e.rollout.environment(), conclave::v1::RolloutState_Name(e.rollout.state())})
        ->Increment();
  }
  if (has_event) Publish(event);
  return absl::OkStatus();
}

absl::StatusOr<RolloutController::Entry*> RolloutController::Load(const std::string& id) {
  if (auto it = active_.find(id); it != active_.end()) return it->second.get();
  absl::StatusOr<std::string> raw = store_->Get(kRollouts, id);
  if (absl::IsNotFound(raw.status())) {
    return absl::NotFoundError(absl::StrCat("no rollout with id '", id, "'"));
  }
  if (!raw.ok()) return raw.status();
  auto e = std::make_unique<Entry>();
  if (!e->rollout.ParseFromString(*raw) || e->rollout.steps_size() == 0) {
    return absl::DataLossError(absl::StrCat("rollout ", id, ": stored record is corrupt"));
  }
  if (absl::StatusOr<std::string> rt = store_->Get(kRuntime, id); rt.ok()) {
    e->rt = RolloutRuntime::Decode(*rt);
  }
  uint32_t events = 0;
  absl::Status s = store_->Scan(kEvents, id + "/", false, [&](std::string_view, std::string_view) {
    ++events;
    return true;
  });
  if (!s.ok()) return s;
  e->next_event = events + 1;
  Entry* out = e.get();
  active_[id] = std::move(e);
  return out;
}

void RolloutController::Publish(const RolloutEvent& event) {
  auto it = watchers_.find(event.rollout_id());
  if (it == watchers_.end()) return;
  const bool last = event.sequence() != 0 && Finished(event.state());
  for (RolloutEventQueue* q : it->second) {
    q->Push(event);
    if (last) q->Close();
  }
  if (last) watchers_.erase(it);
}

void RolloutController::UpdateActiveGauge() {
  std::map<std::string, int> counts;
  for (int s = conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL;
       s <= conclave::v1::ROLLOUT_STATE_ROLLED_BACK; ++s) {
    counts[RolloutState_Name(static_cast<RolloutState>(s))] = 0;
  }
  for (const auto& [id, e] : active_) ++counts[RolloutState_Name(e->rollout.state())];
  for (const auto& [state, n] : counts) active_gauge_->With({state})->Set(n);
}

// ---------------------------------------------------------------------------------------------
// Automation

void RolloutController::Tick() {
  std::vector<std::string> ids;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, e] : active_) ids.push_back(id);
  }
  for (const std::string& id : ids) Drive(id, /*automation=*/true);
}

void RolloutController::Drive(const std::string& id, bool automation) {
  absl::MutexLock lock(&mu_);
  auto it = active_.find(id);
  if (it == active_.end() || it->second->busy) return;  // the busy thread sees the new state
  Entry& e = *it->second;
  log::ScopedLogContext context(e.rollout.change_id(), log::TraceIdOf(e.rt.traceparent));
  e.busy = true;
  for (int round = 0; round < 8; ++round) {
    const Work work = NextWork(e, automation);
    if (work == Work::kNone) break;
    if (work == Work::kApply) {
      RunApply(e);
    } else {
      RunJudge(e);
    }
  }
  e.busy = false;
  const bool done = Finished(e.rollout.state()) &&
                    (e.rollout.dry_run() || e.rt.applied == DesiredWeight(e.rollout));
  if (done) active_.erase(id);
  UpdateActiveGauge();
}

RolloutController::Work RolloutController::NextWork(Entry& e, bool automation) {
  const absl::Time now = clock_->Now();
  const Rollout& r = e.rollout;
  const int desired = DesiredWeight(r);
  if (Reconciled(r.state()) && desired >= 0 && desired != e.rt.applied) {
    if (killed() && !e.rt.by_person) return Work::kNone;  // held by the kill switch
    if (!e.rt.by_person && !automation) return Work::kNone;
    if (now < e.next_apply && e.rt.attempts > 0) return Work::kNone;  // retry later
    return Work::kApply;
  }
  // A canary waiting for promotion keeps carrying traffic, so it stays judged (and is rolled
  // back on FAIL); a paused rollout belongs to a person and is not.
  const bool progressing = r.state() == conclave::v1::ROLLOUT_STATE_PROGRESSING;
  const bool judged = progressing || r.state() == conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION;
  if (!automation || !judged || desired >= 100 || desired != e.rt.applied) return Work::kNone;
  const absl::Time hold_end = FromProto(r.step_started_at()) +
                              absl::Nanoseconds(TimeUtil::DurationToNanoseconds(r.step_hold()));
  if (now >= e.next_judge || (progressing && now >= hold_end && !killed())) return Work::kJudge;
  return Work::kNone;
}

void RolloutController::RunApply(Entry& e) {
  const int weight = DesiredWeight(e.rollout);
  const RolloutPolicy& rp = policy_->Find(e.rollout.environment())->rollout;
  if (e.rollout.dry_run()) {
    conclave::v1::TrafficState recorded;
    recorded.set_dry_run(true);
    recorded.set_canary_weight_percent(weight);
    recorded.set_requested_canary_weight_percent(weight);
    OnApplied(e, weight, recorded);
    return;
  }
  conclave::v1::SetTrafficSplitRequest request;
  request.set_operation_id(
      absl::StrCat(e.rollout.id(), "-w", weight, "-", e.rt.ops + 1, "-", nonce_));
  request.set_change_id(e.rollout.change_id());
  request.set_service(e.rollout.service());
  request.set_stable_version(e.rollout.stable_version());
  request.set_canary_version(e.rollout.canary_version());
  request.set_canary_weight_percent(weight);
  const std::string traceparent = e.rt.traceparent;
  spdlog::info("rollout {}: setting {} canary {} to {} %", e.rollout.id(), e.rollout.service(),
               e.rollout.canary_version(), weight);
  mu_.Unlock();
  absl::StatusOr<conclave::v1::TrafficState> state =
      traffic_->SetTrafficSplit(request, traceparent, rp.agent_timeout);
  mu_.Lock();
  if (state.ok() && !state->dry_run() && state->canary_weight_percent() != weight) {
    state = absl::AbortedError(absl::StrCat("read-back shows ", state->canary_weight_percent(),
                                            " % on the canary, not ", weight, " %"));
  }
  if (state.ok()) {
    OnApplied(e, weight, *state);
  } else {
    OnApplyFailed(e, weight, state.status());
  }
}

void RolloutController::OnApplied(Entry& e, int weight, const conclave::v1::TrafficState& state) {
  const absl::Time now = clock_->Now();
  const RolloutPolicy& rp = policy_->Find(e.rollout.environment())->rollout;
  Transition t(e);
  t.rt.applied = weight;
  t.rt.attempts = 0;
  ++t.rt.ops;
  t.next.set_canary_weight(state.canary_weight_percent());
  const bool wanted = weight == DesiredWeight(e.rollout);
  if (wanted) t.rt.by_person = false;
  t.action = "rollout_traffic_set";
  t.reason = absl::StrCat(e.rollout.dry_run() ? "dry run: recorded, not applied: " : "",
                          e.rollout.service(), " canary ", e.rollout.canary_version(), " at ",
                          weight, " %", state.driver().empty() ? "" : " via ", state.driver(),
                          state.changed() || e.rollout.dry_run() ? "" : " (already in place)");
  const RolloutState s = e.rollout.state();
  if (wanted && s == conclave::v1::ROLLOUT_STATE_PROGRESSING) {
    *t.next.mutable_step_started_at() = ToProto(now);
    e.next_judge = now + rp.judge_interval;
    if (weight == 100) {
      t.To(conclave::v1::ROLLOUT_STATE_SUCCEEDED, conclave::v1::ROLLOUT_EVENT_TYPE_SUCCEEDED,
           "rollout_succeeded",
           absl::StrCat(e.rollout.canary_version(), " takes 100 % of ", e.rollout.service(),
                        "'s traffic and is its running version",
                        e.rollout.dry_run() ? " (dry run: nothing was moved)" : ""));
      if (!e.rollout.dry_run()) {
        t.extra.push_back({kMeta, VersionKey(e.rollout.environment(), e.rollout.service()),
                           e.rollout.canary_version()});
      }
    }
  }
  if (wanted && s == conclave::v1::ROLLOUT_STATE_ROLLED_BACK && e.rt.fail_at_ns != 0) {
    const double seconds = absl::ToDoubleSeconds(now - absl::FromUnixNanos(e.rt.fail_at_ns));
    restore_seconds_->With({e.rollout.environment()})->Observe(seconds);
    t.rt.fail_at_ns = 0;
    absl::StrAppend(&t.reason,
                    absl::StrFormat("; traffic restored %.3fs after the FAIL verdict", seconds));
  }
  if (absl::Status st = Commit(e, std::move(t)); !st.ok()) {
    e.next_apply = now + rp.judge_interval;  // the move happened; recording it is retried
    e.rt.attempts = std::max(e.rt.attempts, 1);
  }
}

void RolloutController::OnApplyFailed(Entry& e, int weight, const absl::Status& status) {
  const absl::Time now = clock_->Now();
  const RolloutPolicy& rp = policy_->Find(e.rollout.environment())->rollout;
  action_failures_->With({e.rollout.environment()})->Increment();
  e.next_apply = now + rp.judge_interval;
  Transition t(e);
  ++t.rt.attempts;
  ++t.rt.ops;
  const int n = t.rt.attempts;
  const std::string what = absl::StrCat("setting ", e.rollout.service(), " canary to ", weight,
                                        " % failed (attempt ", n, "): ", status.message());
  spdlog::warn("rollout {}: {}", e.rollout.id(), what);
  if (e.rollout.state() == conclave::v1::ROLLOUT_STATE_PROGRESSING && n >= rp.max_action_attempts) {
    t.rt.by_person = false;
    t.To(conclave::v1::ROLLOUT_STATE_PAUSED, conclave::v1::ROLLOUT_EVENT_TYPE_PAUSED,
         "rollout_paused",
         absl::StrCat(what, "; paused after ", n,
                      " failed attempts: resume to retry, abort to roll back"));
  } else if (n <= rp.max_action_attempts || n % 30 == 0) {
    t.type = conclave::v1::ROLLOUT_EVENT_TYPE_ACTION_FAILED;
    t.action = "rollout_action_failed";
    t.reason = absl::StrCat(what, "; retrying every ", absl::FormatDuration(rp.judge_interval));
  }
  (void)Commit(e, std::move(t));
}

void RolloutController::RunJudge(Entry& e) {
  const RolloutPolicy& rp = policy_->Find(e.rollout.environment())->rollout;
  const absl::Time now = clock_->Now();
  const absl::Time start = FromProto(e.rollout.step_started_at());
  conclave::v1::JudgeRequest request;
  request.set_request_id(absl::StrCat(e.rollout.id(), "-j", absl::ToUnixMillis(now), "-",
                                      ++judge_counter_, "-", nonce_));
  request.set_service(e.rollout.service());
  request.set_canary_version(e.rollout.canary_version());
  request.set_stable_version(e.rollout.stable_version());
  *request.mutable_start() = ToProto(start);
  *request.mutable_duration() = TimeUtil::NanosecondsToDuration(
      absl::ToInt64Nanoseconds(std::max(now - start, absl::Milliseconds(1))));
  request.set_change_id(e.rollout.change_id());
  const std::string traceparent = e.rt.traceparent;
  const uint64_t generation = e.generation;
  e.next_judge = now + rp.judge_interval;
  mu_.Unlock();
  absl::StatusOr<conclave::v1::JudgeResponse> judged =
      judge_->Judge(request, traceparent, rp.agent_timeout);
  mu_.Lock();
  if (generation != e.generation) {
    spdlog::info("rollout {}: dropping a judgment that a transition overtook", e.rollout.id());
    return;
  }
  OnJudged(e, judged);
}

void RolloutController::OnJudged(Entry& e,
                                 const absl::StatusOr<conclave::v1::JudgeResponse>& judged) {
  const absl::Time now = clock_->Now();
  const int weight = e.rollout.canary_weight();
  Transition t(e);
  Rollout& r = t.next;
  *r.mutable_last_judged_at() = ToProto(now);
  r.clear_last_checks();
  std::string verdict_reason;
  if (judged.ok()) {
    r.set_last_verdict(VerdictWord(judged->verdict()));
    for (const auto& m : judged->metrics()) *r.add_last_checks() = ToCheck(m);
    verdict_reason = JudgmentReason(*judged, weight);
  } else {
    r.set_last_verdict("ERROR");
    verdict_reason = absl::StrCat("the metrics agent could not judge at ", weight,
                                  " %: ", judged.status().message());
  }
  judgments_->With({r.last_verdict()})->Increment();
  RolloutEvent live;
  live.set_rollout_id(r.id());
  live.set_type(conclave::v1::ROLLOUT_EVENT_TYPE_JUDGED);
  *live.mutable_time() = ToProto(now);
  live.set_state(r.state());
  live.set_canary_weight(weight);
  live.set_verdict(r.last_verdict());
  *live.mutable_checks() = r.last_checks();
  live.set_reason(verdict_reason);
  Publish(live);
  const absl::Time hold_end = FromProto(r.step_started_at()) +
                              absl::Nanoseconds(TimeUtil::DurationToNanoseconds(r.step_hold()));
  if (r.last_verdict() == "FAIL" && !killed()) {
    t.rt.fail_at_ns = absl::ToUnixNanos(now);
    t.rt.by_person = false;
    t.To(conclave::v1::ROLLOUT_STATE_ROLLED_BACK, conclave::v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK,
         "rollout_rolled_back",
         absl::StrCat(verdict_reason, "; rolling back: all traffic to ", r.stable_version()));
    spdlog::warn("rollout {}: {}", r.id(), t.reason);
  } else if (r.state() == conclave::v1::ROLLOUT_STATE_PROGRESSING && now >= hold_end && !killed()) {
    if (r.last_verdict() == "PASS") {
      (void)Commit(e, std::move(t));
      Advance(e, kSupervisor,
              absl::StrCat("PASS at ", weight, " % after a ",
                           absl::FormatDuration(now - FromProto(e.rollout.step_started_at())),
                           " hold"));
      return;
    }
    t.To(conclave::v1::ROLLOUT_STATE_PAUSED, conclave::v1::ROLLOUT_EVENT_TYPE_PAUSED,
         "rollout_paused",
         absl::StrCat(verdict_reason,
                      " at the end of the step's hold; never promoted without a "
                      "PASS: resume to judge again, abort to roll back"));
  } else if (r.last_verdict() == "FAIL") {
    spdlog::warn("rollout {}: {}; kill switch engaged, no automatic rollback", r.id(),
                 verdict_reason);
  }
  (void)Commit(e, std::move(t));
}

void RolloutController::Advance(Entry& e, const std::string& actor, const std::string& reason) {
  Transition t(e);
  t.actor = actor;
  t.rt.by_person = actor != kSupervisor;
  const int next = e.rollout.step_index() + 1;
  if (next >= e.rollout.steps_size()) return;
  const int weight = e.rollout.steps(next);
  if (weight == 100 && e.rollout.manual_promotion() && actor == kSupervisor) {
    t.To(conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION,
         conclave::v1::ROLLOUT_EVENT_TYPE_AWAITING_PROMOTION, "rollout_awaiting_promotion",
         absl::StrCat(reason, "; every step below 100 % passed: a person approves full promotion"));
  } else {
    t.next.set_step_index(next);
    t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_STEP,
         "rollout_step",
         absl::StrCat(reason, "; step ", next + 1, "/", e.rollout.steps_size(), ": canary to ",
                      weight, " %"));
  }
  (void)Commit(e, std::move(t));
}

// ---------------------------------------------------------------------------------------------
// People's actions

RolloutController::Action RolloutController::PersonAction(
    const std::string& id, const std::string& verb, const std::string& actor,
    const std::string& reason, const std::function<absl::Status(Entry&, Transition&)>& change) {
  {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<Entry*> loaded = Load(id);
    if (!loaded.ok()) return loaded.status();
    Entry& e = **loaded;
    log::ScopedLogContext context(e.rollout.change_id(), log::TraceIdOf(e.rt.traceparent));
    Transition t(e);
    t.actor = actor.empty() ? "unknown" : actor;
    t.rt.by_person = true;
    t.rt.attempts = 0;
    absl::Status s = change(e, t);
    if (s.ok()) {
      if (!reason.empty()) absl::StrAppend(&t.reason, ": ", reason);
      t.next.set_reason(t.reason);
      s = Commit(e, std::move(t));
    }
    if (!s.ok()) {
      if (absl::IsFailedPrecondition(s)) {
        s = absl::FailedPreconditionError(
            absl::StrCat("cannot ", verb, " rollout ", id, " in state ",
                         RolloutState_Name(e.rollout.state()), ": ", s.message()));
      }
      if (!e.busy && Finished(e.rollout.state()) &&
          (e.rollout.dry_run() || e.rt.applied == DesiredWeight(e.rollout))) {
        active_.erase(id);  // loaded only for this action
      }
      return s;
    }
    e.next_apply = absl::InfinitePast();
    spdlog::info("rollout {}: {} by {}", id, verb, t.actor);
  }
  Drive(id, /*automation=*/false);
  return Get(id);
}

RolloutController::Action RolloutController::Approve(const std::string& id,
                                                     const std::string& actor,
                                                     const std::string& reason) {
  return PersonAction(id, "approve", actor, reason, [](Entry& e, Transition& t) {
    const Rollout& r = e.rollout;
    if (r.state() == conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL) {
      t.next.set_step_index(0);
      t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_APPROVED,
           "rollout_approved",
           absl::StrCat("approved by a person; step 1/", r.steps_size(), ": canary to ", r.steps(0),
                        " %"));
      return absl::OkStatus();
    }
    if (r.state() == conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION) {
      t.next.set_step_index(r.steps_size() - 1);
      t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_APPROVED,
           "rollout_approved", "full promotion approved by a person: canary to 100 %");
      return absl::OkStatus();
    }
    return absl::FailedPreconditionError(
        "approve applies to AWAITING_APPROVAL or AWAITING_PROMOTION");
  });
}

RolloutController::Action RolloutController::Promote(const std::string& id,
                                                     const std::string& actor,
                                                     const std::string& reason) {
  return PersonAction(id, "promote", actor, reason, [](Entry& e, Transition& t) {
    const RolloutState s = e.rollout.state();
    if (s != conclave::v1::ROLLOUT_STATE_PROGRESSING && s != conclave::v1::ROLLOUT_STATE_PAUSED &&
        s != conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION) {
      return absl::FailedPreconditionError(
          "promote applies to PROGRESSING, PAUSED or AWAITING_PROMOTION (approve first when "
          "AWAITING_APPROVAL)");
    }
    t.next.set_step_index(e.rollout.steps_size() - 1);
    t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_STEP,
         "rollout_promoted", "promoted by a person: remaining steps skipped, canary to 100 %");
    return absl::OkStatus();
  });
}

RolloutController::Action RolloutController::Pause(const std::string& id, const std::string& actor,
                                                   const std::string& reason) {
  return PersonAction(id, "pause", actor, reason, [](Entry& e, Transition& t) {
    const RolloutState s = e.rollout.state();
    if (s != conclave::v1::ROLLOUT_STATE_PROGRESSING &&
        s != conclave::v1::ROLLOUT_STATE_AWAITING_PROMOTION) {
      return absl::FailedPreconditionError("pause applies to PROGRESSING or AWAITING_PROMOTION");
    }
    t.To(conclave::v1::ROLLOUT_STATE_PAUSED, conclave::v1::ROLLOUT_EVENT_TYPE_PAUSED,
         "rollout_paused", absl::StrCat("paused by a person at ", e.rollout.canary_weight(), " %"));
    return absl::OkStatus();
  });
}

RolloutController::Action RolloutController::ResumeRollout(const std::string& id,
                                                           const std::string& actor,
                                                           const std::string& reason) {
  return PersonAction(id, "resume", actor, reason, [this](Entry& e, Transition& t) {
    if (e.rollout.state() != conclave::v1::ROLLOUT_STATE_PAUSED) {
      return absl::FailedPreconditionError("resume applies to PAUSED");
    }
    const absl::Time now = clock_->Now();
    *t.next.mutable_step_started_at() = ToProto(now);
    e.next_judge = now + policy_->Find(e.rollout.environment())->rollout.judge_interval;
    t.To(conclave::v1::ROLLOUT_STATE_PROGRESSING, conclave::v1::ROLLOUT_EVENT_TYPE_RESUMED,
         "rollout_resumed",
         absl::StrCat("resumed by a person: the ", DesiredWeight(e.rollout),
                      " % step's analysis window starts again"));
    return absl::OkStatus();
  });
}

RolloutController::Action RolloutController::Abort(const std::string& id, const std::string& actor,
                                                   const std::string& reason) {
  return PersonAction(id, "abort", actor, reason, [](Entry& e, Transition& t) {
    const RolloutState s = e.rollout.state();
    if (Finished(s)) {
      return absl::FailedPreconditionError(
          "the rollout is finished (use rollback to take back a SUCCEEDED rollout)");
    }
    if (s == conclave::v1::ROLLOUT_STATE_AWAITING_APPROVAL) t.rt.applied = 0;  // nothing moved
    t.To(conclave::v1::ROLLOUT_STATE_ROLLED_BACK, conclave::v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK,
         "rollout_aborted",
         absl::StrCat("aborted by a person at ", e.rollout.canary_weight(), " %: all traffic to ",
                      e.rollout.stable_version()));
    return absl::OkStatus();
  });
}

RolloutController::Action RolloutController::Rollback(const std::string& id,
                                                      const std::string& actor,
                                                      const std::string& reason) {
  return PersonAction(id, "roll back", actor, reason, [](Entry& e, Transition& t) {
    if (e.rollout.state() != conclave::v1::ROLLOUT_STATE_SUCCEEDED) {
      return absl::FailedPreconditionError(
          "rollback applies to SUCCEEDED (use abort for a rollout in flight)");
    }
    t.next.clear_finished_at();
    t.To(conclave::v1::ROLLOUT_STATE_ROLLED_BACK, conclave::v1::ROLLOUT_EVENT_TYPE_ROLLED_BACK,
         "rollout_rollback",
         absl::StrCat("rolled back by a person: all traffic to ", e.rollout.stable_version(),
                      ", the version ", e.rollout.canary_version(), " replaced"));
    if (!e.rollout.dry_run()) {
      t.extra.push_back({kMeta, VersionKey(e.rollout.environment(), e.rollout.service()),
                         e.rollout.stable_version()});
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<conclave::v1::KillSwitch> RolloutController::SetKillSwitch(
    bool engaged, const std::string& actor, const std::string& reason) {
  absl::MutexLock lock(&mu_);
  conclave::v1::KillSwitch next;
  next.set_engaged(engaged);
  next.set_actor(actor.empty() ? "unknown" : actor);
  next.set_reason(reason);
  *next.mutable_changed_at() = ToProto(clock_->Now());
  auto appended = audit_->Append("", engaged ? "kill_switch_on" : "kill_switch_off", next.actor(),
                                 nlohmann::json{{"engaged", engaged}, {"reason", reason}}.dump(),
                                 {{kMeta, kKillSwitchKey, next.SerializeAsString()}}, true);
  if (!appended.ok()) return appended.status();
  kill_switch_ = next;
  spdlog::warn("rollout kill switch {} by {}: {}", engaged ? "ENGAGED" : "released", next.actor(),
               reason);
  return next;
}

conclave::v1::KillSwitch RolloutController::GetKillSwitch() {
  absl::MutexLock lock(&mu_);
  return kill_switch_;
}

std::string RolloutController::CurrentVersion(const std::string& service,
                                              const std::string& environment) {
  absl::StatusOr<std::string> v = store_->Get(kMeta, VersionKey(environment, service));
  return v.ok() ? *v : "";
}

// ---------------------------------------------------------------------------------------------
// Reading

absl::StatusOr<Rollout> RolloutController::Get(const std::string& id) {
  absl::StatusOr<std::string> raw = store_->Get(kRollouts, id);
  if (absl::IsNotFound(raw.status())) {
    return absl::NotFoundError(absl::StrCat("no rollout with id '", id, "'"));
  }
  if (!raw.ok()) return raw.status();
  Rollout r;
  if (!r.ParseFromString(*raw)) {
    return absl::DataLossError(absl::StrCat("rollout ", id, ": stored record is corrupt"));
  }
  return r;
}

absl::StatusOr<std::vector<Rollout>> RolloutController::List(int limit,
                                                             const std::string& service) {
  if (limit <= 0) limit = 50;
  limit = std::min(limit, 1000);
  std::vector<Rollout> out;
  absl::Status corrupt;
  absl::Status s = store_->Scan(
      kRollouts, "", /*reverse=*/true, [&](std::string_view key, std::string_view value) {
        Rollout r;
        if (!r.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(
              absl::StrCat("rollout ", std::string(key), ": stored record is corrupt"));
          return false;
        }
        if (service.empty() || r.service() == service) {
          out.push_back(std::move(r));
        }
        return static_cast<int>(out.size()) < limit;
      });
  if (!s.ok()) return s;
  if (!corrupt.ok()) return corrupt;
  return out;
}

absl::Status RolloutController::Watch(const std::string& id, RolloutEventQueue* queue) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::string> raw = store_->Get(kRollouts, id);
  if (absl::IsNotFound(raw.status())) {
    return absl::NotFoundError(absl::StrCat("no rollout with id '", id, "'"));
  }
  if (!raw.ok()) return raw.status();
  Rollout r;
  r.ParseFromString(*raw);
  absl::Status s =
      store_->Scan(kEvents, id + "/", false, [&](std::string_view, std::string_view value) {
        RolloutEvent e;
        if (e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          queue->Push(e);
        }
        return true;
      });
  if (!s.ok()) return s;
  if (Finished(r.state())) {
    queue->Close();
  } else {
    watchers_[id].push_back(queue);
  }
  return absl::OkStatus();
}

void RolloutController::Unwatch(const std::string& id, RolloutEventQueue* queue) {
  absl::MutexLock lock(&mu_);
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  std::erase(it->second, queue);
  if (it->second.empty()) watchers_.erase(it);
}

void RolloutController::CloseWatchers() {
  absl::MutexLock lock(&mu_);
  for (auto& [id, queues] : watchers_) {
    for (RolloutEventQueue* q : queues) q->Close();
  }
  watchers_.clear();
}

}  // namespace conclave::supervisor
