#include "supervisor/service/change_manager.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/change/change_files.h"
#include "common/log/log.h"
#include "conclave/v1/review.pb.h"
#include "google/protobuf/util/time_util.h"
#include "supervisor/core/consensus.h"
#include "supervisor/service/change_id.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::ChangeEvent;
using conclave::v1::ChangeRecord;
using conclave::v1::ChangeState;
using google::protobuf::util::TimeUtil;

constexpr char kChanges[] = "changes";
constexpr char kEvents[] = "events";
constexpr char kPending[] = "pending";
constexpr char kActor[] = "supervisor";

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string EventKey(const std::string& change_id, uint32_t seq) {
  return absl::StrFormat("%s/%08u", change_id, seq);
}

std::string VoteJson(const conclave::v1::Vote& v) {
  return nlohmann::json{
      {"reviewer", v.reviewer()},     {"verdict", conclave::v1::Verdict_Name(v.verdict())},
      {"confidence", v.confidence()}, {"risk", v.risk()},
      {"complexity", v.complexity()}, {"findings", v.findings_size()},
      {"replica", v.replica()},       {"reviewer_version", v.reviewer_version()}}
      .dump();
}

std::string DecisionJson(const conclave::v1::Decision& d) {
  return nlohmann::json{{"outcome", conclave::v1::Outcome_Name(d.outcome())},
                        {"approval_share", d.approval_share()},
                        {"confidence", d.confidence()},
                        {"risk", d.risk()},
                        {"complexity", d.complexity()},
                        {"auto_rollout", d.auto_rollout()},
                        {"policy_version", d.policy_version()},
                        {"explanation", d.explanation()}}
      .dump();
}

bool HasVoted(const ChangeRecord& r, const std::string& reviewer) {
  for (const auto& v : r.votes()) {
    if (v.reviewer() == reviewer) return true;
  }
  for (const auto& e : r.reviewer_errors()) {
    if (e.rfind(reviewer + ": ", 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> FailedReviewers(const ChangeRecord& r) {
  std::vector<std::string> failed;
  for (const auto& e : r.reviewer_errors()) failed.push_back(e.substr(0, e.find(": ")));
  return failed;
}

}  // namespace

std::vector<std::string> ChangeManager::StoreFamilies() {
  return {kChanges, kEvents, kPending, "audit", "audit_by_change"};
}

ChangeManager::ChangeManager(store::KvStore* store, AuditLog* audit, bus::Bus* bus,
                             const Policy* policy, Clock* clock, metrics::Registry* registry)
    : store_(store), audit_(audit), bus_(bus), policy_(policy), clock_(clock) {
  submitted_ = registry->AddCounter("conclave_changes_submitted_total", "Changes accepted.",
                                    {"environment"});
  decisions_ = registry->AddCounter("conclave_decisions_total", "Decisions made, by outcome.",
                                    {"environment", "outcome"});
  decision_seconds_ = registry->AddHistogram("conclave_decision_latency_seconds",
                                             "Time from submission to decision.", {"environment"});
  votes_ = registry->AddCounter("conclave_votes_total", "Votes received.", {"reviewer", "verdict"});
  reviewer_errors_ = registry->AddCounter(
      "conclave_reviewer_errors_total", "Reviews that failed or were dead-lettered.", {"reviewer"});
  open_changes_ = registry->AddGauge("conclave_open_changes", "Changes not yet decided.");
}

ChangeManager::~ChangeManager() { CloseWatchers(); }

absl::Status ChangeManager::Resume() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  absl::Status scan =
      store_->Scan(kPending, "", false, [&](std::string_view key, std::string_view) {
        ids.emplace_back(key);
        return true;
      });
  if (!scan.ok()) return scan;
  for (const std::string& id : ids) {
    absl::StatusOr<std::string> raw = store_->Get(kChanges, id);
    ChangeRecord record;
    if (!raw.ok() || !record.ParseFromString(*raw)) {
      spdlog::error("change {} is pending but its record is unreadable: {}", id,
                    raw.ok() ? "parse error" : raw.status().ToString());
      continue;
    }
    absl::StatusOr<std::vector<ChangeEvent>> events = LoadEvents(id);
    if (!events.ok()) return events.status();
    OpenChange& open = open_[id];
    open.record = std::move(record);
    open.next_event = static_cast<uint32_t>(events->size()) + 1;
    log::ScopedLogContext context(id, log::TraceIdOf(open.record.traceparent()));
    ChangeEvent resumed;
    resumed.set_type(conclave::v1::EVENT_TYPE_RESUMED);
    resumed.set_detail(absl::StrCat("supervisor restarted; re-dispatching to ",
                                    absl::StrJoin(PendingReviewers(open.record), ", ")));
    if (absl::Status s = Commit(open, resumed, "resumed", kActor, "{}"); !s.ok()) return s;
    if (absl::Status s = Dispatch(open); !s.ok()) {
      spdlog::warn("re-dispatch failed, will retry: {}", s.ToString());
    }
    spdlog::info("resumed change in state {}", conclave::v1::ChangeState_Name(open.record.state()));
  }
  open_changes_->With({})->Set(static_cast<double>(open_.size()));
  return absl::OkStatus();
}

absl::StatusOr<ChangeRecord> ChangeManager::Submit(conclave::v1::Change change,
                                                   const std::string& traceparent) {
  if (absl::Status s = change::ValidateChange(change); !s.ok()) return s;
  const EnvironmentPolicy* env = policy_->Find(change.environment());
  if (env == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown environment '", change.environment(),
                                                   "' (the policy has dev, staging, prod)"));
  }
  const absl::Time now = clock_->Now();
  change.set_id(NewChangeId(now));
  *change.mutable_submitted_at() = ToProto(now);
  log::ScopedLogContext context(change.id(), log::TraceIdOf(traceparent));

  absl::MutexLock lock(&mu_);
  OpenChange& open = open_[change.id()];
  ChangeRecord& record = open.record;
  *record.mutable_change() = std::move(change);
  record.set_state(conclave::v1::CHANGE_STATE_ACCEPTED);
  record.set_policy_version(policy_->version());
  record.set_traceparent(traceparent);
  for (const std::string& r : policy_->Reviewers(record.change().environment())) {
    record.add_reviewers(r);
  }
  *record.mutable_deadline() = ToProto(now + env->review_deadline);
  ChangeEvent submitted;
  submitted.set_type(conclave::v1::EVENT_TYPE_SUBMITTED);
  submitted.set_detail(
      absl::StrCat(record.change().target_service(), "@", record.change().environment()));
  const std::string detail = nlohmann::json{
      {"service", record.change().target_service()},
      {"environment", record.change().environment()},
      {"title", record.change().title()},
      {"files", record.change().files_size()},
      {"diff_bytes", record.change().unified_diff().size()},
      {"policy_version",
       record.policy_version()}}.dump();
  const std::string author =
      record.change().author().empty() ? "unknown" : record.change().author();
  if (absl::Status s = Commit(open, submitted, "submitted", author, detail); !s.ok()) {
    open_.erase(record.change().id());
    return s;
  }
  submitted_->With({record.change().environment()})->Increment();
  open_changes_->With({})->Set(static_cast<double>(open_.size()));
  spdlog::info("accepted change for {}@{} ({} files, {} diff bytes)",
               record.change().target_service(), record.change().environment(),
               record.change().files_size(), record.change().unified_diff().size());
  if (absl::Status s = Dispatch(open); !s.ok()) {
    spdlog::warn("dispatch failed, change stays ACCEPTED and is retried: {}", s.ToString());
  }
  return open.record;
}

std::vector<std::string> ChangeManager::PendingReviewers(const ChangeRecord& record) const {
  std::vector<std::string> pending;
  for (const std::string& r : record.reviewers()) {
    if (!HasVoted(record, r)) pending.push_back(r);
  }
  return pending;
}

absl::Status ChangeManager::Dispatch(OpenChange& open) {
  ChangeRecord& record = open.record;
  const std::string& id = record.change().id();
  const EnvironmentPolicy* env = policy_->Find(record.change().environment());
  if (record.dispatch_count() > 0) {  // a resume: fresh deadline for the reviewers
    *record.mutable_deadline() = ToProto(clock_->Now() + env->review_deadline);
  }
  conclave::v1::ReviewRequest request;
  *request.mutable_change() = record.change();
  bus::Message task;
  task.data = request.SerializeAsString();
  task.headers[bus::kChangeIdHeader] = id;
  task.headers[bus::kTraceparentHeader] = record.traceparent();
  task.headers[bus::kDeadlineHeader] =
      absl::StrCat(absl::ToUnixMillis(FromProto(record.deadline())));
  const std::vector<std::string> pending = PendingReviewers(record);
  for (const std::string& reviewer : pending) {
    task.subject = bus::TaskSubject(reviewer, "Review");
    task.headers[bus::kMsgIdHeader] = absl::StrCat(id, ".", reviewer);
    if (absl::Status s = bus_->Publish(task); !s.ok()) return s;
  }
  record.set_state(conclave::v1::CHANGE_STATE_REVIEWING);
  record.set_dispatch_count(record.dispatch_count() + 1);
  ChangeEvent dispatched;
  dispatched.set_type(conclave::v1::EVENT_TYPE_DISPATCHED);
  dispatched.set_detail(absl::StrJoin(pending, ","));
  const std::string detail = nlohmann::json{{"reviewers", pending},
                                            {"dispatch", record.dispatch_count()},
                                            {"deadline", TimeUtil::ToString(record.deadline())}}
                                 .dump();
  return Commit(open, dispatched, "dispatched", kActor, detail);
}

absl::Status ChangeManager::Commit(OpenChange& open, ChangeEvent event, const std::string& action,
                                   const std::string& actor, const std::string& detail_json) {
  ChangeRecord& record = open.record;
  const std::string& id = record.change().id();
  event.set_change_id(id);
  event.set_sequence(open.next_event);
  *event.mutable_time() = ToProto(clock_->Now());
  std::vector<store::WriteOp> ops;
  ops.push_back({kChanges, id, record.SerializeAsString()});
  ops.push_back({kEvents, EventKey(id, open.next_event), event.SerializeAsString()});
  if (record.state() == conclave::v1::CHANGE_STATE_DECIDED) {
    ops.push_back({kPending, id, std::nullopt});
  } else {
    ops.push_back({kPending, id, std::string()});
  }
  // The record, its event and the audit record go in one batch. Acceptance and the decision
  // are what clients are told, so they are fsynced before anyone hears of them; the steps
  // between are in the write-ahead log (a crash of the process loses none) and reach the disk
  // with the next synced write. docs/OPERATIONS.md has the reasoning.
  const bool sync = event.type() == conclave::v1::EVENT_TYPE_SUBMITTED ||
                    event.type() == conclave::v1::EVENT_TYPE_DECIDED;
  if (auto appended = audit_->Append(id, action, actor, detail_json, std::move(ops), sync);
      !appended.ok()) {
    spdlog::error("cannot persist {} of change: {}", action, appended.status().ToString());
    return appended.status();
  }
  ++open.next_event;
  auto it = watchers_.find(id);
  if (it != watchers_.end()) {
    for (EventQueue* q : it->second) {
      q->Push(event);
      if (event.type() == conclave::v1::EVENT_TYPE_DECIDED) q->Close();
    }
  }
  return absl::OkStatus();
}

absl::Status ChangeManager::HandleResult(const bus::Message& message) {
  conclave::v1::ReviewResponse response;
  const std::string header_id = message.Header(bus::kChangeIdHeader);
  log::ScopedLogContext context(header_id, log::TraceIdOf(message.Header(bus::kTraceparentHeader)));
  if (!response.ParseFromString(message.data) || response.change_id().empty() ||
      response.reviewer().empty()) {
    spdlog::error(
        "dropping malformed result on {} ({} bytes): not a ReviewResponse with a "
        "change id and reviewer",
        message.subject, message.data.size());
    return absl::OkStatus();
  }
  absl::MutexLock lock(&mu_);
  auto it = open_.find(response.change_id());
  if (it == open_.end()) {
    spdlog::info("ignoring {} result for a change that is decided or unknown", response.reviewer());
    return absl::OkStatus();
  }
  OpenChange& open = it->second;
  if (HasVoted(open.record, response.reviewer())) {
    spdlog::info("ignoring duplicate result from {}", response.reviewer());
    return absl::OkStatus();
  }
  absl::Status s = response.error_code() != 0
                       ? RecordFailure(open, response.reviewer(), response.error_message())
                       : RecordVote(open, response);
  if (!s.ok()) return s;
  return MaybeDecide(open, /*deadline_passed=*/false);
}

absl::Status ChangeManager::RecordVote(OpenChange& open,
                                       const conclave::v1::ReviewResponse& response) {
  conclave::v1::Vote vote = response.vote();
  vote.set_reviewer(response.reviewer());
  *open.record.add_votes() = vote;
  votes_->With({vote.reviewer(), conclave::v1::Verdict_Name(vote.verdict())})->Increment();
  ChangeEvent event;
  event.set_type(conclave::v1::EVENT_TYPE_VOTE_RECEIVED);
  event.set_detail(vote.reviewer());
  *event.mutable_vote() = vote;
  spdlog::info("vote from {}: {} confidence {:.2f}", vote.reviewer(),
               conclave::v1::Verdict_Name(vote.verdict()), vote.confidence());
  return Commit(open, event, "vote", vote.reviewer(), VoteJson(vote));
}

absl::Status ChangeManager::RecordFailure(OpenChange& open, const std::string& reviewer,
                                          const std::string& message) {
  open.record.add_reviewer_errors(absl::StrCat(reviewer, ": ", message));
  reviewer_errors_->With({reviewer})->Increment();
  ChangeEvent event;
  event.set_type(conclave::v1::EVENT_TYPE_REVIEWER_FAILED);
  event.set_detail(absl::StrCat(reviewer, ": ", message));
  spdlog::warn("reviewer {} failed: {}", reviewer, message);
  return Commit(open, event, "reviewer_error", reviewer,
                nlohmann::json{{"reviewer", reviewer}, {"error", message}}.dump());
}

absl::Status ChangeManager::MaybeDecide(OpenChange& open, bool deadline_passed) {
  ChangeRecord& record = open.record;
  const std::string environment = record.change().environment();
  const EnvironmentPolicy* env = policy_->Find(environment);
  const std::vector<conclave::v1::Vote> votes(record.votes().begin(), record.votes().end());
  const std::vector<std::string> failed = FailedReviewers(record);
  if (!ReadyToDecide(*env, votes, failed, deadline_passed)) return absl::OkStatus();
  conclave::v1::Decision decision =
      Decide(*env, environment, record.policy_version(), votes, failed);
  const absl::Time now = clock_->Now();
  *decision.mutable_decided_at() = ToProto(now);
  *record.mutable_decision() = decision;
  record.set_state(conclave::v1::CHANGE_STATE_DECIDED);
  ChangeEvent event;
  event.set_type(conclave::v1::EVENT_TYPE_DECIDED);
  *event.mutable_decision() = decision;
  event.set_detail(conclave::v1::Outcome_Name(decision.outcome()));
  if (absl::Status s = Commit(open, event, "decided", kActor, DecisionJson(decision)); !s.ok()) {
    record.set_state(conclave::v1::CHANGE_STATE_REVIEWING);  // retried on the next result/tick
    return s;
  }
  decisions_->With({environment, conclave::v1::Outcome_Name(decision.outcome())})->Increment();
  decision_seconds_->With({environment})
      ->Observe(absl::ToDoubleSeconds(now - FromProto(record.change().submitted_at())));
  spdlog::info("decided {}: {}", conclave::v1::Outcome_Name(decision.outcome()),
               decision.explanation());
  if (on_approved_ && decision.outcome() == conclave::v1::OUTCOME_APPROVED &&
      !record.change().version().empty()) {
    on_approved_(record);
  }
  const std::string id = record.change().id();
  watchers_.erase(id);
  open_.erase(id);  // `open` and `record` dangle from here on
  open_changes_->With({})->Set(static_cast<double>(open_.size()));
  return absl::OkStatus();
}

void ChangeManager::HandleDeadLetter(const bus::DeadLetter& dead_letter) {
  absl::MutexLock lock(&mu_);
  dead_letters_.push_back(dead_letter);
}

void ChangeManager::Tick() {
  absl::MutexLock lock(&mu_);
  std::vector<bus::DeadLetter> dead = std::move(dead_letters_);
  dead_letters_.clear();
  for (const bus::DeadLetter& d : dead) {
    auto it = open_.find(d.change_id);
    if (it == open_.end() || HasVoted(it->second.record, d.agent)) continue;
    log::ScopedLogContext context(d.change_id, "");
    (void)RecordFailure(it->second, d.agent,
                        absl::StrCat("task dead-lettered after ", d.deliveries, " deliveries"));
    (void)MaybeDecide(it->second, false);
  }
  const absl::Time now = clock_->Now();
  std::vector<std::string> ids;
  for (const auto& [id, open] : open_) ids.push_back(id);
  for (const std::string& id : ids) {
    auto it = open_.find(id);
    if (it == open_.end()) continue;
    OpenChange& open = it->second;
    log::ScopedLogContext context(id, log::TraceIdOf(open.record.traceparent()));
    if (open.record.state() == conclave::v1::CHANGE_STATE_ACCEPTED) {
      if (absl::Status s = Dispatch(open); !s.ok()) {
        spdlog::warn("dispatch retry failed: {}", s.ToString());
      }
      continue;
    }
    if (now >= FromProto(open.record.deadline())) {
      if (absl::Status s = MaybeDecide(open, /*deadline_passed=*/true); !s.ok()) {
        spdlog::error("cannot record the decision, will retry: {}", s.ToString());
      }
    }
  }
}

absl::StatusOr<ChangeRecord> ChangeManager::Get(const std::string& change_id) {
  absl::StatusOr<std::string> raw = store_->Get(kChanges, change_id);
  if (absl::IsNotFound(raw.status())) {
    return absl::NotFoundError(absl::StrCat("no change with id '", change_id, "'"));
  }
  if (!raw.ok()) return raw.status();
  ChangeRecord record;
  if (!record.ParseFromString(*raw)) {
    return absl::DataLossError(absl::StrCat("change ", change_id, ": stored record is corrupt"));
  }
  return record;
}

absl::StatusOr<std::vector<ChangeRecord>> ChangeManager::List(int limit, ChangeState state) {
  if (limit <= 0) limit = 50;
  limit = std::min(limit, 1000);
  std::vector<ChangeRecord> out;
  absl::Status parse_error;
  absl::Status s = store_->Scan(
      kChanges, "", /*reverse=*/true, [&](std::string_view key, std::string_view value) {
        ChangeRecord r;
        if (!r.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse_error = absl::DataLossError(
              absl::StrCat("change ", std::string(key), ": stored record is corrupt"));
          return false;
        }
        if (state == conclave::v1::CHANGE_STATE_UNSPECIFIED || r.state() == state) {
          out.push_back(std::move(r));
        }
        return static_cast<int>(out.size()) < limit;
      });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return out;
}

absl::StatusOr<std::vector<ChangeEvent>> ChangeManager::LoadEvents(const std::string& change_id) {
  std::vector<ChangeEvent> events;
  absl::Status s =
      store_->Scan(kEvents, change_id + "/", false, [&](std::string_view, std::string_view value) {
        ChangeEvent e;
        if (e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          events.push_back(std::move(e));
        }
        return true;
      });
  if (!s.ok()) return s;
  return events;
}

absl::Status ChangeManager::Watch(const std::string& change_id, EventQueue* queue) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::string> raw = store_->Get(kChanges, change_id);
  if (absl::IsNotFound(raw.status())) {
    return absl::NotFoundError(absl::StrCat("no change with id '", change_id, "'"));
  }
  if (!raw.ok()) return raw.status();
  absl::StatusOr<std::vector<ChangeEvent>> events = LoadEvents(change_id);
  if (!events.ok()) return events.status();
  bool decided = false;
  for (const ChangeEvent& e : *events) {
    queue->Push(e);
    decided |= e.type() == conclave::v1::EVENT_TYPE_DECIDED;
  }
  if (decided || !open_.contains(change_id)) {
    queue->Close();
  } else {
    watchers_[change_id].push_back(queue);
  }
  return absl::OkStatus();
}

void ChangeManager::Unwatch(const std::string& change_id, EventQueue* queue) {
  absl::MutexLock lock(&mu_);
  auto it = watchers_.find(change_id);
  if (it == watchers_.end()) return;
  std::erase(it->second, queue);
  if (it->second.empty()) watchers_.erase(it);
}

void ChangeManager::SetApprovedChangeHook(ApprovedChangeHook hook) {
  absl::MutexLock lock(&mu_);
  on_approved_ = std::move(hook);
}

void ChangeManager::CloseWatchers() {
  absl::MutexLock lock(&mu_);
  for (auto& [id, queues] : watchers_) {
    for (EventQueue* q : queues) q->Close();
  }
  watchers_.clear();
}

}  // namespace conclave::supervisor
