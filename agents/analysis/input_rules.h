// The input rules every reviewer reports before its own: a file that is not UTF-8, in a
// language no rule pack reads (Python and JavaScript are read), or that does not parse is a
// finding, never a silent skip.
// Immutable data and pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "agents/analysis/parsed_module.h"
#include "agents/analysis/rule.h"
#include "common/change/change_files.h"

namespace conclave::analysis {

namespace javascript {
class JsModule;
}  // namespace javascript

extern const RuleSpec kInputNotUtf8;          // INPUT001
extern const RuleSpec kInputUnknownLanguage;  // INPUT002
extern const RuleSpec kInputParseError;       // INPUT003

const std::vector<RuleSpec>& InputRules();

// Whether a rule id is one of the input rules (they concern the whole file, so a diff
// review keeps them whatever lines changed).
bool IsInputRule(std::string_view rule_id);

// Adds INPUT001 with the byte offset and line of the first invalid byte. Returns false when
// the file is not valid UTF-8 (and so cannot be analyzed).
bool CheckUtf8(const change::ReviewFile& file, FindingCollector& out);

// Adds INPUT002 when no rule pack reads the file's language (Python and JavaScript are read).
// Returns false for such files.
bool CheckLanguage(const change::ReviewFile& file, FindingCollector& out);

// Whether the file is JavaScript (language "javascript": .js, .mjs, .cjs), which is parsed into
// a javascript::JsModule instead of a ParsedModule.
bool IsJavaScript(const change::ReviewFile& file);

// Adds INPUT003 at the first syntax error. A whole file that does not parse is MEDIUM; a file
// rebuilt from a diff's hunks often cannot parse on its own, so there it is INFO and the
// rules still read tree-sitter's recovered tree.
void ReportSyntaxError(const change::ReviewFile& file, const ParsedModule& module,
                       FindingCollector& out);
void ReportSyntaxError(const change::ReviewFile& file, const javascript::JsModule& module,
                       FindingCollector& out);

// Adds INPUT003 for a parse that failed outright (it ran past its time limit).
void ReportParseFailure(const change::ReviewFile& file, const absl::Status& status,
                        FindingCollector& out);

}  // namespace conclave::analysis
