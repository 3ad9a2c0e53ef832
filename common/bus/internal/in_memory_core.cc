#include "common/bus/internal/in_memory_core.h"

#include <algorithm>
#include <exception>

#include "absl/strings/str_cat.h"
#include "common/bus/internal/advisory.h"
#include "common/bus/internal/nats_message.h"
#include "common/bus/internal/subject.h"
#include "spdlog/spdlog.h"

namespace conclave::bus::internal {

namespace {

std::string EffectiveFilter(const ConsumerSpec& spec) {
  return spec.filter_subject.empty() ? ">" : spec.filter_subject;
}

std::string ConsumerName(const ConsumerSpec& spec) {
  return absl::StrCat("consumer ", spec.stream, "/", spec.durable);
}

void RunHandler(const std::function<void(Message)>& handler, Message msg) {
  try {
    handler(std::move(msg));
  } catch (const std::exception& e) {
    spdlog::error("bus subscription handler threw: {}", e.what());
  } catch (...) {
    spdlog::error("bus subscription handler threw a non-standard exception");
  }
}

}  // namespace

std::shared_ptr<InMemoryCore> InMemoryCore::Create() {
  std::shared_ptr<InMemoryCore> core(new InMemoryCore());
  // The dispatcher holds a reference, so the core outlives it even when the last handle is
  // dropped inside a handler.
  core->dispatcher_ = std::thread(&InMemoryCore::DispatchLoop, core.get(), core);
  core->dispatcher_id_ = core->dispatcher_.get_id();
  return core;
}

InMemoryCore::~InMemoryCore() {
  // Only reached on the dispatcher thread (it holds the last reference), after Shutdown.
  if (dispatcher_.joinable()) dispatcher_.detach();
}

void InMemoryCore::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    changed_.SignalAll();
  }
  if (std::this_thread::get_id() == dispatcher_id_) return;  // the loop ends after this handler
  if (dispatcher_.joinable()) dispatcher_.join();
}

bool InMemoryCore::HasWork() const { return closed_ || !outbox_.empty(); }

bool InMemoryCore::NotRunning(uint64_t id) const { return running_ != id; }

// `self` keeps the core alive until this returns.
void InMemoryCore::DispatchLoop(std::shared_ptr<InMemoryCore> self) {
  mu_.Lock();
  while (true) {
    mu_.Await(absl::Condition(this, &InMemoryCore::HasWork));
    if (closed_) break;
    Outgoing next = std::move(outbox_.front());
    outbox_.pop_front();
    auto it = subscriptions_.find(next.subscription);
    if (it == subscriptions_.end()) continue;
    std::shared_ptr<const std::function<void(Message)>> handler = it->second.handler;
    running_ = next.subscription;
    mu_.Unlock();
    RunHandler(*handler, std::move(next.message));
    mu_.Lock();
    running_ = 0;
  }
  mu_.Unlock();
}

absl::Status InMemoryCore::CheckOpen() const {
  if (closed_) return absl::UnavailableError("in-memory bus is closed");
  return absl::OkStatus();
}

InMemoryCore::Stream* InMemoryCore::StreamFor(const std::string& subject) {
  for (auto& [name, stream] : streams_) {
    for (const std::string& pattern : stream.spec.subjects) {
      if (SubjectMatches(pattern, subject)) return &stream;
    }
  }
  return nullptr;
}

absl::StatusOr<InMemoryCore::Stream*> InMemoryCore::FindStream(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) return absl::NotFoundError(absl::StrCat("stream ", name, " not found"));
  return &it->second;
}

absl::StatusOr<InMemoryCore::Consumer*> InMemoryCore::FindConsumer(const ConsumerSpec& spec) {
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  auto stream = FindStream(spec.stream);
  if (!stream.ok()) return stream.status();
  auto it = (*stream)->consumers.find(spec.durable);
  if (it == (*stream)->consumers.end()) {
    return absl::NotFoundError(absl::StrCat(ConsumerName(spec), " not found"));
  }
  return &it->second;
}

// --- Streams and publishing ---------------------------------------------------------------

absl::Status InMemoryCore::CheckNoOverlap(const StreamSpec& spec) const {
  for (const auto& [name, stream] : streams_) {
    if (name == spec.name) continue;
    for (const std::string& theirs : stream.spec.subjects) {
      for (const std::string& ours : spec.subjects) {
        if (SubjectsOverlap(theirs, ours)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "stream ", spec.name, ": subject ", ours, " overlaps ", theirs, " of stream ", name));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status InMemoryCore::EnsureStream(const StreamSpec& spec) {
  if (spec.name.empty() || spec.subjects.empty()) {
    return absl::InvalidArgumentError("a stream needs a name and at least one subject");
  }
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  if (absl::Status s = CheckNoOverlap(spec); !s.ok()) return s;
  auto it = streams_.find(spec.name);
  if (it == streams_.end()) {
    streams_[spec.name].spec = spec;
    return absl::OkStatus();
  }
  if (it->second.spec.retention != spec.retention) {
    return absl::FailedPreconditionError(
        absl::StrCat("stream ", spec.name, ": retention cannot be changed"));
  }
  it->second.spec = spec;
  return absl::OkStatus();
}

bool InMemoryCore::IsDuplicate(Stream& stream, const Message& msg, absl::Time now) {
  const absl::Time horizon = now - stream.spec.duplicate_window;
  std::erase_if(stream.msg_ids, [horizon](const auto& entry) { return entry.second < horizon; });
  const std::string id = msg.Header(kMsgIdHeader);
  if (id.empty()) return false;
  return !stream.msg_ids.emplace(id, now).second;
}

void InMemoryCore::Expire(Stream& stream, absl::Time now) {
  const absl::Time horizon = now - stream.spec.max_age;
  while (!stream.messages.empty() && stream.messages.begin()->second.stored_at < horizon) {
    stream.messages.erase(stream.messages.begin());
  }
}

void InMemoryCore::FanOut(const Message& msg) {
  for (const auto& [id, sub] : subscriptions_) {
    if (SubjectMatches(sub.pattern, msg.subject)) outbox_.push_back({id, msg});
  }
}

absl::Status InMemoryCore::Publish(const Message& msg) {
  if (!IsLiteralSubject(msg.subject)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid subject '", msg.subject, "'"));
  }
  const size_t size = WireSize(msg);
  if (size > static_cast<size_t>(kMaxPayload)) {
    return absl::InvalidArgumentError(absl::StrCat("message of ", size, " bytes to ", msg.subject,
                                                   " exceeds the server's max_payload of ",
                                                   kMaxPayload, " bytes"));
  }
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  Stream* stream = StreamFor(msg.subject);
  if (stream == nullptr) {
    return absl::UnavailableError(absl::StrCat("publish to ", msg.subject, ": no stream (no responders)"));
  }
  if (static_cast<int64_t>(msg.data.size()) > stream->spec.max_msg_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("publish to ", msg.subject,
                                                   ": message size exceeds maximum allowed"));
  }
  const absl::Time now = absl::Now();
  Expire(*stream, now);
  if (IsDuplicate(*stream, msg, now)) return absl::OkStatus();
  stream->messages[++stream->last_seq] = Stored{msg, now};
  FanOut(msg);
  changed_.SignalAll();
  return absl::OkStatus();
}

absl::Status InMemoryCore::PublishCore(const Message& msg) {
  if (!IsLiteralSubject(msg.subject)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid subject '", msg.subject, "'"));
  }
  if (WireSize(msg) > static_cast<size_t>(kMaxPayload)) {
    return absl::InvalidArgumentError(absl::StrCat("message of ", WireSize(msg), " bytes to ",
                                                   msg.subject, " exceeds the server's max_payload of ",
                                                   kMaxPayload, " bytes"));
  }
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  FanOut(msg);
  return absl::OkStatus();
}

absl::StatusOr<Message> InMemoryCore::GetStreamMessage(const std::string& name, uint64_t seq) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  auto stream = FindStream(name);
  if (!stream.ok()) return stream.status();
  auto it = (*stream)->messages.find(seq);
  if (it == (*stream)->messages.end()) {
    return absl::NotFoundError(absl::StrCat("get ", name, " seq ", seq, ": no message found"));
  }
  return it->second.message;
}

absl::Status InMemoryCore::DeleteStreamMessage(const std::string& name, uint64_t seq) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  auto stream = FindStream(name);
  if (!stream.ok()) return stream.status();
  if ((*stream)->messages.erase(seq) == 0) {
    return absl::NotFoundError(absl::StrCat("delete ", name, " seq ", seq, ": no message found"));
  }
  return absl::OkStatus();
}

// --- Consumers ------------------------------------------------------------------------------

absl::Status InMemoryCore::CheckWorkQueueFilter(const Stream& stream,
                                                const ConsumerSpec& spec) const {
  if (stream.spec.retention != Retention::kWorkQueue) return absl::OkStatus();
  for (const auto& [durable, other] : stream.consumers) {
    if (SubjectsOverlap(EffectiveFilter(other.spec), EffectiveFilter(spec))) {
      return absl::FailedPreconditionError(
          absl::StrCat(ConsumerName(spec), ": filtered consumer not unique on workqueue stream "
                       "(overlaps ", durable, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status InMemoryCore::EnsureConsumer(const ConsumerSpec& spec) {
  if (spec.durable.empty() || spec.max_deliver < 1 || spec.ack_wait <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ConsumerName(spec), ": needs a durable name, max_deliver >= 1, ack_wait > 0"));
  }
  absl::MutexLock lock(&mu_);
  if (absl::Status s = CheckOpen(); !s.ok()) return s;
  auto stream = FindStream(spec.stream);
  if (!stream.ok()) return stream.status();
  auto it = (*stream)->consumers.find(spec.durable);
  if (it == (*stream)->consumers.end()) {
    if (absl::Status s = CheckWorkQueueFilter(**stream, spec); !s.ok()) return s;
    (*stream)->consumers[spec.durable].spec = spec;
    return absl::OkStatus();
  }
  if (it->second.spec.filter_subject != spec.filter_subject) {
    return absl::FailedPreconditionError(
        absl::StrCat(ConsumerName(spec), " exists with filter subject '",
                     it->second.spec.filter_subject, "', not '", spec.filter_subject, "'"));
  }
  it->second.spec = spec;
  return absl::OkStatus();
}

absl::Time InMemoryCore::NextRedelivery(const Consumer& consumer) {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [seq, p] : consumer.pending) next = std::min(next, p.redeliver_at);
  return next;
}

void InMemoryCore::EmitMaxDeliveries(const Stream& stream, const Consumer& consumer,
                                     uint64_t seq, uint64_t deliveries) {
  MaxDeliveriesAdvisory advisory{stream.spec.name, consumer.spec.durable, seq, deliveries};
  Message msg;
  msg.subject = MaxDeliveriesSubject(advisory.stream, advisory.consumer);
  msg.data = FormatMaxDeliveriesAdvisory(advisory, absl::Now());
  FanOut(msg);
}

// Like the server, a delivery whose ack-wait ran out is noticed when a fetch wants messages:
// it is redelivered, or, past max_deliver, given up on with a MAX_DELIVERIES advisory (the
// message stays in the stream).
void InMemoryCore::TakeRedeliveries(Stream& stream, Consumer& consumer, int max, absl::Time now,
                                    std::vector<Fetched>* out) {
  for (auto it = consumer.pending.begin();
       it != consumer.pending.end() && static_cast<int>(out->size()) < max;) {
    Pending& p = it->second;
    auto stored = stream.messages.find(it->first);
    if (p.redeliver_at > now) {
      ++it;
    } else if (stored == stream.messages.end()) {
      it = consumer.pending.erase(it);
    } else if (p.deliveries >= static_cast<uint64_t>(consumer.spec.max_deliver)) {
      EmitMaxDeliveries(stream, consumer, it->first, p.deliveries);
      it = consumer.pending.erase(it);
    } else {
      ++p.deliveries;
      p.redeliver_at = now + consumer.spec.ack_wait;
      out->push_back({stored->second.message, it->first, p.deliveries});
      ++it;
    }
  }
}

void InMemoryCore::TakeNew(Stream& stream, Consumer& consumer, int max, absl::Time now,
                           std::vector<Fetched>* out) {
  const std::string filter = EffectiveFilter(consumer.spec);
  auto it = stream.messages.lower_bound(consumer.next_seq);
  while (static_cast<int>(out->size()) < max &&
         static_cast<int>(consumer.pending.size()) < consumer.spec.max_ack_pending &&
         it != stream.messages.end()) {
    const uint64_t seq = it->first;
    consumer.next_seq = seq + 1;
    if (SubjectMatches(filter, it->second.message.subject)) {
      consumer.pending[seq] = Pending{1, now + consumer.spec.ack_wait};
      out->push_back({it->second.message, seq, 1});
    }
    ++it;
  }
}

std::vector<InMemoryCore::Fetched> InMemoryCore::TakeReady(Stream& stream, Consumer& consumer,
                                                           int max, absl::Time now) {
  std::vector<Fetched> out;
  Expire(stream, now);
  TakeRedeliveries(stream, consumer, max, now, &out);
  TakeNew(stream, consumer, max, now, &out);
  return out;
}

absl::StatusOr<std::vector<InMemoryCore::Fetched>> InMemoryCore::Fetch(const ConsumerSpec& spec,
                                                                      int max,
                                                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  while (true) {
    auto consumer = FindConsumer(spec);
    if (!consumer.ok()) return consumer.status();
    const absl::Time now = absl::Now();
    std::vector<Fetched> out = TakeReady(streams_[spec.stream], **consumer, std::max(1, max), now);
    if (!out.empty() || now >= deadline) return out;
    changed_.WaitWithDeadline(&mu_, std::min(deadline, NextRedelivery(**consumer)));
  }
}

absl::StatusOr<uint64_t> InMemoryCore::NumPending(const ConsumerSpec& spec) {
  absl::MutexLock lock(&mu_);
  auto consumer = FindConsumer(spec);
  if (!consumer.ok()) return consumer.status();
  Stream& stream = streams_[spec.stream];
  Expire(stream, absl::Now());
  const std::string filter = EffectiveFilter((*consumer)->spec);
  uint64_t n = 0;
  for (auto it = stream.messages.lower_bound((*consumer)->next_seq); it != stream.messages.end();
       ++it) {
    if (SubjectMatches(filter, it->second.message.subject)) ++n;
  }
  return n;
}

absl::Status InMemoryCore::Settle(const ConsumerSpec& spec, uint64_t seq, Settlement how,
                                  absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  auto consumer = FindConsumer(spec);
  if (!consumer.ok()) return consumer.status();
  auto it = (*consumer)->pending.find(seq);
  if (it == (*consumer)->pending.end()) return absl::OkStatus();
  Stream& stream = streams_[spec.stream];
  switch (how) {
    case Settlement::kAck:
    case Settlement::kTerm:
      (*consumer)->pending.erase(it);
      if (stream.spec.retention == Retention::kWorkQueue) stream.messages.erase(seq);
      break;
    case Settlement::kNak:
      it->second.redeliver_at = absl::Now() + std::max(delay, absl::ZeroDuration());
      break;
    case Settlement::kInProgress:
      it->second.redeliver_at = absl::Now() + (*consumer)->spec.ack_wait;
      break;
  }
  changed_.SignalAll();
  return absl::OkStatus();
}

// --- Core subscriptions -----------------------------------------------------------------------

uint64_t InMemoryCore::Subscribe(const std::string& subject,
                                 std::function<void(Message)> handler) {
  absl::MutexLock lock(&mu_);
  const uint64_t id = ++next_subscription_;
  subscriptions_[id] = CoreSubscription{
      subject, std::make_shared<const std::function<void(Message)>>(std::move(handler))};
  return id;
}

void InMemoryCore::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&mu_);
  subscriptions_.erase(id);
  if (std::this_thread::get_id() == dispatcher_id_) return;
  struct Arg {
    const InMemoryCore* core;
    uint64_t id;
  } arg{this, id};
  mu_.Await(absl::Condition(+[](Arg* a) { return a->core->NotRunning(a->id); }, &arg));
}

}  // namespace conclave::bus::internal
