#include "tests/integration/system/conclave_system.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/grpc/server.h"

namespace conclave::testing {
namespace fs = std::filesystem;

namespace {

std::string BinDir() {
  const char* dir = std::getenv("CONCLAVE_BIN_DIR");
  return dir != nullptr ? dir : "build/bin";
}

}  // namespace

std::string TestPolicy(absl::Duration deadline, const std::vector<std::string>& required) {
  std::string voters;
  for (const char* r : {"security", "performance", "architecture"}) {
    const bool req = std::find(required.begin(), required.end(), r) != required.end();
    absl::StrAppend(&voters, "      ", r, ": {weight: 1.0, required: ", req ? "true" : "false",
                    "}\n");
  }
  std::string out = "version: \"test\"\nenvironments:\n";
  for (const char* env : {"dev", "staging", "prod"}) {
    absl::StrAppend(&out, "  ", env, ":\n    voters:\n", voters,
                    "    approval_share: 0.6667\n    reject_min_confidence: 0.8\n",
                    "    review_deadline: ", absl::FormatDuration(deadline), "\n",
                    "    auto_rollout: {min_confidence: 0.85, max_risk: 5, max_complexity: 8}\n");
  }
  return out;
}

absl::StatusOr<std::unique_ptr<ConclaveSystem>> ConclaveSystem::Start(
    const std::string& policy_yaml) {
  std::unique_ptr<ConclaveSystem> sys(new ConclaveSystem());
  std::string templ = (fs::temp_directory_path() / "conclave-system-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  sys->dir_ = templ;
  std::ofstream(sys->dir_ + "/policy.yaml") << policy_yaml;
  auto nats = NatsServer::Start();
  if (!nats.ok()) return nats.status();
  sys->nats_ = std::move(*nats);
  if (absl::Status s = sys->StartSupervisorProcess(); !s.ok()) return s;
  return sys;
}

absl::Status ConclaveSystem::StartSupervisorProcess() {
  const std::string addr_file = absl::StrCat(dir_, "/supervisor.json");
  fs::remove(addr_file);
  auto proc =
      Subprocess::Spawn(BinDir() + "/conclave-supervisor",
                        {"--nats_url", nats_->url(), "--data_dir", dir_ + "/data", "--policy",
                         dir_ + "/policy.yaml", "--addr_file", addr_file, "--tick", "50ms"},
                        dir_ + "/supervisor.log");
  if (!proc.ok()) return proc.status();
  supervisor_ = std::move(*proc);
  auto grpc = WaitForAddressFile(addr_file, "grpc", absl::Seconds(30));
  if (!grpc.ok()) {
    return absl::UnavailableError(absl::StrCat("supervisor did not start: ", supervisor_->Log()));
  }
  stub_ = conclave::v1::Supervisor::NewStub(grpcutil::NewChannel(*grpc));
  return absl::OkStatus();
}

absl::Status ConclaveSystem::RestartSupervisor(bool hard) {
  if (hard) {
    supervisor_->Kill();
  } else {
    supervisor_->Terminate();
  }
  return StartSupervisorProcess();
}

absl::StatusOr<Subprocess*> ConclaveSystem::StartReviewer(
    const std::string& name, const std::vector<std::string>& extra_flags) {
  const int n = ++spawned_;
  const std::string addr_file = absl::StrCat(dir_, "/", name, "-", n, ".json");
  std::vector<std::string> args = {"serve",   "--nats_url", nats_->url(), "--addr_file",
                                   addr_file, "--workers",  "2"};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  auto proc = Subprocess::Spawn(BinDir() + "/conclave-" + name, args,
                                absl::StrCat(dir_, "/", name, "-", n, ".log"));
  if (!proc.ok()) return proc.status();
  auto http = WaitForAddressFile(addr_file, "http", absl::Seconds(30));
  if (!http.ok()) {
    return absl::UnavailableError(absl::StrCat(name, " did not start: ", (*proc)->Log()));
  }
  http_addrs_[proc->get()] = *http;
  reviewers_.push_back(std::move(*proc));
  return reviewers_.back().get();
}

absl::Status ConclaveSystem::StartAllReviewers() {
  for (const char* r : {"security", "performance", "architecture"}) {
    if (auto p = StartReviewer(r); !p.ok()) return p.status();
  }
  return absl::OkStatus();
}

std::string ConclaveSystem::HttpAddress(Subprocess* process) const {
  auto it = http_addrs_.find(process);
  return it == http_addrs_.end() ? "" : it->second;
}

absl::StatusOr<std::string> ConclaveSystem::Submit(const conclave::v1::Change& change) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  conclave::v1::SubmitChangeRequest req;
  *req.mutable_change() = change;
  conclave::v1::SubmitChangeResponse resp;
  grpc::Status s = stub_->SubmitChange(&ctx, req, &resp);
  if (!s.ok()) return grpcutil::FromGrpcStatus(s);
  return resp.change_id();
}

absl::StatusOr<conclave::v1::ChangeRecord> ConclaveSystem::Get(const std::string& id) {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  conclave::v1::GetChangeRequest req;
  req.set_change_id(id);
  conclave::v1::ChangeRecord record;
  grpc::Status s = stub_->GetChange(&ctx, req, &record);
  if (!s.ok()) return grpcutil::FromGrpcStatus(s);
  return record;
}

absl::StatusOr<conclave::v1::ChangeRecord> ConclaveSystem::WaitForDecision(const std::string& id,
                                                                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<conclave::v1::ChangeRecord> record;
  while (absl::Now() < deadline) {
    record = Get(id);
    if (record.ok() && record->state() == conclave::v1::CHANGE_STATE_DECIDED) return record;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("change ", id, " not decided after ", absl::FormatDuration(timeout),
                   "; last: ", record.ok() ? record->DebugString() : record.status().ToString()));
}

std::string ConclaveSystem::Logs() const {
  std::string out;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().extension() != ".log") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    absl::StrAppend(&out, "==== ", entry.path().filename().string(), "\n", ss.str());
  }
  return out;
}

ConclaveSystem::~ConclaveSystem() {
  for (auto& r : reviewers_) r->Terminate(absl::Seconds(5));
  if (supervisor_) supervisor_->Terminate(absl::Seconds(5));
  nats_.reset();
  std::error_code ec;
  if (std::getenv("CONCLAVE_KEEP_TEST_DIRS") == nullptr) fs::remove_all(dir_, ec);
}

conclave::v1::Change MakeChange(const std::map<std::string, std::string>& files,
                                const std::string& environment) {
  conclave::v1::Change change;
  change.set_target_service("svc");
  change.set_environment(environment);
  change.set_title("test change");
  change.set_author("test");
  for (const auto& [path, content] : files) {
    auto* f = change.add_files();
    f->set_path(path);
    f->set_content(content);
  }
  return change;
}

std::map<std::string, std::string> ExampleFiles(const std::string& name) {
  const char* src = std::getenv("CONCLAVE_SOURCE_DIR");
  const fs::path root = fs::path(src != nullptr ? src : ".") / "examples" / name;
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files[fs::relative(entry.path(), root).string()] = ss.str();
  }
  return files;
}

}  // namespace conclave::testing
