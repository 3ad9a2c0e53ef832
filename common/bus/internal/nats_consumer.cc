#include "common/bus/internal/nats_consumer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/bus/internal/nats_message.h"
#include "common/bus/internal/nats_status.h"

namespace conclave::bus::internal {

namespace {

int64_t Nanos(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

bool IsNotFound(natsStatus s, jsErrCode err) {
  return s == NATS_NOT_FOUND || err == JSConsumerNotFoundErr;
}

void FillConfig(const ConsumerSpec& spec, jsConsumerConfig* cc) {
  jsConsumerConfig_Init(cc);
  cc->Durable = spec.durable.c_str();
  cc->AckPolicy = js_AckExplicit;
  cc->DeliverPolicy = js_DeliverAll;
  cc->AckWait = Nanos(spec.ack_wait);
  cc->MaxDeliver = spec.max_deliver;
  cc->MaxAckPending = spec.max_ack_pending;
  if (!spec.filter_subject.empty()) cc->FilterSubject = spec.filter_subject.c_str();
}

bool NeedsUpdate(const jsConsumerConfig& have, const jsConsumerConfig& want) {
  return have.AckWait != want.AckWait || have.MaxDeliver != want.MaxDeliver ||
         have.MaxAckPending != want.MaxAckPending;
}

std::string FilterOf(const jsConsumerConfig& cc) {
  return cc.FilterSubject != nullptr ? cc.FilterSubject : "";
}

std::string ConsumerName(const ConsumerSpec& spec) {
  return absl::StrCat("consumer ", spec.stream, "/", spec.durable);
}

// A message pulled from the durable; settles through NATS.c's JetStream acks.
class NatsDelivery : public Delivery {
 public:
  NatsDelivery(std::shared_ptr<PullSubscription> sub, NatsMsgPtr msg)
      : sub_(std::move(sub)), msg_(std::move(msg)), message_(FromNatsMsg(msg_.get())) {
    jsMsgMetaData* raw = nullptr;
    if (natsMsg_GetMetaData(&raw, msg_.get()) == NATS_OK) {
      JsMsgMetaDataPtr meta(raw);
      delivery_count_ = meta->NumDelivered;
      stream_sequence_ = meta->Sequence.Stream;
    }
  }

  const Message& message() const override { return message_; }
  uint64_t delivery_count() const override { return delivery_count_; }
  uint64_t stream_sequence() const override { return stream_sequence_; }

  absl::Status Ack() override {
    jsErrCode err = jsErrCode(0);
    return NatsError(Describe("ack"), natsMsg_AckSync(msg_.get(), nullptr, &err), err);
  }
  absl::Status Nak(absl::Duration delay) override {
    natsStatus s = delay <= absl::ZeroDuration()
                       ? natsMsg_Nak(msg_.get(), nullptr)
                       : natsMsg_NakWithDelay(msg_.get(), absl::ToInt64Milliseconds(delay),
                                              nullptr);
    return NatsError(Describe("nak"), s);
  }
  absl::Status Term() override { return NatsError(Describe("term"), natsMsg_Term(msg_.get(), nullptr)); }
  absl::Status InProgress() override {
    return NatsError(Describe("in-progress"), natsMsg_InProgress(msg_.get(), nullptr));
  }

 private:
  std::string Describe(const char* what) const {
    return absl::StrCat(what, " of ", message_.subject, " (stream seq ", stream_sequence_, ")");
  }

  std::shared_ptr<PullSubscription> sub_;  // outlives msg_
  NatsMsgPtr msg_;
  Message message_;
  uint64_t delivery_count_ = 0;
  uint64_t stream_sequence_ = 0;
};

}  // namespace

absl::Status EnsureNatsConsumer(NatsConnection& conn, const ConsumerSpec& spec) {
  jsConsumerConfig want;
  FillConfig(spec, &want);
  jsConsumerInfo* raw = nullptr;
  jsErrCode err = jsErrCode(0);
  natsStatus s =
      js_GetConsumerInfo(&raw, conn.js(), spec.stream.c_str(), spec.durable.c_str(), nullptr, &err);
  JsConsumerInfoPtr info(raw);
  if (IsNotFound(s, err)) {
    jsConsumerInfo* created = nullptr;
    err = jsErrCode(0);
    s = js_AddConsumer(&created, conn.js(), spec.stream.c_str(), &want, nullptr, &err);
    JsConsumerInfoPtr guard(created);
    return NatsError(absl::StrCat("create ", ConsumerName(spec)), s, err);
  }
  if (s != NATS_OK) return NatsError(absl::StrCat("look up ", ConsumerName(spec)), s, err);
  if (FilterOf(*info->Config) != spec.filter_subject) {
    return absl::FailedPreconditionError(
        absl::StrCat(ConsumerName(spec), " exists with filter subject '",
                     FilterOf(*info->Config), "', not '", spec.filter_subject, "'"));
  }
  if (!NeedsUpdate(*info->Config, want)) return absl::OkStatus();
  jsConsumerInfo* updated = nullptr;
  err = jsErrCode(0);
  s = js_UpdateConsumer(&updated, conn.js(), spec.stream.c_str(), &want, nullptr, &err);
  JsConsumerInfoPtr guard(updated);
  return NatsError(absl::StrCat("update ", ConsumerName(spec)), s, err);
}

absl::StatusOr<std::unique_ptr<NatsPullConsumer>> NatsPullConsumer::Create(
    std::shared_ptr<NatsConnection> conn, const ConsumerSpec& spec) {
  std::unique_ptr<NatsPullConsumer> consumer(new NatsPullConsumer(std::move(conn), spec));
  auto first = consumer->Bind();
  if (!first.ok()) return first.status();
  consumer->ReturnIdle(std::move(*first));
  return consumer;
}

absl::StatusOr<std::shared_ptr<PullSubscription>> NatsPullConsumer::Bind() {
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = spec_.stream.c_str();
  so.Consumer = spec_.durable.c_str();
  so.ManualAck = true;
  natsSubscription* raw = nullptr;
  jsErrCode err = jsErrCode(0);
  natsStatus s = js_PullSubscribe(&raw, conn_->js(), spec_.filter_subject.c_str(),
                                  spec_.durable.c_str(), nullptr, &so, &err);
  NatsSubscriptionPtr sub(raw);
  if (s != NATS_OK) return NatsError(absl::StrCat("bind to ", ConsumerName(spec_)), s, err);
  return std::make_shared<PullSubscription>(conn_, std::move(sub));
}

absl::StatusOr<std::shared_ptr<PullSubscription>> NatsPullConsumer::TakeIdle() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      std::shared_ptr<PullSubscription> sub = std::move(idle_.back());
      idle_.pop_back();
      return sub;
    }
  }
  return Bind();
}

void NatsPullConsumer::ReturnIdle(std::shared_ptr<PullSubscription> sub) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(sub));
}

absl::StatusOr<std::vector<std::unique_ptr<Delivery>>> NatsPullConsumer::Fetch(
    int max, absl::Duration timeout) {
  auto sub = TakeIdle();
  if (!sub.ok()) return sub.status();
  NatsMsgList list;
  jsErrCode err = jsErrCode(0);
  const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(timeout));
  natsStatus s = natsSubscription_Fetch(list.get(), (*sub)->get(), std::max(1, max), ms, &err);
  ReturnIdle(*sub);
  std::vector<std::unique_ptr<Delivery>> out;
  if (list.size() == 0 && s != NATS_OK && s != NATS_TIMEOUT) {
    return NatsError(absl::StrCat("fetch from ", ConsumerName(spec_)), s, err);
  }
  for (int i = 0; i < list.size(); ++i) {
    out.push_back(std::make_unique<NatsDelivery>(*sub, list.Release(i)));
  }
  return out;
}

absl::StatusOr<uint64_t> NatsPullConsumer::NumPending() {
  jsConsumerInfo* raw = nullptr;
  jsErrCode err = jsErrCode(0);
  natsStatus s = js_GetConsumerInfo(&raw, conn_->js(), spec_.stream.c_str(),
                                    spec_.durable.c_str(), nullptr, &err);
  JsConsumerInfoPtr info(raw);
  if (s != NATS_OK) return NatsError(absl::StrCat("info of ", ConsumerName(spec_)), s, err);
  return info->NumPending;
}

}  // namespace conclave::bus::internal
