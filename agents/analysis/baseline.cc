#include "agents/analysis/baseline.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace conclave::analysis {
namespace {

std::string Key(std::string_view rule, std::string_view path, std::string_view fingerprint) {
  std::string key;
  key.reserve(rule.size() + path.size() + fingerprint.size() + 2);
  key.append(rule).append(1, '\0').append(path).append(1, '\0').append(fingerprint);
  return key;
}

uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Messages quote positions ("(app.py:12)") and counts; a run of digits becomes one '0' so a
// finding that moved keeps its fingerprint.
std::string BlankNumbers(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (size_t i = 0; i < message.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(message[i]))) {
      out += message[i];
      continue;
    }
    out += '0';
    while (i + 1 < message.size() && std::isdigit(static_cast<unsigned char>(message[i + 1]))) ++i;
  }
  return out;
}

}  // namespace

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

std::string_view SourceLines::Line(int line) const {
  if (line < 1 || static_cast<size_t>(line) > starts_.size()) return {};
  const size_t start = starts_[line - 1];
  size_t end = static_cast<size_t>(line) < starts_.size() ? starts_[line] - 1 : text_.size();
  if (end > start && text_[end - 1] == '\r') --end;
  return start <= end ? text_.substr(start, end - start) : std::string_view();
}

std::string FindingFingerprint(const conclave::v1::Finding& finding, std::string_view line_text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  hash = Fnv1a(hash, finding.rule_id());
  hash = Fnv1a(hash, std::string_view("\0", 1));
  hash = Fnv1a(hash, Trim(line_text));
  hash = Fnv1a(hash, std::string_view("\0", 1));
  hash = Fnv1a(hash, BlankNumbers(finding.message()));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

absl::StatusOr<Baseline> Baseline::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("--baseline: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<Baseline> baseline = Parse(text.str());
  if (!baseline.ok()) {
    return absl::InvalidArgumentError("--baseline " + path + ": " +
                                      std::string(baseline.status().message()));
  }
  return baseline;
}

absl::StatusOr<Baseline> Baseline::Parse(std::string_view json_text) {
  const nlohmann::json report = nlohmann::json::parse(json_text, nullptr, false);
  if (report.is_discarded() || !report.is_object() || !report.contains("findings") ||
      !report["findings"].is_array()) {
    return absl::InvalidArgumentError("not a JSON report of `scan --format json`");
  }
  Baseline baseline;
  for (const nlohmann::json& f : report["findings"]) {
    if (!f.is_object()) continue;
    const auto rule = f.find("rule_id");
    const auto file = f.find("file");
    const auto fingerprint = f.find("fingerprint");
    if (rule == f.end() || file == f.end() || fingerprint == f.end() || !rule->is_string() ||
        !file->is_string() || !fingerprint->is_string()) {
      return absl::InvalidArgumentError(
          "a finding lacks rule_id, file or fingerprint (write it with this version's scan)");
    }
    ++baseline.remaining_[Key(rule->get<std::string>(), file->get<std::string>(),
                              fingerprint->get<std::string>())];
    ++baseline.entries_;
  }
  return baseline;
}

bool Baseline::Hides(const conclave::v1::Finding& finding, std::string_view fingerprint) {
  const auto it = remaining_.find(Key(finding.rule_id(), finding.file(), fingerprint));
  if (it == remaining_.end() || it->second == 0) return false;
  --it->second;
  return true;
}

}  // namespace conclave::analysis
