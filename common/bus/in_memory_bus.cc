// NewInMemoryBus: the Bus fake for unit tests, a thin set of handles over InMemoryCore
// (internal/in_memory_core.h), which holds the state and the semantics.
#include <memory>
#include <string>
#include <vector>

#include "common/bus/bus.h"
#include "common/bus/internal/in_memory_core.h"

namespace conclave::bus {

namespace {

using internal::InMemoryCore;
using Settlement = InMemoryCore::Settlement;

class InMemoryDelivery : public Delivery {
 public:
  InMemoryDelivery(std::shared_ptr<InMemoryCore> core, const ConsumerSpec& spec,
                   InMemoryCore::Fetched fetched)
      : core_(std::move(core)), spec_(spec), fetched_(std::move(fetched)) {}

  const Message& message() const override { return fetched_.message; }
  uint64_t delivery_count() const override { return fetched_.deliveries; }
  uint64_t stream_sequence() const override { return fetched_.stream_seq; }
  absl::Status Ack() override { return Settle(Settlement::kAck); }
  absl::Status Nak(absl::Duration delay) override { return Settle(Settlement::kNak, delay); }
  absl::Status Term() override { return Settle(Settlement::kTerm); }
  absl::Status InProgress() override { return Settle(Settlement::kInProgress); }

 private:
  absl::Status Settle(Settlement how, absl::Duration delay = absl::ZeroDuration()) {
    return core_->Settle(spec_, fetched_.stream_seq, how, delay);
  }

  const std::shared_ptr<InMemoryCore> core_;
  const ConsumerSpec spec_;
  const InMemoryCore::Fetched fetched_;
};

class InMemoryPullConsumer : public PullConsumer {
 public:
  InMemoryPullConsumer(std::shared_ptr<InMemoryCore> core, const ConsumerSpec& spec)
      : core_(std::move(core)), spec_(spec) {}

  absl::StatusOr<std::vector<std::unique_ptr<Delivery>>> Fetch(int max,
                                                             absl::Duration timeout) override {
    auto fetched = core_->Fetch(spec_, max, timeout);
    if (!fetched.ok()) return fetched.status();
    std::vector<std::unique_ptr<Delivery>> out;
    for (InMemoryCore::Fetched& f : *fetched) {
      out.push_back(std::make_unique<InMemoryDelivery>(core_, spec_, std::move(f)));
    }
    return out;
  }
  absl::StatusOr<uint64_t> NumPending() override { return core_->NumPending(spec_); }

 private:
  const std::shared_ptr<InMemoryCore> core_;
  const ConsumerSpec spec_;
};

class InMemorySubscription : public Subscription {
 public:
  InMemorySubscription(std::shared_ptr<InMemoryCore> core, uint64_t id)
      : core_(std::move(core)), id_(id) {}
  ~InMemorySubscription() override { core_->Unsubscribe(id_); }

 private:
  const std::shared_ptr<InMemoryCore> core_;
  const uint64_t id_;
};

class InMemoryBus : public Bus {
 public:
  InMemoryBus() : core_(InMemoryCore::Create()) {}
  ~InMemoryBus() override { core_->Shutdown(); }

  absl::Status EnsureStream(const StreamSpec& spec) override { return core_->EnsureStream(spec); }
  absl::Status Publish(const Message& msg, absl::Duration) override { return core_->Publish(msg); }
  absl::Status PublishCore(const Message& msg) override { return core_->PublishCore(msg); }

  absl::StatusOr<std::unique_ptr<PullConsumer>> CreatePullConsumer(
      const ConsumerSpec& spec) override {
    if (absl::Status s = core_->EnsureConsumer(spec); !s.ok()) return s;
    return std::unique_ptr<PullConsumer>(new InMemoryPullConsumer(core_, spec));
  }

  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(
      const std::string& subject, std::function<void(Message)> handler) override {
    const uint64_t id = core_->Subscribe(subject, std::move(handler));
    return std::unique_ptr<Subscription>(new InMemorySubscription(core_, id));
  }

  absl::StatusOr<Message> GetStreamMessage(const std::string& stream, uint64_t seq) override {
    return core_->GetStreamMessage(stream, seq);
  }
  absl::Status DeleteStreamMessage(const std::string& stream, uint64_t seq) override {
    return core_->DeleteStreamMessage(stream, seq);
  }
  bool Connected() const override { return true; }

 private:
  const std::shared_ptr<InMemoryCore> core_;
};

}  // namespace

std::unique_ptr<Bus> NewInMemoryBus() { return std::make_unique<InMemoryBus>(); }

}  // namespace conclave::bus
