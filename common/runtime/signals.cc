#include "common/runtime/signals.h"

#include <csignal>
#include <mutex>
#include <thread>

#include "absl/synchronization/notification.h"

namespace conclave::runtime {
namespace {

absl::Notification& ShutdownNotification() {
  static auto* n = new absl::Notification();
  return *n;
}

}  // namespace

void InstallShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    RequestShutdown();
  }).detach();
}

void RequestShutdown() {
  static std::once_flag once;
  std::call_once(once, [] { ShutdownNotification().Notify(); });
}

void WaitForShutdown() { ShutdownNotification().WaitForNotification(); }

bool WaitForShutdownFor(absl::Duration timeout) {
  return ShutdownNotification().WaitForNotificationWithTimeout(timeout);
}

bool ShutdownRequested() { return ShutdownNotification().HasBeenNotified(); }

}  // namespace conclave::runtime
