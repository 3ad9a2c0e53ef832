#include "common/bus/internal/nats_message.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/bus/internal/nats_status.h"

namespace conclave::bus::internal {

absl::StatusOr<NatsMsgPtr> ToNatsMsg(const Message& msg) {
  natsMsg* raw = nullptr;
  natsStatus s = natsMsg_Create(&raw, msg.subject.c_str(), /*reply=*/nullptr, msg.data.data(),
                                static_cast<int>(msg.data.size()));
  NatsMsgPtr out(raw);
  if (s != NATS_OK) return NatsError(absl::StrCat("message for ", msg.subject), s);
  for (const auto& [key, value] : msg.headers) {
    s = natsMsgHeader_Set(out.get(), key.c_str(), value.c_str());
    if (s != NATS_OK) return NatsError(absl::StrCat("header ", key), s);
  }
  return out;
}

Message FromNatsMsg(natsMsg* msg) {
  Message out;
  const char* subject = natsMsg_GetSubject(msg);
  out.subject = subject != nullptr ? subject : "";
  const char* data = natsMsg_GetData(msg);
  if (data != nullptr) out.data.assign(data, natsMsg_GetDataLength(msg));
  const char** keys = nullptr;
  int count = 0;
  if (natsMsgHeader_Keys(msg, &keys, &count) != NATS_OK) return out;
  for (int i = 0; i < count; ++i) {
    const char* value = nullptr;
    if (natsMsgHeader_Get(msg, keys[i], &value) == NATS_OK && value != nullptr) {
      out.headers[keys[i]] = value;
    }
  }
  free(static_cast<void*>(keys));
  return out;
}

size_t WireSize(const Message& msg) {
  if (msg.headers.empty()) return msg.data.size();
  size_t header_bytes = sizeof("NATS/1.0\r\n") - 1 + 2;
  for (const auto& [key, value] : msg.headers) header_bytes += key.size() + 2 + value.size() + 2;
  return msg.data.size() + header_bytes;
}

}  // namespace conclave::bus::internal
