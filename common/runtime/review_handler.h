// ReviewHandler: the one place a reviewer's work is done, whatever the transport. The gRPC
// service and the bus workers both call Handle(); it validates the request, runs the
// Reviewer, times it, counts it in the metrics, and turns failures into a ReviewResponse
// with error_code and a message naming the change. Thread-safe.
#pragma once

#include <string>

#include "common/metrics/metrics.h"
#include "common/runtime/reviewer.h"
#include "conclave/v1/review.pb.h"

namespace conclave::runtime {

class ReviewHandler {
 public:
  // `reviewer` and `registry` must outlive the handler.
  ReviewHandler(const Reviewer* reviewer, metrics::Registry* registry, std::string replica);

  // `transport` is "grpc" or "bus" (a metrics label).
  conclave::v1::ReviewResponse Handle(const conclave::v1::ReviewRequest& request,
                                      const std::string& transport) const;

  const Reviewer& reviewer() const { return *reviewer_; }

 private:
  const Reviewer* reviewer_;
  std::string replica_;
  metrics::Family<metrics::Counter>* reviews_;
  metrics::Family<metrics::Histogram>* seconds_;
  metrics::Family<metrics::Counter>* findings_;
};

}  // namespace conclave::runtime
