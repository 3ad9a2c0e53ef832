#include "common/log/log.h"

#include <random>

#include "absl/strings/str_format.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace conclave::log {
namespace {

thread_local std::string t_change_id;
thread_local std::string t_trace_id;

void AppendJsonEscaped(std::string_view in, spdlog::memory_buf_t& out) {
  for (char c : in) {
    switch (c) {
      case '"': out.append(std::string_view("\\\"")); break;
      case '\\': out.append(std::string_view("\\\\")); break;
      case '\n': out.append(std::string_view("\\n")); break;
      case '\r': out.append(std::string_view("\\r")); break;
      case '\t': out.append(std::string_view("\\t")); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::string esc = absl::StrFormat("\\u%04x", c);
          out.append(std::string_view(esc));
        } else {
          out.push_back(c);
        }
    }
  }
}

// %& in text patterns: " change=<id> trace=<id>" when set.
class TextContextFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    if (!t_change_id.empty()) {
      dest.append(std::string_view(" change="));
      dest.append(std::string_view(t_change_id));
    }
    if (!t_trace_id.empty()) {
      dest.append(std::string_view(" trace="));
      dest.append(std::string_view(t_trace_id));
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<TextContextFlag>();
  }
};

// %& in JSON patterns: the context fields and the escaped message, as JSON members.
class JsonBodyFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    if (!t_change_id.empty()) {
      dest.append(std::string_view("\"change_id\":\""));
      AppendJsonEscaped(t_change_id, dest);
      dest.append(std::string_view("\","));
    }
    if (!t_trace_id.empty()) {
      dest.append(std::string_view("\"trace_id\":\""));
      AppendJsonEscaped(t_trace_id, dest);
      dest.append(std::string_view("\","));
    }
    dest.append(std::string_view("\"msg\":\""));
    AppendJsonEscaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    dest.push_back('"');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonBodyFlag>();
  }
};

}  // namespace

absl::Status InitLogging(const LogOptions& options) {
  const spdlog::level::level_enum level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return absl::InvalidArgumentError("unknown log level '" + options.level +
                                      "' (trace, debug, info, warn, error)");
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc, std::string("\n"));
  if (options.format == "json") {
    formatter->add_flag<JsonBodyFlag>('&').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","process":"%n","pid":%P,%&})");
  } else if (options.format == "text") {
    formatter->add_flag<TextContextFlag>('&').set_pattern(
        "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n[%P]%& %v");
  } else {
    return absl::InvalidArgumentError("unknown log format '" + options.format +
                                      "' (text, json)");
  }
  auto logger = std::make_shared<spdlog::logger>(
      options.process, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  return absl::OkStatus();
}

ScopedLogContext::ScopedLogContext(std::string change_id, std::string trace_id)
    : saved_change_id_(std::move(t_change_id)), saved_trace_id_(std::move(t_trace_id)) {
  t_change_id = std::move(change_id);
  t_trace_id = std::move(trace_id);
}

ScopedLogContext::~ScopedLogContext() {
  t_change_id = std::move(saved_change_id_);
  t_trace_id = std::move(saved_trace_id_);
}

std::string TraceIdOf(const std::string& traceparent) {
  // 00-<32 hex>-<16 hex>-<2 hex>
  if (traceparent.size() != 55 || traceparent[2] != '-' || traceparent[35] != '-') return "";
  return traceparent.substr(3, 32);
}

std::string NewTraceparent() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("00-%016x%016x-%016x-01", rng(), rng(), rng());
}

}  // namespace conclave::log
