#include "agents/analysis/rule.h"

namespace conclave::analysis {

conclave::v1::RuleInfo ToRuleInfo(const RuleSpec& rule) {
  conclave::v1::RuleInfo info;
  info.set_id(std::string(rule.id));
  info.set_name(std::string(rule.name));
  info.set_default_severity(rule.severity);
  info.set_cwe(rule.cwe);
  info.set_description(std::string(rule.description));
  info.set_remediation(std::string(rule.remediation));
  return info;
}

conclave::v1::Finding& FindingCollector::Add(const RuleSpec& rule, Location at, std::string message,
                                             std::string suggestion, int last_line) {
  ScopedFinding& scoped = findings_.emplace_back();
  scoped.first_line = at.line;
  scoped.last_line = last_line > at.line ? last_line : at.line;
  conclave::v1::Finding& f = scoped.finding;
  f.set_rule_id(std::string(rule.id));
  f.set_severity(rule.severity);
  f.set_cwe(rule.cwe);
  f.set_file(file_);
  f.set_line(at.line);
  f.set_column(at.column);
  f.set_message(std::move(message));
  f.set_suggestion(std::move(suggestion));
  f.set_confidence(rule.confidence);
  return f;
}

std::string_view SeverityName(conclave::v1::Severity severity) {
  switch (severity) {
    case conclave::v1::SEVERITY_INFO:
      return "INFO";
    case conclave::v1::SEVERITY_LOW:
      return "LOW";
    case conclave::v1::SEVERITY_MEDIUM:
      return "MEDIUM";
    case conclave::v1::SEVERITY_HIGH:
      return "HIGH";
    case conclave::v1::SEVERITY_CRITICAL:
      return "CRITICAL";
    default:
      return "UNSPECIFIED";
  }
}

std::string Quote(std::string_view text, size_t max) {
  // One line only: a multi-line expression is cut at its first newline.
  const size_t newline = text.find('\n');
  bool cut = newline != std::string_view::npos;
  if (cut) text = text.substr(0, newline);
  if (text.size() > max) {
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out(text);
  if (cut) out += "…";
  return out;
}

}  // namespace conclave::analysis
