#include "agents/analysis/input_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agents/analysis/javascript/js_module.h"

namespace conclave::analysis {

using conclave::v1::SEVERITY_INFO;
using conclave::v1::SEVERITY_LOW;
using conclave::v1::SEVERITY_MEDIUM;

const RuleSpec kInputNotUtf8 = {
    "INPUT001",
    "input-not-utf8",
    SEVERITY_LOW,
    0,
    1.0,
    "The file is not valid UTF-8, so it was not analyzed. Python 3 and JavaScript engines read "
    "source as UTF-8.",
    "Re-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or drop binary files from "
    "the change."};

const RuleSpec kInputUnknownLanguage = {
    "INPUT002",
    "input-unsupported-language",
    SEVERITY_INFO,
    0,
    1.0,
    "No rule pack reads this file's language, so it was not analyzed; it lowers the "
    "confidence of an approval through coverage.",
    "Nothing to fix in the file; review it by hand, or set SourceFile.language when the path's "
    "extension does not tell the language."};

const RuleSpec kInputParseError = {
    "INPUT003",
    "input-syntax-error",
    SEVERITY_MEDIUM,
    0,
    0.99,
    "The file does not parse as its language (Python, or JavaScript for .js/.mjs/.cjs): "
    "tree-sitter found an unexpected or missing token. Rules still ran on the recovered tree, "
    "but its lines do not count as analyzed.",
    "Fix the syntax error at the reported line and column; `python -m py_compile FILE` or "
    "`node --check FILE` shows the interpreter's view."};

const std::vector<RuleSpec>& InputRules() {
  static const std::vector<RuleSpec> rules = {kInputNotUtf8, kInputUnknownLanguage,
                                              kInputParseError};
  return rules;
}

bool IsInputRule(std::string_view rule_id) { return rule_id.substr(0, 5) == "INPUT"; }

bool CheckUtf8(const change::ReviewFile& file, FindingCollector& out) {
  const int64_t bad = change::FirstInvalidUtf8(file.content);
  if (bad < 0) return true;
  const auto begin = file.content.begin();
  const int line = 1 + static_cast<int>(std::count(begin, begin + bad, '\n'));
  const int64_t line_start = static_cast<int64_t>(file.content.rfind('\n', bad) + 1);
  const auto byte = static_cast<unsigned char>(file.content[bad]);
  out.Add(kInputNotUtf8, {line, static_cast<int>(bad - line_start) + 1},
          absl::StrCat(file.path, " is not valid UTF-8: byte 0x", absl::Hex(byte, absl::kZeroPad2),
                       " at byte offset ", bad, " (line ", line,
                       ") does not start a valid sequence; the file was not analyzed"),
          std::string(kInputNotUtf8.remediation));
  return false;
}

bool IsJavaScript(const change::ReviewFile& file) { return file.language == "javascript"; }

bool CheckLanguage(const change::ReviewFile& file, FindingCollector& out) {
  if (file.language == "python" || IsJavaScript(file)) return true;
  out.Add(kInputUnknownLanguage, {0, 0},
          file.language.empty()
              ? absl::StrCat(file.path, ": language not recognized from the file name; ",
                             "not analyzed (only Python and JavaScript are supported)")
              : absl::StrCat(file.path, ": language '", file.language,
                             "' is not supported; not analyzed (only Python and JavaScript are)"),
          std::string(kInputUnknownLanguage.remediation));
  return false;
}

namespace {

void AddSyntaxError(const change::ReviewFile& file, const char* language, Location at,
                    std::string_view what, FindingCollector& out) {
  conclave::v1::Finding& f = out.Add(
      kInputParseError, at,
      absl::StrCat(file.path, " does not parse as ", language, ": ", std::string(what), " at line ",
                   at.line, ", column ", at.column,
                   file.partial ? " (the file was rebuilt from a diff's hunks; the rules read "
                                  "tree-sitter's recovered tree)"
                                : ""),
      std::string(kInputParseError.remediation));
  if (file.partial) f.set_severity(SEVERITY_INFO);
}

}  // namespace

void ReportSyntaxError(const change::ReviewFile& file, const ParsedModule& module,
                       FindingCollector& out) {
  AddSyntaxError(file, "Python", module.first_error(), module.first_error_what(), out);
}

void ReportSyntaxError(const change::ReviewFile& file, const javascript::JsModule& module,
                       FindingCollector& out) {
  AddSyntaxError(file, "JavaScript", module.first_error(),
                 module.first_error_is_missing() ? "a missing token" : "unexpected text", out);
}

void ReportParseFailure(const change::ReviewFile& file, const absl::Status& status,
                        FindingCollector& out) {
  out.Add(kInputParseError, {0, 0},
          absl::StrCat(file.path, " could not be parsed (", status.message(),
                       "); the file was not analyzed"),
          std::string(kInputParseError.remediation));
}

}  // namespace conclave::analysis
