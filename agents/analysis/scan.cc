#include "agents/analysis/scan.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "absl/strings/numbers.h"
#include "agents/analysis/baseline.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/input_rules.h"
#include "agents/analysis/review_policy.h"
#include "agents/analysis/verdict.h"
#include "common/change/change_files.h"

namespace conclave::analysis {
namespace {

namespace fs = std::filesystem;
using conclave::v1::Finding;
using conclave::v1::Severity;
using json = nlohmann::ordered_json;

constexpr std::string_view kInformationUri =
    "https://github.com/conclave/conclave/blob/main/docs/REVIEWERS.md";
constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string ProgramName(const RulePack& pack) { return "conclave-" + std::string(pack.reviewer()); }

// ---- arguments ----

absl::StatusOr<ScanFormat> ParseFormat(const std::string& value) {
  if (value == "text") return ScanFormat::kText;
  if (value == "json") return ScanFormat::kJson;
  if (value == "sarif") return ScanFormat::kSarif;
  return absl::InvalidArgumentError("--format: '" + value + "' is not one of text, json, sarif");
}

absl::StatusOr<Severity> ParseSeverity(const std::string& value) {
  static constexpr std::array<std::pair<std::string_view, Severity>, 5> kNames = {{
      {"info", conclave::v1::SEVERITY_INFO},
      {"low", conclave::v1::SEVERITY_LOW},
      {"medium", conclave::v1::SEVERITY_MEDIUM},
      {"high", conclave::v1::SEVERITY_HIGH},
      {"critical", conclave::v1::SEVERITY_CRITICAL},
  }};
  std::string lower = value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [name, severity] : kNames) {
    if (lower == name) return severity;
  }
  return absl::InvalidArgumentError("--fail-on: '" + value +
                                    "' is not one of info, low, medium, high, critical");
}

// Splits "--name=value" or takes the next argument as the value.
absl::StatusOr<std::string> OptionValue(const std::vector<std::string>& args, size_t& i,
                                        const std::string& name) {
  const std::string& arg = args[i];
  if (arg.size() > name.size() && arg[name.size()] == '=') return arg.substr(name.size() + 1);
  if (i + 1 >= args.size()) return absl::InvalidArgumentError(name + " needs a value");
  return args[++i];
}

bool IsOption(const std::string& arg, const std::string& name) {
  return arg == name || (arg.rfind(name + "=", 0) == 0);
}

// ---- files ----

struct ScanFile {
  std::string display;  // the path as reported: relative when given relative
  fs::path path;
};

bool SkippedDirectory(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return (name.size() > 1 && name[0] == '.' && name != "..") || name == "__pycache__" ||
         name == "node_modules";
}

absl::Status AddDirectory(const fs::path& root, std::vector<ScanFile>& files) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return absl::InvalidArgumentError(root.string() + ": " + ec.message());
  std::vector<ScanFile> found;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return absl::InvalidArgumentError(root.string() + ": " + ec.message());
    const fs::directory_entry& entry = *it;
    if (entry.is_directory(ec)) {
      if (SkippedDirectory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec)) continue;
    const std::string display = entry.path().lexically_normal().generic_string();
    if (change::LanguageForPath(display).empty()) continue;
    found.push_back({display, entry.path()});
  }
  std::sort(found.begin(), found.end(),
            [](const ScanFile& a, const ScanFile& b) { return a.display < b.display; });
  files.insert(files.end(), found.begin(), found.end());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ScanFile>> CollectFiles(const std::vector<std::string>& paths) {
  std::vector<ScanFile> files;
  for (const std::string& given : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(given, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(given + ": no such file or directory");
    }
    if (fs::is_directory(status)) {
      if (absl::Status s = AddDirectory(given, files); !s.ok()) return s;
    } else if (fs::is_regular_file(status)) {
      files.push_back({fs::path(given).lexically_normal().generic_string(), given});
    } else {
      return absl::InvalidArgumentError(given + ": not a regular file or directory");
    }
  }
  std::set<std::string> seen;
  std::erase_if(files, [&](const ScanFile& f) { return !seen.insert(f.display).second; });
  return files;
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::DataLossError(path.string() + ": read error");
  return content.str();
}

// ---- the report ----

struct ScanResult {
  ReviewTally tally;                      // what is reported: neither suppressed nor hidden
  std::vector<std::string> fingerprints;  // of tally.findings, in the same order
  std::vector<Finding> suppressed;        // by an inline comment
  int baseline_hidden = 0;
  int files_scanned = 0;
};

// One file read and analyzed, or the error that stopped it.
struct FileOutcome {
  absl::Status status;
  FileAnalysis analysis;
  std::vector<std::string> fingerprints;  // of analysis.findings (baseline.h)
};

FileOutcome AnalyzeOnDisk(const RulePack& pack, const ReviewPolicy& policy, const ScanFile& file) {
  absl::StatusOr<std::string> content = ReadFile(file.path);
  if (!content.ok()) return {content.status(), {}};
  change::ReviewFile review;
  review.path = file.display;
  review.content = std::move(*content);
  review.language = change::LanguageForPath(file.display);
  FileOutcome outcome{absl::OkStatus(), AnalyzeFile(pack, review), {}};
  policy.ApplyOverrides(outcome.analysis.findings);
  policy.ApplyOverrides(outcome.analysis.suppressed);
  if (!outcome.analysis.findings.empty()) {
    const SourceLines lines(review.content);
    for (const Finding& f : outcome.analysis.findings) {
      outcome.fingerprints.push_back(FindingFingerprint(f, lines.Line(f.line())));
    }
  }
  return outcome;
}

// The change-level findings of the scan, each with its baseline fingerprint. The trees are
// gone by now, so the few files with a finding are read again for the line's text.
absl::StatusOr<std::vector<std::pair<Finding, std::string>>> RunChangeRules(
    const RulePack& pack, const ReviewPolicy& policy, const std::vector<ScanFile>& files,
    std::vector<ChangeFile> change_files, std::vector<Finding>& suppressed) {
  std::vector<Finding> findings;
  const size_t suppressed_before = suppressed.size();
  RunChangeStep(pack, policy, std::move(change_files), findings, suppressed);
  policy.ApplyOverrides(findings);
  std::vector<Finding> hidden(std::make_move_iterator(suppressed.begin() + suppressed_before),
                              std::make_move_iterator(suppressed.end()));
  suppressed.resize(suppressed_before);
  policy.ApplyOverrides(hidden);
  for (Finding& f : hidden) suppressed.push_back(std::move(f));
  std::vector<std::pair<Finding, std::string>> out;
  if (findings.empty()) return out;
  std::map<std::string_view, const ScanFile*> by_display;
  for (const ScanFile& file : files) by_display.emplace(file.display, &file);
  std::string current_path;
  std::optional<SourceLines> lines;
  std::string content;
  SortFindings(findings);
  for (Finding& f : findings) {
    if (f.file() != current_path) {
      const auto it = by_display.find(f.file());
      absl::StatusOr<std::string> read = it == by_display.end()
                                             ? absl::NotFoundError(f.file() + ": not scanned")
                                             : ReadFile(it->second->path);
      if (!read.ok()) return read.status();
      content = std::move(*read);
      lines.emplace(content);
      current_path = f.file();
    }
    std::string fingerprint = FindingFingerprint(f, lines->Line(f.line()));
    out.emplace_back(std::move(f), std::move(fingerprint));
  }
  return out;
}

// Analyzes the files on `jobs` threads that take the next file from a shared counter (files
// differ in size by orders of magnitude, so a static split would leave a thread idle). Each
// outcome lands in its file's slot and the slots are merged in path order, so the report does
// not depend on the number of threads. The change-level rules then run over the summaries.
absl::StatusOr<ScanResult> Analyze(const RulePack& pack, const ReviewPolicy& policy,
                                   const std::vector<ScanFile>& files, int jobs) {
  std::vector<FileOutcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      outcomes[i] = AnalyzeOnDisk(pack, policy, files[i]);
    }
  };
  const size_t threads = std::min<size_t>(std::max(jobs, 1), std::max<size_t>(files.size(), 1));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  ScanResult result;
  std::vector<std::pair<Finding, std::string>> found;
  std::vector<ChangeFile> change_files;
  for (FileOutcome& outcome : outcomes) {
    if (!outcome.status.ok()) return outcome.status;
    if (outcome.analysis.change_file) {
      change_files.push_back(std::move(*outcome.analysis.change_file));
    }
    for (size_t i = 0; i < outcome.analysis.findings.size(); ++i) {
      found.emplace_back(std::move(outcome.analysis.findings[i]),
                         std::move(outcome.fingerprints[i]));
    }
    outcome.analysis.findings.clear();
    for (Finding& f : outcome.analysis.suppressed) result.suppressed.push_back(std::move(f));
    outcome.analysis.suppressed.clear();
    AddToTally(std::move(outcome.analysis), result.tally);
    ++result.files_scanned;
  }
  absl::StatusOr<std::vector<std::pair<Finding, std::string>>> change_found =
      RunChangeRules(pack, policy, files, std::move(change_files), result.suppressed);
  if (!change_found.ok()) return change_found.status();
  for (auto& entry : *change_found) found.push_back(std::move(entry));
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::forward_as_tuple(a.first.file(), a.first.line(), a.first.column(),
                                 a.first.rule_id()) <
           std::forward_as_tuple(b.first.file(), b.first.line(), b.first.column(),
                                 b.first.rule_id());
  });
  for (auto& [finding, fingerprint] : found) {
    result.tally.findings.push_back(std::move(finding));
    result.fingerprints.push_back(std::move(fingerprint));
  }
  SortFindings(result.suppressed);
  return result;
}

// Drops the findings the baseline holds, in report order, so that of several identical
// findings the first ones are the hidden ones.
void ApplyBaseline(Baseline& baseline, ScanResult& r) {
  std::vector<Finding> kept;
  std::vector<std::string> kept_fingerprints;
  for (size_t i = 0; i < r.tally.findings.size(); ++i) {
    if (baseline.Hides(r.tally.findings[i], r.fingerprints[i])) {
      ++r.baseline_hidden;
      continue;
    }
    kept.push_back(std::move(r.tally.findings[i]));
    kept_fingerprints.push_back(std::move(r.fingerprints[i]));
  }
  r.tally.findings = std::move(kept);
  r.fingerprints = std::move(kept_fingerprints);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view VerdictName(conclave::v1::Verdict verdict) {
  switch (verdict) {
    case conclave::v1::VERDICT_APPROVE:
      return "APPROVE";
    case conclave::v1::VERDICT_REQUEST_CHANGES:
      return "REQUEST_CHANGES";
    case conclave::v1::VERDICT_REJECT:
      return "REJECT";
    default:
      return "UNSPECIFIED";
  }
}

// Findings per severity, most severe first.
std::array<int, 5> CountBySeverity(const std::vector<Finding>& findings) {
  std::array<int, 5> counts{};
  for (const Finding& f : findings) {
    const int index = conclave::v1::SEVERITY_CRITICAL - f.severity();
    if (index >= 0 && index < 5) ++counts[index];
  }
  return counts;
}

std::string TextReport(const ScanResult& r, const ScanOptions& o) {
  std::ostringstream out;
  for (const Finding& f : r.tally.findings) {
    out << f.file() << ":" << f.line() << ":" << f.column() << ": " << SeverityName(f.severity())
        << " " << f.rule_id() << " " << f.message() << "\n";
  }
  const std::array<int, 5> c = CountBySeverity(r.tally.findings);
  out << r.tally.findings.size() << (r.tally.findings.size() == 1 ? " finding" : " findings")
      << " (" << c[0] << " critical, " << c[1] << " high, " << c[2] << " medium, " << c[3]
      << " low, " << c[4] << " info) in " << r.files_scanned
      << (r.files_scanned == 1 ? " file" : " files") << ", " << r.tally.lines_covered
      << " lines analyzed; failing at " << SeverityName(o.fail_on) << " or above\n";
  if (!r.suppressed.empty() || r.baseline_hidden > 0) {
    out << "not reported: " << r.suppressed.size() << " suppressed inline, " << r.baseline_hidden
        << " in the baseline\n";
  }
  return out.str();
}

json FindingJson(const Finding& f, std::string_view fingerprint = {}) {
  json j = {{"rule_id", f.rule_id()},
            {"severity", SeverityName(f.severity())},
            {"cwe", f.cwe()},
            {"file", f.file()},
            {"line", f.line()},
            {"column", f.column()},
            {"message", f.message()},
            {"suggestion", f.suggestion()},
            {"confidence", f.confidence()}};
  if (!fingerprint.empty()) j["fingerprint"] = fingerprint;
  return j;
}

std::string JsonReport(const RulePack& pack, const ScanResult& r, const ScanOptions& o,
                       bool failed) {
  const VerdictOutcome v = DecideVerdict(r.tally, pack.reject_policy());
  const std::array<int, 5> c = CountBySeverity(r.tally.findings);
  json report = {
      {"tool", {{"name", ProgramName(pack)}, {"version", pack.version()}}},
      {"files_scanned", r.files_scanned},
      {"files_analyzed", r.tally.files_analyzed},
      {"lines_analyzed", r.tally.lines_covered},
      {"summary",
       {{"critical", c[0]}, {"high", c[1]}, {"medium", c[2]}, {"low", c[3]}, {"info", c[4]}}},
      {"fail_on", Lower(SeverityName(o.fail_on))},
      {"failed", failed},
      {"verdict",
       {{"verdict", VerdictName(v.verdict)},
        {"confidence", v.confidence},
        {"risk", v.risk},
        {"complexity", v.complexity}}},
      {"suppressed", r.suppressed.size()},
      {"baseline_hidden", r.baseline_hidden},
      {"findings", json::array()},
      {"suppressed_findings", json::array()},
  };
  for (size_t i = 0; i < r.tally.findings.size(); ++i) {
    report["findings"].push_back(FindingJson(r.tally.findings[i], r.fingerprints[i]));
  }
  for (const Finding& f : r.suppressed) report["suppressed_findings"].push_back(FindingJson(f));
  return report.dump(2) + "\n";
}

// ---- SARIF 2.1.0 ----

std::string_view SarifLevel(Severity severity) {
  if (severity >= conclave::v1::SEVERITY_HIGH) return "error";
  if (severity == conclave::v1::SEVERITY_MEDIUM) return "warning";
  return "note";
}

// SARIF's precision names for a rule's measured precision.
std::string_view SarifPrecision(double confidence) {
  if (confidence >= 0.9) return "very-high";
  if (confidence >= 0.8) return "high";
  if (confidence >= 0.6) return "medium";
  return "low";
}

// GitHub code scanning ranks security alerts by this CVSS-like score.
std::string_view SecuritySeverity(Severity severity) {
  switch (severity) {
    case conclave::v1::SEVERITY_CRITICAL:
      return "9.5";
    case conclave::v1::SEVERITY_HIGH:
      return "8.0";
    case conclave::v1::SEVERITY_MEDIUM:
      return "5.5";
    case conclave::v1::SEVERITY_LOW:
      return "3.0";
    default:
      return "0.0";
  }
}

std::string FirstSentence(std::string_view text) {
  const size_t end = text.find(". ");
  return std::string(end == std::string_view::npos ? text : text.substr(0, end + 1));
}

json SarifRule(const RulePack& pack, const RuleSpec& rule) {
  json tags = json::array({std::string(pack.reviewer())});
  if (rule.cwe > 0) {
    tags.push_back("external/cwe/cwe-" + std::to_string(rule.cwe));
  }
  json properties = {{"tags", tags}, {"precision", SarifPrecision(rule.confidence)}};
  if (pack.reviewer() == "security" && !IsInputRule(rule.id)) {
    properties["security-severity"] = SecuritySeverity(rule.severity);
  }
  return json{{"id", rule.id},
              {"name", rule.name},
              {"shortDescription", {{"text", FirstSentence(rule.description)}}},
              {"fullDescription", {{"text", rule.description}}},
              {"help", {{"text", rule.remediation}}},
              {"defaultConfiguration", {{"level", SarifLevel(rule.severity)}}},
              {"properties", properties}};
}

// A relative URI reference for the file: '/' separators, unreserved characters kept, the rest
// percent-encoded. Absolute paths become file:// URIs.
std::string ArtifactUri(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = path.starts_with("/") ? "file://" : "";
  for (unsigned char ch : path) {
    if (std::isalnum(ch) || ch == '/' || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      uri += static_cast<char>(ch);
    } else {
      uri += '%';
      uri += kHex[ch >> 4];
      uri += kHex[ch & 15];
    }
  }
  return uri;
}

json SarifResult(const Finding& f, int rule_index) {
  json location = {{"physicalLocation", {{"artifactLocation", {{"uri", ArtifactUri(f.file())}}}}}};
  if (f.line() > 0) {
    json region = {{"startLine", f.line()}};
    if (f.column() > 0) region["startColumn"] = f.column();
    location["physicalLocation"]["region"] = region;
  }
  return json{
      {"ruleId", f.rule_id()},
      {"ruleIndex", rule_index},
      {"level", SarifLevel(f.severity())},
      {"message", {{"text", f.message() + " Fix: " + f.suggestion()}}},
      {"locations", json::array({location})},
      {"properties", {{"severity", SeverityName(f.severity())}, {"confidence", f.confidence()}}}};
}

std::string SarifReport(const RulePack& pack, const ScanResult& r) {
  const std::vector<RuleSpec> rules = AllRules(pack);
  json driver = {{"name", ProgramName(pack)},
                 {"version", pack.version()},
                 {"semanticVersion", pack.version()},
                 {"informationUri", kInformationUri},
                 {"rules", json::array()}};
  for (const RuleSpec& rule : rules) driver["rules"].push_back(SarifRule(pack, rule));
  json results = json::array();
  auto add = [&](const Finding& f) -> json& {
    const auto it = std::find_if(rules.begin(), rules.end(),
                                 [&](const RuleSpec& rule) { return rule.id == f.rule_id(); });
    results.push_back(
        SarifResult(f, it == rules.end() ? -1 : static_cast<int>(it - rules.begin())));
    return results.back();
  };
  for (const Finding& f : r.tally.findings) add(f);
  // SARIF consumers show these as suppressed, not as alerts.
  for (const Finding& f : r.suppressed) {
    add(f)["suppressions"] = json::array({json{{"kind", "inSource"}}});
  }
  json sarif = {{"$schema", kSarifSchema},
                {"version", "2.1.0"},
                {"runs", json::array({json{{"tool", {{"driver", driver}}},
                                           {"columnKind", "unicodeCodePoints"},
                                           {"results", results}}})}};
  return sarif.dump(2) + "\n";
}

bool Fails(const ScanResult& r, Severity fail_on) {
  return std::any_of(r.tally.findings.begin(), r.tally.findings.end(),
                     [&](const Finding& f) { return f.severity() >= fail_on; });
}

absl::Status WriteFile(const std::string& option, const std::string& path,
                       const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    return absl::PermissionDeniedError(option + " " + path +
                                       ": cannot open for writing: " + std::strerror(errno));
  }
  file << text;
  file.close();
  if (!file) return absl::DataLossError(option + " " + path + ": write failed");
  return absl::OkStatus();
}

absl::Status WriteReport(const std::string& report, const ScanOptions& o, std::ostream& out) {
  if (o.output.empty()) {
    out << report;
    out.flush();
    return out ? absl::OkStatus() : absl::DataLossError("cannot write to standard output");
  }
  std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
  if (!file) {
    return absl::PermissionDeniedError("--output " + o.output +
                                       ": cannot open for writing: " + std::strerror(errno));
  }
  file << report;
  file.close();
  if (!file) return absl::DataLossError("--output " + o.output + ": write failed");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ScanOptions> ParseScanArgs(const std::vector<std::string>& args) {
  ScanOptions o;
  bool only_paths = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_paths || arg == "-" || arg.empty() || arg[0] != '-') {
      o.paths.push_back(arg);
    } else if (arg == "--") {
      only_paths = true;
    } else if (arg == "-h" || arg == "--help") {
      o.help = true;
      return o;
    } else if (IsOption(arg, "--format")) {
      absl::StatusOr<std::string> v = OptionValue(args, i, "--format");
      absl::StatusOr<ScanFormat> f = v.ok() ? ParseFormat(*v) : v.status();
      if (!f.ok()) return f.status();
      o.format = *f;
    } else if (IsOption(arg, "--fail-on")) {
      absl::StatusOr<std::string> v = OptionValue(args, i, "--fail-on");
      absl::StatusOr<Severity> s = v.ok() ? ParseSeverity(*v) : v.status();
      if (!s.ok()) return s.status();
      o.fail_on = *s;
    } else if (IsOption(arg, "--output") || arg == "-o") {
      absl::StatusOr<std::string> v = OptionValue(args, i, arg == "-o" ? "-o" : "--output");
      if (!v.ok()) return v.status();
      if (v->empty()) return absl::InvalidArgumentError("--output needs a file name");
      o.output = *v;
    } else if (IsOption(arg, "--policy")) {
      absl::StatusOr<std::string> v = OptionValue(args, i, "--policy");
      if (!v.ok()) return v.status();
      if (v->empty()) return absl::InvalidArgumentError("--policy needs a file name");
      o.policy = *v;
    } else if (IsOption(arg, "--baseline") || IsOption(arg, "--write-baseline")) {
      const std::string name = arg.starts_with("--baseline") ? "--baseline" : "--write-baseline";
      absl::StatusOr<std::string> v = OptionValue(args, i, name);
      if (!v.ok()) return v.status();
      if (v->empty()) return absl::InvalidArgumentError(name + " needs a file name");
      (name == "--baseline" ? o.baseline : o.write_baseline) = *v;
    } else if (IsOption(arg, "--jobs") || arg == "-j") {
      absl::StatusOr<std::string> v = OptionValue(args, i, arg == "-j" ? "-j" : "--jobs");
      if (!v.ok()) return v.status();
      int jobs = 0;
      if (!absl::SimpleAtoi(*v, &jobs) || jobs < 1 || jobs > kMaxScanJobs) {
        return absl::InvalidArgumentError("--jobs: '" + *v + "' is not a number from 1 to " +
                                          std::to_string(kMaxScanJobs));
      }
      o.jobs = jobs;
    } else {
      return absl::InvalidArgumentError("unknown option '" + arg + "'");
    }
  }
  if (o.paths.empty()) return absl::InvalidArgumentError("no PATH to scan");
  return o;
}

int DefaultScanJobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min<unsigned>(n, kMaxScanJobs));
}

std::string ScanUsage(std::string_view program) {
  std::ostringstream u;
  u << "usage: " << program
    << " scan [--format text|json|sarif] [--fail-on info|low|medium|high|critical]\n"
    << "       " << std::string(program.size(), ' ')
    << "      [--output FILE] [--baseline FILE] [--write-baseline FILE]\n"
    << "       " << std::string(program.size(), ' ')
    << "      [--policy FILE] [--jobs N] PATH...\n\n"
    << "Analyzes Python and JavaScript files with the same rules as the " << program.substr(9)
    << " reviewer. A PATH is a file\n(analyzed whatever its "
       "language; an unknown one is reported as INPUT002) or a directory (searched\n"
       "recursively for .py, .pyi, .pyw, .js, .mjs and .cjs files, skipping hidden directories,\n"
       "__pycache__ and node_modules). The files scanned form one change: rules over several files (import\n"
       "cycles, duplicated blocks) see all of them.\n\n"
       "  --format F    text (default: path:line:col: SEVERITY RULE message, then a summary),\n"
       "                json, or sarif (SARIF 2.1.0, for code-scanning uploads)\n"
       "  --fail-on S   exit 1 when a finding is at least this severe (default: low)\n"
       "  --output FILE write the report to FILE instead of standard output\n"
       "  --baseline FILE       do not report findings FILE holds (a JSON report of scan)\n"
       "  --write-baseline FILE write every finding not suppressed inline to FILE as JSON\n"
       "  --policy FILE severity overrides and layering rules from FILE's `review:` section\n"
       "                (docs/POLICY.md); an unknown rule id or layer is a usage error\n"
       "  --jobs N      analyze N files at a time (default: the number of hardware threads);\n"
       "                the report is the same for every N\n\n"
       "Exit status: 0 no finding at or above --fail-on, 1 at least one, 2 usage or I/O error.\n";
  return u.str();
}

int RunScan(const RulePack& pack, const std::vector<std::string>& args, std::ostream& out,
            std::ostream& err) {
  const std::string program = ProgramName(pack);
  absl::StatusOr<ScanOptions> options = ParseScanArgs(args);
  if (!options.ok()) {
    err << program << " scan: " << options.status().message() << " (see " << program
        << " scan --help)\n";
    return kScanUsageError;
  }
  if (options->help) {
    out << ScanUsage(program);
    return kScanClean;
  }
  absl::StatusOr<ReviewPolicy> policy =
      options->policy.empty() ? ReviewPolicy()
                              : ReviewPolicy::LoadFile(options->policy, AllRules(pack));
  if (!policy.ok()) {
    err << program << " scan: --policy: " << policy.status().message() << "\n";
    return kScanUsageError;
  }
  absl::StatusOr<Baseline> baseline =
      options->baseline.empty() ? Baseline() : Baseline::Load(options->baseline);
  absl::StatusOr<std::vector<ScanFile>> files =
      baseline.ok() ? CollectFiles(options->paths)
                    : absl::StatusOr<std::vector<ScanFile>>(baseline.status());
  absl::StatusOr<ScanResult> result = files.ok() ? Analyze(pack, *policy, *files, options->jobs)
                                                 : absl::StatusOr<ScanResult>(files.status());
  if (!result.ok()) {
    err << program << " scan: " << result.status().message() << "\n";
    return kScanUsageError;
  }
  // The new baseline holds every finding not suppressed inline, also those the old one hid.
  if (!options->write_baseline.empty()) {
    const std::string text = JsonReport(pack, *result, *options, Fails(*result, options->fail_on));
    if (absl::Status s = WriteFile("--write-baseline", options->write_baseline, text); !s.ok()) {
      err << program << " scan: " << s.message() << "\n";
      return kScanUsageError;
    }
  }
  ApplyBaseline(*baseline, *result);
  const bool failed = Fails(*result, options->fail_on);
  std::string report;
  switch (options->format) {
    case ScanFormat::kText:
      report = TextReport(*result, *options);
      break;
    case ScanFormat::kJson:
      report = JsonReport(pack, *result, *options, failed);
      break;
    case ScanFormat::kSarif:
      report = SarifReport(pack, *result);
      break;
  }
  if (absl::Status s = WriteReport(report, *options, out); !s.ok()) {
    err << program << " scan: " << s.message() << "\n";
    return kScanUsageError;
  }
  return failed ? kScanFindings : kScanClean;
}

}  // namespace conclave::analysis
