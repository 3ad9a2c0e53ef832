#include "agents/metrics/metrics_bus.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bus/topology.h"
#include "common/log/log.h"

namespace conclave::metrics_agent {
namespace {

namespace v1 = conclave::v1;

std::string MethodOf(const std::string& subject) {
  const size_t dot = subject.rfind('.');
  return dot == std::string::npos ? subject : subject.substr(dot + 1);
}

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

template <typename Request>
absl::StatusOr<Request> Decode(const bus::Message& task) {
  Request request;
  if (!request.ParseFromString(task.data)) {
    return absl::InvalidArgumentError(absl::StrCat("malformed task on ", task.subject, ": ",
                                                   task.data.size(), " bytes that are not a ",
                                                   Request::descriptor()->name()));
  }
  if (!ValidRequestId(request.request_id())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "task on ", task.subject, " has request_id '", request.request_id(),
        "'; the bus needs one (letters, digits, '-', '_') to name the result subject"));
  }
  return request;
}

template <typename Response>
runtime::TaskReply MakeReply(const bus::Delivery& delivery, const std::string& request_id,
                             const std::string& change_id, const Response& response) {
  runtime::TaskReply reply;
  reply.subject = bus::ResultSubject(kMetricsAgent, request_id);
  reply.data = response.SerializeAsString();
  reply.change_id = change_id;
  // A redelivery of the same task is de-duplicated; a new task with the same id is answered.
  reply.msg_id = absl::StrCat(request_id, ".metrics.", delivery.stream_sequence());
  return reply;
}

absl::StatusOr<runtime::TaskReply> HandleJudge(MetricsAgent* agent, const bus::Delivery& d) {
  auto request = Decode<v1::JudgeRequest>(d.message());
  if (!request.ok()) return request.status();
  auto response = agent->Judge(*request);
  if (!response.ok() && !absl::IsInvalidArgument(response.status())) return response.status();
  v1::JudgeResponse out;
  if (response.ok()) {
    out = std::move(*response);
  } else {
    out.set_request_id(request->request_id());
    out.set_verdict(v1::CANARY_VERDICT_UNSPECIFIED);
    out.set_error_code(static_cast<int>(response.status().code()));
    out.set_error_message(std::string(response.status().message()));
  }
  const std::string change_id = request->change_id().empty()
                                    ? d.message().Header(bus::kChangeIdHeader)
                                    : request->change_id();
  return MakeReply(d, request->request_id(), change_id, out);
}

template <typename Request, typename Call>
absl::StatusOr<runtime::TaskReply> HandleSimple(const bus::Delivery& d, Call call) {
  auto request = Decode<Request>(d.message());
  if (!request.ok()) return request.status();
  auto response = call(*request);
  if (!response.ok()) return response.status();
  return MakeReply(d, request->request_id(), d.message().Header(bus::kChangeIdHeader), *response);
}

}  // namespace

absl::StatusOr<std::unique_ptr<bus::Subscription>> SubscribeSamples(bus::Bus& bus,
                                                                    MetricsAgent* agent) {
  return bus.Subscribe(kSampleSubjects, [agent](bus::Message msg) {
    v1::SampleBatch batch;
    if (!batch.ParseFromString(msg.data)) {
      spdlog::warn("dropping a malformed sample batch on {} ({} bytes)", msg.subject,
                   msg.data.size());
      return;
    }
    agent->Ingest(batch);
  });
}

absl::StatusOr<runtime::TaskReply> HandleMetricsTask(MetricsAgent* agent,
                                                     const bus::Delivery& delivery) {
  const std::string method = MethodOf(delivery.message().subject);
  if (method == "Judge") return HandleJudge(agent, delivery);
  if (method == "DetectAnomalies") {
    return HandleSimple<v1::DetectAnomaliesRequest>(
        delivery, [agent](const auto& r) { return agent->DetectAnomalies(r); });
  }
  if (method == "EvaluateGates") {
    return HandleSimple<v1::EvaluateGatesRequest>(
        delivery, [agent](const auto& r) { return agent->EvaluateGates(r); });
  }
  if (method == "GetWindow") {
    return HandleSimple<v1::GetWindowRequest>(
        delivery, [agent](const auto& r) { return agent->GetWindow(r); });
  }
  return absl::InvalidArgumentError(
      absl::StrCat("task on ", delivery.message().subject, " names no MetricsAgent method"));
}

}  // namespace conclave::metrics_agent
