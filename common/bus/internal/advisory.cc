#include "common/bus/internal/advisory.h"

#include <atomic>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace conclave::bus::internal {

namespace {

using nlohmann::json;

constexpr char kAdvisoryType[] = "io.nats.jetstream.advisory.v1.max_deliver";

std::string NextAdvisoryId() {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat("inmem", counter.fetch_add(1) + 1);
}

bool ReadString(const json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool ReadCount(const json& j, const char* key, uint64_t* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) return false;
  *out = it->get<uint64_t>();
  return true;
}

}  // namespace

std::string MaxDeliveriesSubject(absl::string_view stream, absl::string_view consumer) {
  return absl::StrCat("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.", stream, ".", consumer);
}

std::string FormatMaxDeliveriesAdvisory(const MaxDeliveriesAdvisory& advisory, absl::Time now) {
  json j = {{"type", kAdvisoryType},
            {"id", NextAdvisoryId()},
            {"timestamp", absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone())},
            {"stream", advisory.stream},
            {"consumer", advisory.consumer},
            {"stream_seq", advisory.stream_seq},
            {"deliveries", advisory.deliveries}};
  return j.dump();
}

absl::StatusOr<MaxDeliveriesAdvisory> ParseMaxDeliveriesAdvisory(absl::string_view text) {
  const json j = json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  MaxDeliveriesAdvisory advisory;
  if (j.is_discarded() || !j.is_object() || !ReadString(j, "stream", &advisory.stream) ||
      !ReadString(j, "consumer", &advisory.consumer) ||
      !ReadCount(j, "stream_seq", &advisory.stream_seq) ||
      !ReadCount(j, "deliveries", &advisory.deliveries)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a max-deliveries advisory: ", text.substr(0, 200)));
  }
  return advisory;
}

}  // namespace conclave::bus::internal
