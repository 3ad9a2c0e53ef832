// conclave-parse-diff: parses Python files with tree-sitter and with Conclave's own parser
// (agents/analysis/python_parser.h) and compares the trees, to prove that the fast parser builds
// exactly tree-sitter's tree for every file it accepts.
//   conclave-parse-diff [--show N] [--quiet] PATH...
// Exit status: 0 when every accepted file's trees are the same, 1 when one differs, 2 on a usage
// error or a file that cannot be read or parsed.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/numbers.h"
#include "agents/analysis/python_parser.h"
#include "agents/analysis/syntax_tree.h"
#include "agents/analysis/tree_diff.h"

namespace {

namespace fs = std::filesystem;
using conclave::analysis::Node;
using conclave::analysis::SyntaxTree;
using conclave::analysis::TreeDifference;
using conclave::analysis::TreeHandle;
using Clock = std::chrono::steady_clock;

constexpr char kUsage[] =
    "usage: conclave-parse-diff [--show N] [--quiet] PATH...\n"
    "Parses each Python file with tree-sitter and with Conclave's own parser and compares the\n"
    "two trees node by node: type, field, flags, extent and children, with comments and line\n"
    "continuations compared apart. A PATH is a file, or a directory searched recursively for\n"
    "*.py (hidden directories and __pycache__ left out). Prints one line for every file whose\n"
    "trees differ, the first N differences in full, how many files the fast parser accepted\n"
    "and declined, and the time each parser took over the accepted files.\n"
    "  --show N  print the first N differences in full (default 3)\n"
    "  --quiet   do not list the files the fast parser declines (each with its line and why)\n"
    "Exit status: 0 every accepted file gives tree-sitter's tree, 1 a file differs (or the fast\n"
    "parser accepts a file tree-sitter finds an error in), 2 usage error or unreadable file.\n";

struct Options {
  int show = 3;
  bool quiet = false;
  std::vector<std::string> paths;
};

// Reads the command line into `options`; the exit status when the program should stop there.
std::optional<int> ParseArguments(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
    } else if (arg == "--show") {
      if (i + 1 >= argc || !absl::SimpleAtoi(argv[i + 1], &options.show) || options.show < 0) {
        std::cerr << "conclave-parse-diff: --show takes a count of 0 or more\n" << kUsage;
        return 2;
      }
      ++i;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "conclave-parse-diff: unknown option " << arg << "\n" << kUsage;
      return 2;
    } else {
      options.paths.push_back(arg);
    }
  }
  if (options.paths.empty()) {
    std::cerr << "conclave-parse-diff: no PATH given\n" << kUsage;
    return 2;
  }
  return std::nullopt;
}

bool SkippedDirectory(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return (name.size() > 1 && name[0] == '.' && name != "..") || name == "__pycache__";
}

// Appends the Python files under `path` (or `path` itself, a file), sorted; false, with the
// reason in `error`, when the path cannot be read.
bool CollectFiles(const std::string& path, std::vector<fs::path>& files, std::string& error) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = path + ": no such file or directory";
    return false;
  }
  if (!fs::is_directory(status)) {
    files.emplace_back(path);
    return true;
  }
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      if (SkippedDirectory(it->path())) it.disable_recursion_pending();
    } else if (it->is_regular_file(type_ec) && it->path().extension() == ".py") {
      found.push_back(it->path());
    }
  }
  if (ec) {
    error = path + ": " + ec.message();
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// The difference to report when the fast parser accepts a file with a syntax error.
TreeDifference AcceptedError(const SyntaxTree& tree, std::string_view source) {
  const TSSymbol error = conclave::analysis::PythonGrammar::Get().error;
  for (uint32_t i = 0; i < tree.size(); ++i) {
    const SyntaxTree::NodeData& d = tree.data(i);
    if (d.symbol != error && !(d.flags & SyntaxTree::kMissing)) continue;
    const std::string dump = conclave::analysis::DumpTree(Node(&tree, i), source, true);
    const size_t line_start = d.start_byte - std::min(d.start.column, d.start_byte);
    const std::string line(source.substr(line_start, source.find('\n', line_start) - line_start));
    return {static_cast<int>(d.start.row) + 1,
            "fast parser accepted a file tree-sitter finds an error in; tree-sitter's first "
            "error node:\n  " +
                dump.substr(0, dump.find('\n') + 1) + "source line " +
                std::to_string(d.start.row + 1) + ": " + line + "\n"};
  }
  return {1, "fast parser accepted a file tree-sitter finds an error in\n"};
}

struct Totals {
  int files = 0, accepted = 0, declined = 0, identical = 0, different = 0, failed = 0;
  double tree_sitter_seconds = 0, fast_seconds = 0, declining_seconds = 0;
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Parses one file both ways and compares; prints what differs.
void CheckFile(const fs::path& path, const Options& options, Totals& totals) {
  ++totals.files;
  std::string source;
  if (!ReadFile(path, source)) {
    std::cerr << path.string() << ": cannot read\n";
    ++totals.failed;
    return;
  }
  const Clock::time_point start = Clock::now();
  conclave::analysis::ParseDeclined why;
  const TreeHandle fast = conclave::analysis::ParsePythonFast(source, &why);
  const Clock::time_point fast_done = Clock::now();
  const absl::StatusOr<TreeHandle> expected = conclave::analysis::ParsePythonWithTreeSitter(source);
  const Clock::time_point tree_sitter_done = Clock::now();
  if (!expected.ok()) {
    std::cerr << path.string() << ": tree-sitter: " << expected.status() << "\n";
    ++totals.failed;
    return;
  }
  if (fast == nullptr) {
    ++totals.declined;
    totals.declining_seconds += Seconds(fast_done - start);
    if (!options.quiet) {
      std::cout << path.string() << ":" << why.line << ": declined by the fast parser: "
                << why.what << "\n";
    }
    return;
  }
  ++totals.accepted;
  totals.fast_seconds += Seconds(fast_done - start);
  totals.tree_sitter_seconds += Seconds(tree_sitter_done - fast_done);
  const SyntaxTree& tree = **expected;
  std::optional<TreeDifference> difference =
      conclave::analysis::NodeHasError(tree.root())
          ? AcceptedError(tree, source)
          : conclave::analysis::FindFirstDifference(tree, *fast, source);
  if (!difference) {
    ++totals.identical;
    return;
  }
  std::cout << path.string() << ": first difference at line " << difference->line << "\n";
  if (totals.different++ < options.show) std::cout << difference->message << "\n";
}

void PrintSummary(const Totals& t) {
  std::cout << "files: " << t.files << ", accepted by the fast parser: " << t.accepted
            << ", declined: " << t.declined << ", identical: " << t.identical
            << ", different: " << t.different;
  if (t.failed > 0) std::cout << ", unreadable: " << t.failed;
  std::cout << "\n" << std::fixed << std::setprecision(3);
  std::cout << "over the " << t.accepted << " accepted files: tree-sitter " << t.tree_sitter_seconds
            << " s, fast parser " << t.fast_seconds << " s";
  if (t.fast_seconds > 0) {
    std::cout << " (speedup " << std::setprecision(1) << t.tree_sitter_seconds / t.fast_seconds
              << "x)" << std::setprecision(3);
  }
  std::cout << "\nthe fast parser took " << t.declining_seconds << " s to decline " << t.declined
            << " files\n";
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const std::optional<int> status = ParseArguments(argc, argv, options)) return *status;
  std::vector<fs::path> files;
  for (const std::string& path : options.paths) {
    std::string error;
    if (!CollectFiles(path, files, error)) {
      std::cerr << "conclave-parse-diff: " << error << "\n";
      return 2;
    }
  }
  Totals totals;
  for (const fs::path& file : files) CheckFile(file, options, totals);
  PrintSummary(totals);
  if (totals.failed > 0) return 2;
  return totals.different > 0 ? 1 : 0;
}
