// Logging: spdlog set up once per process, as text for people or JSON lines for machines.
// Every line carries the change id and W3C trace id of the work the thread is doing, set with
// ScopedLogContext. Thread-safe; the context is per thread.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "spdlog/spdlog.h"

// Debian's abseil has its own string_view type (not std::string_view); this lets log lines
// format it, e.g. spdlog::info("{}", status.message()).
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(absl::string_view s, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(s.data(), s.size()), ctx);
  }
};

namespace conclave::log {

struct LogOptions {
  // Process name on every line ("conclave-supervisor").
  std::string process;
  // "text" or "json".
  std::string format = "text";
  // "trace", "debug", "info", "warn", "error".
  std::string level = "info";
};

// Installs the default logger (stderr). InvalidArgument for an unknown format or level.
absl::Status InitLogging(const LogOptions& options);

// Sets the change id and trace id logged by this thread until destroyed; restores the
// previous values then, so scopes nest.
class ScopedLogContext {
 public:
  ScopedLogContext(std::string change_id, std::string trace_id);
  ~ScopedLogContext();
  ScopedLogContext(const ScopedLogContext&) = delete;
  ScopedLogContext& operator=(const ScopedLogContext&) = delete;

 private:
  std::string saved_change_id_;
  std::string saved_trace_id_;
};

// The trace id of a W3C traceparent ("00-<trace>-<span>-<flags>"), or "" when malformed.
std::string TraceIdOf(const std::string& traceparent);
// A new traceparent with random trace and span ids.
std::string NewTraceparent();

}  // namespace conclave::log
