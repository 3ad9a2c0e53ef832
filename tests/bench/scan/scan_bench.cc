// Review speed of the three reviewers against Bandit, measured in the same run on the same
// files: every *.py under a root (default /usr/lib/python3.11, the standard library).
//
//   profile     one thread, each phase timed alone: read, UTF-8 check, parse (Conclave's
//               parser, tree-sitter for the files it declines), index, and each pack's rules —
//               where the time goes; and, for comparison, tree-sitter alone over every file
//   in-process  the three packs over each file, parsed and indexed once
//               (AnalyzeFileWithPacks, the code `scan` runs), then each pack's change-level
//               step over the whole tree as one change, on 1 and on all hardware threads
//   cache       the security reviewer (AnalysisReviewer with its review cache) over the corpus as
//               changes of 20 files, then the same changes resubmitted
//   processes   `conclave-security scan`, `conclave-performance scan` and
//               `conclave-architecture scan` run one after the other as a CI job would (each
//               with its default --jobs), with --format json to /dev/null
//   bandit      /usr/bin/bandit -r -q -f json -o /dev/null ROOT
// Lines are counted once, by us, over the same files, so lines/s compare like for like.
// Peak memory is each child's maximum RSS (wait4) and this process's own for in-process.
// Usage: scan_bench [--root DIR] [--bandit PATH] [--no-bandit]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "agents/analysis/analysis_reviewer.h"
#include "agents/analysis/change_analysis.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/input_rules.h"
#include "agents/analysis/parsed_module.h"
#include "agents/analysis/python_parser.h"
#include "agents/analysis/review_policy.h"
#include "agents/architecture/architecture_pack.h"
#include "agents/performance/performance_pack.h"
#include "agents/security/security_pack.h"

namespace conclave::bench {
namespace {

namespace fs = std::filesystem;
using analysis::RulePack;

struct Corpus {
  std::vector<change::ReviewFile> files;
  int64_t lines = 0;
  int64_t bytes = 0;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

Corpus LoadCorpus(const fs::path& root) {
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") paths.push_back(entry);
  }
  std::sort(paths.begin(), paths.end());
  Corpus corpus;
  for (const fs::path& p : paths) {
    change::ReviewFile f;
    f.path = p.generic_string();
    f.content = ReadAll(p);
    f.language = "python";
    corpus.lines += analysis::CountLines(f.content);
    corpus.bytes += static_cast<int64_t>(f.content.size());
    corpus.files.push_back(std::move(f));
  }
  return corpus;
}

double Seconds(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

double CpuSeconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return CpuSeconds(usage);
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// ---- where the time goes (one thread) ----

void Profile(const Corpus& corpus, const std::vector<const RulePack*>& packs) {
  double read_s = 0, utf8_s = 0, parse_s = 0, index_s = 0, fast_s = 0, tree_sitter_s = 0;
  int declined = 0;
  std::vector<double> rules_s(packs.size(), 0.0);
  for (const change::ReviewFile& f : corpus.files) {
    absl::Time t = absl::Now();
    const std::string content = ReadAll(f.path);
    read_s += Seconds(t);
    t = absl::Now();
    analysis::FindingCollector input(f.path);
    if (!analysis::CheckUtf8(f, input)) continue;
    utf8_s += Seconds(t);
    t = absl::Now();
    absl::StatusOr<analysis::TreeHandle> tree = analysis::ParsePython(content);
    parse_s += Seconds(t);
    t = absl::Now();
    if (analysis::ParsePythonFast(content) == nullptr) ++declined;
    fast_s += Seconds(t);
    t = absl::Now();
    absl::StatusOr<analysis::TreeHandle> ts_tree = analysis::ParsePythonWithTreeSitter(content);
    tree_sitter_s += Seconds(t);
    t = absl::Now();
    // Parse() parses again and indexes; the index's share is the difference.
    absl::StatusOr<analysis::ParsedModule> module = analysis::ParsedModule::Parse(f.path, content);
    index_s += Seconds(t);
    if (!module.ok()) continue;
    for (size_t i = 0; i < packs.size(); ++i) {
      t = absl::Now();
      analysis::FindingCollector out(f.path);
      packs[i]->Check(*module, out);
      rules_s[i] += Seconds(t);
    }
  }
  index_s = std::max(0.0, index_s - parse_s);
  double total = read_s + utf8_s + parse_s + index_s;
  for (double r : rules_s) total += r;
  auto row = [&](const char* name, double s) {
    std::printf("  %-22s %8.3f s  %5.1f %%\n", name, s, 100.0 * s / total);
  };
  std::printf("where the time goes (one thread, each phase alone):\n");
  row("read", read_s);
  row("UTF-8 check", utf8_s);
  row("parse", parse_s);
  row("index (ParsedModule)", index_s);
  for (size_t i = 0; i < packs.size(); ++i) {
    row(("rules: " + std::string(packs[i]->reviewer())).c_str(), rules_s[i]);
  }
  row("total", total);
  std::printf("  parse = Conclave's parser, %.3f s (it declined %d of %zu files), then tree-sitter\n"
              "  for those; tree-sitter alone over every file: %.3f s (%.1fx the parse)\n",
              fast_s, declined, corpus.files.size(), tree_sitter_s,
              parse_s > 0 ? tree_sitter_s / parse_s : 0.0);
}

// ---- in-process: three packs over each file, parsed once ----

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;
  int64_t findings = 0;
};

// Like `scan` over the whole tree as one change: each file parsed once for all packs, then each
// pack's change-level step (import cycles, duplicated blocks) over the summaries it kept.
Run AnalyzeAll(const Corpus& corpus, const std::vector<const RulePack*>& packs, int threads) {
  std::atomic<size_t> next{0};
  std::atomic<int64_t> findings{0};
  // summaries[p][i]: what pack p kept of file i for its change-level step.
  std::vector<std::vector<std::optional<analysis::ChangeFile>>> summaries(
      packs.size(), std::vector<std::optional<analysis::ChangeFile>>(corpus.files.size()));
  auto work = [&] {
    int64_t mine = 0;
    for (size_t i = next++; i < corpus.files.size(); i = next++) {
      std::vector<analysis::FileAnalysis> results =
          analysis::AnalyzeFileWithPacks(packs, corpus.files[i]);
      for (size_t p = 0; p < results.size(); ++p) {
        mine += static_cast<int64_t>(results[p].findings.size());
        summaries[p][i] = std::move(results[p].change_file);
      }
    }
    findings += mine;
  };
  const absl::Time start = absl::Now();
  const double cpu_start = SelfCpuSeconds();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  const analysis::ReviewPolicy no_policy;
  for (size_t p = 0; p < packs.size(); ++p) {
    std::vector<analysis::ChangeFile> files;
    for (std::optional<analysis::ChangeFile>& f : summaries[p]) {
      if (f) files.push_back(std::move(*f));
    }
    std::vector<conclave::v1::Finding> change_findings, suppressed;
    analysis::RunChangeStep(*packs[p], no_policy, std::move(files), change_findings, suppressed);
    findings += static_cast<int64_t>(change_findings.size());
  }
  return {Seconds(start), SelfCpuSeconds() - cpu_start, findings.load()};
}

// ---- the review cache: the corpus reviewed as changes, then resubmitted ----

struct CacheRun {
  double cold_seconds = 0;
  double warm_seconds = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  size_t bytes = 0;
};

// The security reviewer (the slowest pack) reviews the corpus as changes of `per_change` whole
// files through AnalysisReviewer, as the bus and gRPC deliver them, then every change again.
CacheRun ReviewTwice(const Corpus& corpus, int per_change) {
  analysis::AnalysisReviewer reviewer(security::NewSecurityPack());
  reviewer.EnableCache({.max_entries = corpus.files.size(), .max_bytes = size_t{256} << 20});
  std::vector<conclave::v1::Change> changes;
  for (size_t i = 0; i < corpus.files.size(); i += per_change) {
    conclave::v1::Change& c = changes.emplace_back();
    c.set_target_service("bench");
    c.set_environment("prod");
    for (size_t j = i; j < std::min(corpus.files.size(), i + per_change); ++j) {
      conclave::v1::SourceFile* f = c.add_files();
      // Change paths are relative (ValidateChange refuses absolute ones).
      f->set_path(corpus.files[j].path.substr(corpus.files[j].path.find_first_not_of('/')));
      f->set_content(corpus.files[j].content);
    }
  }
  auto review_all = [&] {
    const absl::Time start = absl::Now();
    for (const conclave::v1::Change& c : changes) {
      if (absl::StatusOr<conclave::v1::Vote> vote = reviewer.Review(c); !vote.ok()) {
        std::printf("  (a review failed: %s)\n", vote.status().ToString().c_str());
      }
    }
    return Seconds(start);
  };
  CacheRun run;
  run.cold_seconds = review_all();
  run.warm_seconds = review_all();
  const analysis::ReviewCacheStats stats = reviewer.cache()->stats();
  run.hits = stats.hits;
  run.misses = stats.misses;
  run.bytes = stats.bytes;
  return run;
}

// ---- child processes ----

struct Child {
  bool ok = false;
  int status = -1;
  double seconds = 0;
  double cpu_seconds = 0;
  double peak_rss_mb = 0;
};

Child RunChild(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const absl::Time start = absl::Now();
  const pid_t pid = fork();
  if (pid == 0) {
    // Bandit draws a progress bar on standard error; the figures are ours to print.
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  Child child;
  if (pid < 0) return child;
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return child;
  child.seconds = Seconds(start);
  child.ok = WIFEXITED(status) && WEXITSTATUS(status) != 127;
  child.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  child.cpu_seconds = CpuSeconds(usage);
  child.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return child;
}

fs::path BinDir(const char* argv0) {
  if (const char* dir = std::getenv("CONCLAVE_BIN_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return fs::absolute(argv0).parent_path().parent_path() / "bin";
}

// Wall time is what a user waits; CPU time (user + system) is what the machine spends, and
// moves less when other work shares the cores.
void PrintRate(const char* name, int64_t lines, double seconds, double cpu_seconds, double rss_mb) {
  std::printf("  %-42s %6.2f s %8.0f lines/s  cpu %6.2f s  peak RSS %6.1f MB\n", name, seconds,
              seconds > 0 ? static_cast<double>(lines) / seconds : 0.0, cpu_seconds, rss_mb);
}

int Main(int argc, char** argv) {
  fs::path root = "/usr/lib/python3.11";
  std::string bandit = "/usr/bin/bandit";
  bool run_bandit = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (arg == "--bandit" && i + 1 < argc) {
      bandit = argv[++i];
    } else if (arg == "--no-bandit") {
      run_bandit = false;
    } else {
      std::fprintf(stderr, "usage: scan_bench [--root DIR] [--bandit PATH] [--no-bandit]\n");
      return 2;
    }
  }
  const Corpus corpus = LoadCorpus(root);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::printf("corpus: %s, %zu files, %lld lines, %.1f MB; %d hardware threads\n", root.c_str(),
              corpus.files.size(), static_cast<long long>(corpus.lines),
              static_cast<double>(corpus.bytes) / 1e6, hw);

  const auto security = security::NewSecurityPack();
  const auto performance = performance::NewPerformancePack();
  const auto architecture = architecture::NewArchitecturePack();
  const std::vector<const RulePack*> packs = {security.get(), performance.get(),
                                              architecture.get()};
  Profile(corpus, packs);

  std::printf("\nthroughput, all three reviewers (lines/s = %lld lines / wall time):\n",
              static_cast<long long>(corpus.lines));
  AnalyzeAll(corpus, packs, hw);  // warm-up: page cache, allocator, grammar tables
  const Run one = AnalyzeAll(corpus, packs, 1);
  PrintRate("in-process, parse once, 1 thread", corpus.lines, one.seconds, one.cpu_seconds,
            PeakRssMb());
  const Run all = AnalyzeAll(corpus, packs, hw);
  const std::string all_name = "in-process, parse once, " + std::to_string(hw) + " threads";
  PrintRate(all_name.c_str(), corpus.lines, all.seconds, all.cpu_seconds, PeakRssMb());
  std::printf("  (%lld findings)\n", static_cast<long long>(all.findings));

  const CacheRun cache = ReviewTwice(corpus, 20);
  std::printf(
      "\nreview cache (security reviewer, the corpus as changes of 20 files, then resubmitted):\n"
      "  first review   %6.2f s   %8.0f lines/s\n"
      "  resubmitted    %6.2f s   %8.0f lines/s   %.0fx faster; %llu hits, %llu misses, "
      "%.1f MB cached\n",
      cache.cold_seconds, static_cast<double>(corpus.lines) / cache.cold_seconds,
      cache.warm_seconds, static_cast<double>(corpus.lines) / cache.warm_seconds,
      cache.cold_seconds / cache.warm_seconds, static_cast<unsigned long long>(cache.hits),
      static_cast<unsigned long long>(cache.misses), static_cast<double>(cache.bytes) / 1e6);

  const fs::path bin = BinDir(argv[0]);
  double processes_s = 0, processes_cpu = 0, processes_rss = 0;
  bool processes_ok = true;
  for (const char* name : {"security", "performance", "architecture"}) {
    const std::string exe = (bin / ("conclave-" + std::string(name))).string();
    const Child c =
        RunChild({exe, "scan", "--format", "json", "--output", "/dev/null", root.string()});
    processes_ok = processes_ok && c.ok && c.status <= 1;
    processes_s += c.seconds;
    processes_cpu += c.cpu_seconds;
    processes_rss = std::max(processes_rss, c.peak_rss_mb);
    const std::string label = "conclave-" + std::string(name) + " scan";
    PrintRate(label.c_str(), corpus.lines, c.seconds, c.cpu_seconds, c.peak_rss_mb);
  }
  if (!processes_ok) std::printf("  (a scan process failed to run from %s)\n", bin.c_str());
  PrintRate("three scan processes, one after the other", corpus.lines, processes_s, processes_cpu,
            processes_rss);

  if (!run_bandit) return 0;
  const Child b = RunChild({bandit, "-r", "-q", "-f", "json", "-o", "/dev/null", root.string()});
  if (!b.ok) {
    std::printf("  bandit: could not run %s\n", bandit.c_str());
    return 1;
  }
  PrintRate("bandit -r (all its plugins)", corpus.lines, b.seconds, b.cpu_seconds, b.peak_rss_mb);
  std::printf("\nratio to Bandit (target >= 30x its lines/s, memory < 500 MB):   wall    cpu\n");
  auto ratio = [&](const std::string& name, double wall, double cpu) {
    std::printf("  %-58s %5.1fx %5.1fx\n", name.c_str(), b.seconds / wall, b.cpu_seconds / cpu);
  };
  ratio("in-process, parse once, " + std::to_string(hw) + " threads", all.seconds, all.cpu_seconds);
  ratio("in-process, parse once, 1 thread", one.seconds, one.cpu_seconds);
  ratio("three scan processes, one after the other", processes_s, processes_cpu);
  return 0;
}

}  // namespace
}  // namespace conclave::bench

int main(int argc, char** argv) { return conclave::bench::Main(argc, argv); }
