#include "common/bus/topology.h"

#include <deque>
#include <exception>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/internal/advisory.h"
#include "spdlog/spdlog.h"

namespace conclave::bus {

namespace {

using internal::MaxDeliveriesAdvisory;

StreamSpec WorkQueueStream(const char* name, const char* subjects) {
  StreamSpec spec;
  spec.name = name;
  spec.subjects = {subjects};
  spec.retention = Retention::kWorkQueue;
  spec.max_age = absl::Hours(24);
  return spec;
}

StreamSpec DeadLetterStream() {
  StreamSpec spec;
  spec.name = kDeadLetterStream;
  spec.subjects = {"conclave.dlq.>"};
  spec.retention = Retention::kLimits;
  spec.max_age = absl::Hours(24 * 7);
  return spec;
}

// conclave.task.<agent>.<Method> → <agent>; "" for any other subject.
std::string AgentOfTaskSubject(const std::string& subject) {
  std::vector<std::string> tokens = absl::StrSplit(subject, '.');
  if (tokens.size() < 4 || tokens[0] != "conclave" || tokens[1] != "task") return "";
  return tokens[2];
}

Message DeadLetterCopy(const std::string& agent, const Message& original,
                       const std::string& reason, const std::string& msg_id) {
  Message copy = original;
  copy.subject = DeadLetterSubject(agent);
  copy.headers[kErrorHeader] = reason;
  copy.headers[kOriginalSubjectHeader] = original.subject;
  if (msg_id.empty()) {
    copy.headers.erase(kMsgIdHeader);
  } else {
    copy.headers[kMsgIdHeader] = msg_id;
  }
  return copy;
}

// Turns MAX_DELIVERIES advisories into dead letters. The NATS callback only parses and queues;
// an owned worker thread does the JetStream calls (get, publish, delete), which wait for
// replies that a NATS delivery thread must not sit waiting on.
class DeadLetterWatcher : public Subscription {
 public:
  DeadLetterWatcher(Bus& bus, std::function<void(const DeadLetter&)> on_dead_letter)
      : bus_(bus), on_dead_letter_(std::move(on_dead_letter)) {}

  absl::Status Start() {
    worker_ = std::thread([this] { Run(); });
    auto sub = bus_.Subscribe(internal::MaxDeliveriesSubject(kTaskStream, "*"),
                              [this](Message advisory) { Enqueue(advisory); });
    if (!sub.ok()) return sub.status();
    subscription_ = std::move(*sub);
    return absl::OkStatus();
  }

  // Stops the advisories first, then lets the worker finish what is queued.
  ~DeadLetterWatcher() override {
    subscription_.reset();
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (worker_.joinable()) worker_.join();
  }

 private:
  void Enqueue(const Message& advisory) {
    auto parsed = internal::ParseMaxDeliveriesAdvisory(advisory.data);
    if (!parsed.ok()) {
      spdlog::warn("ignoring advisory on {}: {}", advisory.subject, parsed.status().ToString());
      return;
    }
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(*parsed));
  }

  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); }

  void Run() {
    while (true) {
      MaxDeliveriesAdvisory next;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &DeadLetterWatcher::HasWork));
        if (queue_.empty()) return;  // stopping, and nothing left
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      Handle(next);
    }
  }

  void Handle(const MaxDeliveriesAdvisory& advisory) {
    auto task = bus_.GetStreamMessage(advisory.stream, advisory.stream_seq);
    if (absl::IsNotFound(task.status())) return;  // another watcher moved it already
    if (!task.ok()) {
      spdlog::error("dead letter {} seq {} left in place: {}", advisory.stream,
                    advisory.stream_seq, task.status().ToString());
      return;
    }
    DeadLetter dead;
    dead.agent = AgentOfTaskSubject(task->subject);
    if (dead.agent.empty()) dead.agent = advisory.consumer;
    dead.change_id = task->Header(kChangeIdHeader);
    dead.deliveries = advisory.deliveries;
    dead.message = std::move(*task);
    if (!MoveToDeadLetters(advisory, dead)) return;
    Notify(dead);
  }

  bool MoveToDeadLetters(const MaxDeliveriesAdvisory& advisory, const DeadLetter& dead) {
    const std::string reason = absl::StrCat("max deliveries (", advisory.deliveries, ") exceeded");
    // The id makes a copy published twice (two watchers, a retry) land once.
    const std::string id = absl::StrCat("dlq.", advisory.stream, ".", advisory.stream_seq);
    absl::Status s = bus_.Publish(DeadLetterCopy(dead.agent, dead.message, reason, id));
    if (!s.ok()) {
      spdlog::error("cannot dead-letter {} seq {}: {}", advisory.stream, advisory.stream_seq,
                    s.ToString());
      return false;
    }
    s = bus_.DeleteStreamMessage(advisory.stream, advisory.stream_seq);
    if (!s.ok() && !absl::IsNotFound(s)) {
      spdlog::warn("dead letter {} seq {} copied but not deleted: {}", advisory.stream,
                   advisory.stream_seq, s.ToString());
    }
    return true;
  }

  void Notify(const DeadLetter& dead) {
    try {
      on_dead_letter_(dead);
    } catch (const std::exception& e) {
      spdlog::error("dead-letter callback threw: {}", e.what());
    } catch (...) {
      spdlog::error("dead-letter callback threw a non-standard exception");
    }
  }

  Bus& bus_;
  const std::function<void(const DeadLetter&)> on_dead_letter_;
  absl::Mutex mu_;
  std::deque<MaxDeliveriesAdvisory> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
  std::unique_ptr<Subscription> subscription_;
};

}  // namespace

std::string TaskSubject(const std::string& agent, const std::string& method) {
  return absl::StrCat("conclave.task.", agent, ".", method);
}

std::string ResultSubject(const std::string& agent, const std::string& change_id) {
  return absl::StrCat("conclave.result.", agent, ".", change_id);
}

std::string DeadLetterSubject(const std::string& agent) {
  return absl::StrCat("conclave.dlq.", agent);
}

absl::Status EnsureTopology(Bus& bus) {
  for (const StreamSpec& spec : {WorkQueueStream(kTaskStream, "conclave.task.>"),
                                 WorkQueueStream(kResultStream, "conclave.result.>"),
                                 DeadLetterStream()}) {
    if (absl::Status s = bus.EnsureStream(spec); !s.ok()) return s;
  }
  return absl::OkStatus();
}

ConsumerSpec TaskConsumerSpec(const std::string& agent, absl::Duration ack_wait,
                              int max_deliver) {
  ConsumerSpec spec;
  spec.stream = kTaskStream;
  spec.durable = agent;
  spec.filter_subject = absl::StrCat("conclave.task.", agent, ".>");
  spec.ack_wait = ack_wait;
  spec.max_deliver = max_deliver;
  return spec;
}

ConsumerSpec ResultConsumerSpec(absl::Duration ack_wait, int max_deliver) {
  ConsumerSpec spec;
  spec.stream = kResultStream;
  spec.durable = kSupervisorDurable;
  spec.filter_subject = "conclave.result.>";
  spec.ack_wait = ack_wait;
  spec.max_deliver = max_deliver;
  return spec;
}

absl::StatusOr<std::unique_ptr<Subscription>> WatchDeadLetters(
    Bus& bus, std::function<void(const DeadLetter&)> on_dead_letter) {
  auto watcher = std::make_unique<DeadLetterWatcher>(bus, std::move(on_dead_letter));
  if (absl::Status s = watcher->Start(); !s.ok()) return s;
  return std::unique_ptr<Subscription>(std::move(watcher));
}

absl::Status PublishDeadLetter(Bus& bus, const std::string& agent, const Message& original,
                               const std::string& reason) {
  const std::string original_id = original.Header(kMsgIdHeader);
  const std::string id = original_id.empty() ? "" : absl::StrCat("dlq.", original_id);
  return bus.Publish(DeadLetterCopy(agent, original, reason, id));
}

}  // namespace conclave::bus
