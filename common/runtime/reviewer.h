// Reviewer: what a reviewer agent is, independent of transport. The agent runtime serves one
// Reviewer over gRPC (its own service in proto/) and over the bus (conclave.task.<name>.Review)
// with the same Review() call. Implementations must be thread-safe: the runtime calls Review()
// from several worker threads at once.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/flags/flags.h"
#include "common/metrics/metrics.h"
#include "conclave/v1/change.pb.h"
#include "conclave/v1/review.pb.h"

namespace conclave::runtime {

class Reviewer {
 public:
  virtual ~Reviewer() = default;
  // "security", "performance" or "architecture": the agent kind, bus subject and vote name.
  virtual std::string name() const = 0;
  // Rule-pack version, e.g. "1.0.0".
  virtual std::string version() const = 0;
  virtual conclave::v1::ListRulesResponse ListRules() const = 0;
  // Reviews a change. InvalidArgument for a change that cannot be reviewed at all (no files,
  // malformed diff); problems in single files (not UTF-8, too large, unknown language, does
  // not parse) are findings, not errors.
  virtual absl::StatusOr<conclave::v1::Vote> Review(const conclave::v1::Change& change) const = 0;

  // Serving hooks, called by RunReviewerServer on the main thread before the first Review():
  // DefineFlags adds the reviewer's own flags (shown in --help, with CONCLAVE_* fallbacks);
  // Prepare runs once the flags are parsed, with the process's metrics registry (which outlives
  // serving). An error from Prepare is printed and stops the process with exit code 2.
  virtual void DefineFlags(flags::FlagSet& /*flags*/) {}
  virtual absl::Status Prepare(metrics::Registry* /*registry*/) { return absl::OkStatus(); }
};

}  // namespace conclave::runtime
