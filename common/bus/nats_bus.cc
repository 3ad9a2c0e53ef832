// ConnectNats: the Bus over NATS.c with JetStream. Threading: NATS.c runs one delivery thread
// per core subscription (handlers run there) plus its own reader and flusher threads; every
// other call blocks the calling thread until the server answers or the timeout passes.
#include <nats/nats.h>

#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/bus/bus.h"
#include "common/bus/internal/nats_connection.h"
#include "common/bus/internal/nats_consumer.h"
#include "common/bus/internal/nats_handles.h"
#include "common/bus/internal/nats_message.h"
#include "common/bus/internal/nats_status.h"
#include "spdlog/spdlog.h"

namespace conclave::bus {

namespace {

using internal::JsPubAckPtr;
using internal::JsStreamInfoPtr;
using internal::NatsConnection;
using internal::NatsError;
using internal::NatsMsgPtr;
using internal::NatsSubscriptionPtr;

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

// What a core subscription's callbacks share with it. It is freed by the on-complete callback,
// which NATS.c runs after the last message callback has returned, so that a handler may
// destroy its own Subscription.
class HandlerState {
 public:
  explicit HandlerState(std::function<void(Message)> handler) : handler_(std::move(handler)) {}

  static void OnMessage(natsConnection*, natsSubscription*, natsMsg* raw, void* closure) {
    auto* self = static_cast<HandlerState*>(closure);
    NatsMsgPtr msg(raw);
    self->SetDeliveryThread();
    try {
      self->handler_(internal::FromNatsMsg(msg.get()));
    } catch (const std::exception& e) {
      spdlog::error("bus subscription handler threw: {}", e.what());
    } catch (...) {
      spdlog::error("bus subscription handler threw a non-standard exception");
    }
  }

  static void OnComplete(void* closure) {
    auto* self = static_cast<HandlerState*>(closure);
    bool owner_gone;
    {
      absl::MutexLock lock(&self->mu_);
      self->complete_ = true;
      owner_gone = self->owner_gone_;
    }
    if (owner_gone) delete self;
  }

  // Called by the Subscription after unsubscribing: waits until the handler has run for the
  // last time (unless on the delivery thread itself), then lets OnComplete free the state,
  // or frees it when OnComplete already ran.
  void Release() {
    const bool on_delivery_thread = std::this_thread::get_id() == DeliveryThread();
    bool complete;
    {
      absl::MutexLock lock(&mu_);
      if (!on_delivery_thread) {
        mu_.AwaitWithTimeout(absl::Condition(&complete_), absl::Seconds(10));
      }
      complete = complete_;
      owner_gone_ = true;
    }
    if (complete) delete this;
  }

 private:
  void SetDeliveryThread() {
    absl::MutexLock lock(&mu_);
    delivery_thread_ = std::this_thread::get_id();
  }
  std::thread::id DeliveryThread() {
    absl::MutexLock lock(&mu_);
    return delivery_thread_;
  }

  const std::function<void(Message)> handler_;
  absl::Mutex mu_;
  std::thread::id delivery_thread_ ABSL_GUARDED_BY(mu_);
  bool complete_ ABSL_GUARDED_BY(mu_) = false;
  bool owner_gone_ ABSL_GUARDED_BY(mu_) = false;
};

class NatsSubscription : public Subscription {
 public:
  NatsSubscription(std::shared_ptr<NatsConnection> conn, NatsSubscriptionPtr sub,
                   HandlerState* state)
      : conn_(std::move(conn)), sub_(std::move(sub)), state_(state) {}
  ~NatsSubscription() override {
    natsSubscription_Unsubscribe(sub_.get());
    state_->Release();
    sub_.reset();
  }

 private:
  std::shared_ptr<NatsConnection> conn_;  // outlives sub_
  NatsSubscriptionPtr sub_;
  HandlerState* state_;
};

void FillStreamConfig(const StreamSpec& spec, const std::vector<const char*>& subjects,
                      jsStreamConfig* cfg) {
  jsStreamConfig_Init(cfg);
  cfg->Name = spec.name.c_str();
  cfg->Subjects = const_cast<const char**>(subjects.data());
  cfg->SubjectsLen = static_cast<int>(subjects.size());
  cfg->Retention = spec.retention == Retention::kWorkQueue ? js_WorkQueuePolicy : js_LimitsPolicy;
  cfg->Storage = js_FileStorage;
  cfg->MaxAge = Nanos(spec.max_age);
  cfg->Duplicates = Nanos(spec.duplicate_window);
  cfg->MaxMsgSize = static_cast<int32_t>(spec.max_msg_bytes);
}

class NatsBus : public Bus {
 public:
  explicit NatsBus(std::shared_ptr<NatsConnection> conn) : conn_(std::move(conn)) {}

  absl::Status EnsureStream(const StreamSpec& spec) override {
    std::vector<const char*> subjects;
    for (const std::string& s : spec.subjects) subjects.push_back(s.c_str());
    jsStreamConfig cfg;
    FillStreamConfig(spec, subjects, &cfg);
    jsStreamInfo* raw = nullptr;
    jsErrCode err = jsErrCode(0);
    natsStatus s = js_GetStreamInfo(&raw, conn_->js(), spec.name.c_str(), nullptr, &err);
    JsStreamInfoPtr info(raw);
    if (s == NATS_NOT_FOUND || err == JSStreamNotFoundErr) return AddStream(spec, &cfg);
    if (s != NATS_OK) return NatsError(absl::StrCat("look up stream ", spec.name), s, err);
    return UpdateStream(spec, &cfg);
  }

  absl::Status Publish(const Message& msg, absl::Duration timeout) override {
    if (absl::Status s = CheckPayload(msg); !s.ok()) return s;
    auto nats_msg = internal::ToNatsMsg(msg);
    if (!nats_msg.ok()) return nats_msg.status();
    jsPubOptions opts;
    jsPubOptions_Init(&opts);
    opts.MaxWait = std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout));
    jsPubAck* raw = nullptr;
    jsErrCode err = jsErrCode(0);
    natsStatus s = js_PublishMsg(&raw, conn_->js(), nats_msg->get(), &opts, &err);
    JsPubAckPtr ack(raw);
    return NatsError(absl::StrCat("publish to ", msg.subject), s, err);
  }

  absl::Status PublishCore(const Message& msg) override {
    if (absl::Status s = CheckPayload(msg); !s.ok()) return s;
    auto nats_msg = internal::ToNatsMsg(msg);
    if (!nats_msg.ok()) return nats_msg.status();
    return NatsError(absl::StrCat("publish (core) to ", msg.subject),
                     natsConnection_PublishMsg(conn_->nc(), nats_msg->get()));
  }

  absl::StatusOr<std::unique_ptr<PullConsumer>> CreatePullConsumer(
      const ConsumerSpec& spec) override {
    if (absl::Status s = internal::EnsureNatsConsumer(*conn_, spec); !s.ok()) return s;
    auto consumer = internal::NatsPullConsumer::Create(conn_, spec);
    if (!consumer.ok()) return consumer.status();
    return std::unique_ptr<PullConsumer>(std::move(*consumer));
  }

  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(
      const std::string& subject, std::function<void(Message)> handler) override {
    auto* state = new HandlerState(std::move(handler));
    natsSubscription* raw = nullptr;
    natsStatus s = natsConnection_Subscribe(&raw, conn_->nc(), subject.c_str(),
                                            &HandlerState::OnMessage, state);
    NatsSubscriptionPtr sub(raw);
    if (s != NATS_OK) {
      delete state;  // no subscription, so no callback can hold it
      return NatsError(absl::StrCat("subscribe to ", subject), s);
    }
    s = natsSubscription_SetOnCompleteCB(raw, &HandlerState::OnComplete, state);
    if (s != NATS_OK) {
      // A message callback may be running; without on-complete nothing says when it is done,
      // so the state is left to leak rather than freed under it.
      natsSubscription_Unsubscribe(raw);
      return NatsError(absl::StrCat("subscribe to ", subject), s);
    }
    return std::unique_ptr<Subscription>(new NatsSubscription(conn_, std::move(sub), state));
  }

  absl::StatusOr<Message> GetStreamMessage(const std::string& stream, uint64_t seq) override {
    natsMsg* raw = nullptr;
    jsErrCode err = jsErrCode(0);
    natsStatus s = js_GetMsg(&raw, conn_->js(), stream.c_str(), seq, nullptr, &err);
    NatsMsgPtr msg(raw);
    if (s != NATS_OK) return NatsError(absl::StrCat("get ", stream, " seq ", seq), s, err);
    return internal::FromNatsMsg(msg.get());
  }

  absl::Status DeleteStreamMessage(const std::string& stream, uint64_t seq) override {
    jsErrCode err = jsErrCode(0);
    return NatsError(absl::StrCat("delete ", stream, " seq ", seq),
                     js_DeleteMsg(conn_->js(), stream.c_str(), seq, nullptr, &err), err);
  }

  bool Connected() const override { return conn_->connected(); }

 private:
  absl::Status AddStream(const StreamSpec& spec, jsStreamConfig* cfg) {
    jsStreamInfo* raw = nullptr;
    jsErrCode err = jsErrCode(0);
    natsStatus s = js_AddStream(&raw, conn_->js(), cfg, nullptr, &err);
    JsStreamInfoPtr info(raw);
    // Another process created it between our look-up and our add.
    if (err == JSStreamNameExistErr) return UpdateStream(spec, cfg);
    return NatsError(absl::StrCat("create stream ", spec.name), s, err);
  }

  absl::Status UpdateStream(const StreamSpec& spec, jsStreamConfig* cfg) {
    jsStreamInfo* raw = nullptr;
    jsErrCode err = jsErrCode(0);
    natsStatus s = js_UpdateStream(&raw, conn_->js(), cfg, nullptr, &err);
    JsStreamInfoPtr info(raw);
    return NatsError(absl::StrCat("update stream ", spec.name), s, err);
  }

  absl::Status CheckPayload(const Message& msg) const {
    const int64_t max = conn_->max_payload();
    const size_t size = internal::WireSize(msg);
    if (max <= 0 || size <= static_cast<size_t>(max)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("message of ", size, " bytes to ", msg.subject,
                                                   " exceeds the server's max_payload of ", max,
                                                   " bytes"));
  }

  const std::shared_ptr<NatsConnection> conn_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Bus>> ConnectNats(const NatsOptions& options) {
  auto conn = NatsConnection::Connect(options);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<Bus>(new NatsBus(std::move(*conn)));
}

}  // namespace conclave::bus
