// RAII owners for NATS.c handles. Every handle the adapter receives from NATS.c is put in one
// of these the moment it appears, so that no error path leaks it. The order in which a
// connection's handles are torn down lives in NatsConnection (nats_connection.h), not here.
// Not thread-safe beyond what NATS.c guarantees for the handle itself.
#pragma once

#include <nats/nats.h>

#include <memory>

namespace conclave::bus::internal {

struct NatsOptionsDeleter {
  void operator()(natsOptions* p) const { natsOptions_Destroy(p); }
};
struct NatsConnectionDeleter {
  void operator()(natsConnection* p) const { natsConnection_Destroy(p); }
};
struct JsCtxDeleter {
  void operator()(jsCtx* p) const { jsCtx_Destroy(p); }
};
struct NatsSubscriptionDeleter {
  void operator()(natsSubscription* p) const { natsSubscription_Destroy(p); }
};
struct NatsMsgDeleter {
  void operator()(natsMsg* p) const { natsMsg_Destroy(p); }
};
struct JsPubAckDeleter {
  void operator()(jsPubAck* p) const { jsPubAck_Destroy(p); }
};
struct JsStreamInfoDeleter {
  void operator()(jsStreamInfo* p) const { jsStreamInfo_Destroy(p); }
};
struct JsConsumerInfoDeleter {
  void operator()(jsConsumerInfo* p) const { jsConsumerInfo_Destroy(p); }
};
struct JsMsgMetaDataDeleter {
  void operator()(jsMsgMetaData* p) const { jsMsgMetaData_Destroy(p); }
};

using NatsOptionsPtr = std::unique_ptr<natsOptions, NatsOptionsDeleter>;
using NatsConnectionPtr = std::unique_ptr<natsConnection, NatsConnectionDeleter>;
using JsCtxPtr = std::unique_ptr<jsCtx, JsCtxDeleter>;
using NatsSubscriptionPtr = std::unique_ptr<natsSubscription, NatsSubscriptionDeleter>;
using NatsMsgPtr = std::unique_ptr<natsMsg, NatsMsgDeleter>;
using JsPubAckPtr = std::unique_ptr<jsPubAck, JsPubAckDeleter>;
using JsStreamInfoPtr = std::unique_ptr<jsStreamInfo, JsStreamInfoDeleter>;
using JsConsumerInfoPtr = std::unique_ptr<jsConsumerInfo, JsConsumerInfoDeleter>;
using JsMsgMetaDataPtr = std::unique_ptr<jsMsgMetaData, JsMsgMetaDataDeleter>;

// Owns the messages of a natsMsgList (what natsSubscription_Fetch fills in).
class NatsMsgList {
 public:
  NatsMsgList() = default;
  NatsMsgList(const NatsMsgList&) = delete;
  NatsMsgList& operator=(const NatsMsgList&) = delete;
  ~NatsMsgList() { natsMsgList_Destroy(&list_); }

  natsMsgList* get() { return &list_; }
  int size() const { return list_.Count; }
  // Moves message `i` out of the list; the list no longer frees it.
  NatsMsgPtr Release(int i) {
    NatsMsgPtr msg(list_.Msgs[i]);
    list_.Msgs[i] = nullptr;
    return msg;
  }

 private:
  natsMsgList list_{};
};

}  // namespace conclave::bus::internal
