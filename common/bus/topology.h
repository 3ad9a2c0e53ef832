// Topology: the streams, subjects and consumers every Conclave process agrees on, and the
// dead-letter monitor. Free functions over a Bus; thread-safe as the Bus is.
//
//   CONCLAVE_TASKS    work queue, subjects conclave.task.<agent>.<Method>
//                     one durable pull consumer per agent kind (durable name = agent kind)
//   CONCLAVE_RESULTS  work queue, subjects conclave.result.<agent>.<change-id>
//                     one durable pull consumer "supervisor"
//   CONCLAVE_DLQ      limits retention (7 days), subjects conclave.dlq.<agent>
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/bus/bus.h"

namespace conclave::bus {

inline constexpr char kTaskStream[] = "CONCLAVE_TASKS";
inline constexpr char kResultStream[] = "CONCLAVE_RESULTS";
inline constexpr char kDeadLetterStream[] = "CONCLAVE_DLQ";
inline constexpr char kSupervisorDurable[] = "supervisor";
// Set on a dead letter: the subject it was first published on.
inline constexpr char kOriginalSubjectHeader[] = "Conclave-Original-Subject";

std::string TaskSubject(const std::string& agent, const std::string& method);
std::string ResultSubject(const std::string& agent, const std::string& change_id);
std::string DeadLetterSubject(const std::string& agent);

// Creates or updates the three streams (file storage; tasks and results kept at most 24 h,
// dead letters 7 days; duplicate window 2 minutes).
absl::Status EnsureTopology(Bus& bus);

// The durable consumer shared by all replicas of `agent` (filter conclave.task.<agent>.>).
ConsumerSpec TaskConsumerSpec(const std::string& agent, absl::Duration ack_wait, int max_deliver);
// The supervisor's durable consumer of results (filter conclave.result.>).
ConsumerSpec ResultConsumerSpec(absl::Duration ack_wait, int max_deliver);

// A task that reached max_deliver without an ack.
struct DeadLetter {
  std::string agent;
  std::string change_id;
  uint64_t deliveries = 0;
  Message message;
};

// Watches JetStream's MAX_DELIVERIES advisories for the task stream (every consumer). For
// each, it copies the task to conclave.dlq.<agent> (with Conclave-Error "max deliveries (N)
// exceeded" and Conclave-Original-Subject), deletes it from the task stream, and calls
// `on_dead_letter` on the watcher's own worker thread (one at a time; it should not block
// for long). Several watchers may run at once: each task is dead-lettered once. The server
// raises the advisory only while some replica is fetching from that consumer. Stops when
// destroyed (finishing advisories already received); must not outlive `bus`.
absl::StatusOr<std::unique_ptr<Subscription>> WatchDeadLetters(
    Bus& bus, std::function<void(const DeadLetter&)> on_dead_letter);

// Moves a message that cannot be processed (malformed) to conclave.dlq.<agent> with `reason`
// in Conclave-Error. The caller then Term()s the delivery. A redelivered copy published again
// within the duplicate window is stored once (its Nats-Msg-Id is "dlq." + the original's).
absl::Status PublishDeadLetter(Bus& bus, const std::string& agent, const Message& original,
                               const std::string& reason);

}  // namespace conclave::bus
