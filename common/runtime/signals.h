// Shutdown signals: SIGTERM and SIGINT become a notification the main thread waits on, so
// shutdown runs in ordinary code (not a signal handler). Call InstallShutdownSignals() in
// main() before starting any thread: it blocks the signals in every thread created afterwards
// and starts one watcher thread.
#pragma once

#include "absl/time/time.h"

namespace conclave::runtime {

void InstallShutdownSignals();
// Blocks until SIGTERM/SIGINT arrives (or RequestShutdown is called).
void WaitForShutdown();
// Waits up to `timeout`; true when shutdown was requested.
bool WaitForShutdownFor(absl::Duration timeout);
bool ShutdownRequested();
// Requests shutdown from inside the process (tests, fatal errors).
void RequestShutdown();

}  // namespace conclave::runtime
