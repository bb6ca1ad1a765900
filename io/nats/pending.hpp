#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/bus.hpp"

// Bookkeeping of the bus actor for messages whose answer comes back on its
// inbox (requests, JetStream publish acks) or from a flush. Pure and
// single-threaded: only the bus actor touches it.

namespace haven::nats {

struct pending_op {
  enum class kind : uint8_t { request, publish };
  kind what = kind::publish;
  std::vector<int8_t> state; // per message: 0 waiting, 1 accepted, -1 failed
  size_t open = 0;           // messages still waiting
  bus_message reply;         // request: the answer
  bool no_responders = false;
  std::string failure;                     // why the first failure failed (for the log)
  std::function<void(pending_op&)> finish; // runs once, then the op is gone
};

/// How many messages, counted from the first, were accepted.
uint32_t accepted_prefix(const pending_op& op);

class pending_ops {
 public:
  /// A new operation of `n` messages (n >= 1); returns its id (never 0).
  uint64_t add(pending_op::kind what, size_t n, std::function<void(pending_op&)> finish);

  pending_op* find(uint64_t id);

  /// Records message `index` of op `id`; when nothing is left open the op
  /// finishes. Unknown ids (finished, timed out) and repeats are ignored.
  void resolve(uint64_t id, uint32_t index, bool ok, const char* why = nullptr);

  /// Finishes op `id` now; messages still waiting count as failed.
  void expire(uint64_t id, const char* why);

  /// Expires every operation (the connection was lost).
  void expire_all(const char* why);

  size_t size() const { return ops_.size(); }

 private:
  void finish(uint64_t id);
  uint64_t next_ = 0;
  std::unordered_map<uint64_t, pending_op> ops_;
};

} // namespace haven::nats
