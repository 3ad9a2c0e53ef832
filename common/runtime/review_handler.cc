#include "common/runtime/review_handler.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "conclave/v1/change.pb.h"

namespace conclave::runtime {

ReviewHandler::ReviewHandler(const Reviewer* reviewer, metrics::Registry* registry,
                             std::string replica)
    : reviewer_(reviewer), replica_(std::move(replica)) {
  reviews_ = registry->AddCounter("conclave_reviews_total",
                                  "Reviews handled, by transport and result.",
                                  {"reviewer", "transport", "result"});
  seconds_ = registry->AddHistogram("conclave_review_duration_seconds",
                                    "Time to review one change.", {"reviewer"});
  findings_ = registry->AddCounter("conclave_findings_total", "Findings reported, by severity.",
                                   {"reviewer", "severity"});
}

conclave::v1::ReviewResponse ReviewHandler::Handle(const conclave::v1::ReviewRequest& request,
                                                   const std::string& transport) const {
  const std::string& change_id = request.change().id();
  conclave::v1::ReviewResponse response;
  response.set_change_id(change_id);
  response.set_reviewer(reviewer_->name());
  const absl::Time start = absl::Now();
  absl::StatusOr<conclave::v1::Vote> vote = reviewer_->Review(request.change());
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  seconds_->With({reviewer_->name()})->Observe(seconds);
  if (!vote.ok()) {
    response.set_error_code(static_cast<int>(vote.status().code()));
    response.set_error_message(
        absl::StrCat("change ", change_id.empty() ? "(no id)" : change_id, ": ",
                     vote.status().message()));
    reviews_->With({reviewer_->name(), transport, "error"})->Increment();
    spdlog::warn("review failed: {}", response.error_message());
    return response;
  }
  vote->set_replica(replica_);
  for (const auto& f : vote->findings()) {
    findings_->With({reviewer_->name(), conclave::v1::Severity_Name(f.severity())})->Increment();
  }
  reviews_->With({reviewer_->name(), transport, conclave::v1::Verdict_Name(vote->verdict())})
      ->Increment();
  spdlog::info("reviewed: {} confidence {:.2f}, {} findings, {} lines in {:.1f} ms",
               conclave::v1::Verdict_Name(vote->verdict()), vote->confidence(),
               vote->findings_size(), vote->lines_analyzed(), seconds * 1e3);
  *response.mutable_vote() = std::move(*vote);
  return response;
}

}  // namespace conclave::runtime
