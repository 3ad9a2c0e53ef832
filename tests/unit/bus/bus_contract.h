// The bus contract: behaviour every Bus must show, written once and run against both
// NewInMemoryBus() (tests/unit/bus) and ConnectNats() to a real nats-server
// (tests/integration/bus), so that the fake stays faithful to the server.
// Each test gets a fresh bus with two streams: WORK (work queue, subjects work.>) and LOG
// (limits, subjects log.>).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/bus/bus.h"
#include "gtest/gtest.h"

namespace conclave::bus::contract {

// A bus and whatever it needs to live (a server).
class TestBus {
 public:
  virtual ~TestBus() = default;
  virtual Bus& bus() = 0;
};

struct TestBusFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<TestBus>>()> make;
};

inline std::string FactoryName(const ::testing::TestParamInfo<TestBusFactory>& info) {
  return info.param.name;
}

inline constexpr char kWorkStream[] = "WORK";
inline constexpr char kLogStream[] = "LOG";

class BusContractTest : public ::testing::TestWithParam<TestBusFactory> {
 protected:
  void SetUp() override;
  Bus& bus() { return test_bus_->bus(); }

  // A consumer of WORK (filter work.>) with the given ack-wait and max-deliver.
  std::unique_ptr<PullConsumer> WorkConsumer(absl::Duration ack_wait, int max_deliver = 5,
                                             const std::string& durable = "workers");
  // Fetches until `n` deliveries arrived or `timeout` passed.
  std::vector<std::unique_ptr<Delivery>> FetchN(PullConsumer& consumer, size_t n,
                                                absl::Duration timeout);

 private:
  std::unique_ptr<TestBus> test_bus_;
};

// A message on `subject` with `data` and the given headers.
Message Msg(const std::string& subject, const std::string& data,
            std::map<std::string, std::string> headers = {});

}  // namespace conclave::bus::contract
