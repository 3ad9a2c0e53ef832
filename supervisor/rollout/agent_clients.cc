#include "supervisor/rollout/agent_clients.h"

#include "absl/strings/str_cat.h"

namespace conclave::supervisor {
namespace {

using conclave::v1::TrafficState;

// Decodes a result message into Response, turning error_code/error_message into a status.
template <typename Response>
absl::StatusOr<Response> Decode(const absl::StatusOr<bus::Message>& result, const char* what) {
  if (!result.ok()) return result.status();
  Response response;
  if (!response.ParseFromString(result->data)) {
    return absl::DataLossError(absl::StrCat("malformed ", what, " result on ", result->subject,
                                            " (", result->data.size(), " bytes)"));
  }
  if (response.error_code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(response.error_code()),
                        absl::StrCat(what, " failed: ", response.error_message()));
  }
  return response;
}

class BusTrafficClient final : public TrafficClient {
 public:
  explicit BusTrafficClient(AgentCalls* calls) : calls_(calls) {}

  absl::StatusOr<TrafficState> SetTrafficSplit(const conclave::v1::SetTrafficSplitRequest& request,
                                               const std::string& traceparent,
                                               absl::Duration timeout) override {
    return Decode<TrafficState>(
        calls_->Call(kDevopsAgentName, "SetTrafficSplit", request.SerializeAsString(),
                     request.operation_id(), request.change_id(), traceparent, timeout),
        "SetTrafficSplit");
  }

  absl::StatusOr<TrafficState> GetTrafficState(const conclave::v1::GetTrafficStateRequest& request,
                                               const std::string& traceparent,
                                               absl::Duration timeout) override {
    return Decode<TrafficState>(
        calls_->Call(kDevopsAgentName, "GetTrafficState", request.SerializeAsString(),
                     request.operation_id(), "", traceparent, timeout),
        "GetTrafficState");
  }

 private:
  AgentCalls* calls_;
};

class BusCanaryJudge final : public CanaryJudge {
 public:
  explicit BusCanaryJudge(AgentCalls* calls) : calls_(calls) {}

  absl::StatusOr<conclave::v1::JudgeResponse> Judge(const conclave::v1::JudgeRequest& request,
                                                    const std::string& traceparent,
                                                    absl::Duration timeout) override {
    return Decode<conclave::v1::JudgeResponse>(
        calls_->Call(kMetricsAgentName, "Judge", request.SerializeAsString(), request.request_id(),
                     request.change_id(), traceparent, timeout),
        "Judge");
  }

 private:
  AgentCalls* calls_;
};

}  // namespace

std::unique_ptr<TrafficClient> NewBusTrafficClient(AgentCalls* calls) {
  return std::make_unique<BusTrafficClient>(calls);
}

std::unique_ptr<CanaryJudge> NewBusCanaryJudge(AgentCalls* calls) {
  return std::make_unique<BusCanaryJudge>(calls);
}

}  // namespace conclave::supervisor
