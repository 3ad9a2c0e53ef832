#include "common/bus/bus.h"

namespace conclave::bus {

std::string Message::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

}  // namespace conclave::bus
