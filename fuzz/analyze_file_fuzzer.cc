// Fuzz target: arbitrary bytes as a Python file through AnalyzeFileWithPacks — the input rules
// (UTF-8, language, syntax), ParsedModule::Parse and its index, inline suppressions and all three
// packs' Check — exactly what `scan` and the reviewers run on a file. The first byte picks
// whether the file is whole or rebuilt from a diff (partial, with every third line added), so
// the diff-scoping path is fuzzed too.
#include <string>

#include "agents/analysis/file_analysis.h"
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  conclave::change::ReviewFile file;
  file.path = "fuzz/input.py";
  file.language = "python";
  bool partial = false;
  if (size > 0 && (data[0] == 'P' || data[0] == 'J')) {
    partial = data[0] == 'P';
    if (data[0] == 'J') {
      file.path = "fuzz/input.js";
      file.language = "javascript";
    }
    ++data;
    --size;
  }
  file.content.assign(reinterpret_cast<const char*>(data), size);
  if (partial) {
    file.partial = true;
    const int lines = static_cast<int>(conclave::analysis::CountLines(file.content));
    for (int line = 1; line <= lines; line += 3) file.changed_lines.insert(line);
    if (file.changed_lines.empty()) file.changed_lines.insert(0);
  }
  const std::vector<conclave::analysis::FileAnalysis> results =
      conclave::analysis::AnalyzeFileWithPacks(conclave::fuzz::AllPacks(), file);
  // Every finding names a real position: a line within the file (0 for whole-file findings).
  const int64_t lines = conclave::analysis::CountLines(file.content);
  for (const auto& result : results) {
    for (const auto& finding : result.findings) {
      if (finding.line() < 0 || finding.line() > lines + 1) __builtin_trap();
    }
  }
  return 0;
}
