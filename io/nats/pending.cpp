#include "io/nats/pending.hpp"

namespace haven::nats {

uint32_t accepted_prefix(const pending_op& op) {
  uint32_t n = 0;
  while (n < op.state.size() && op.state[n] == 1)
    ++n;
  return n;
}

uint64_t pending_ops::add(pending_op::kind what, size_t n,
                          std::function<void(pending_op&)> finish) {
  const uint64_t id = ++next_;
  auto& op = ops_[id];
  op.what = what;
  op.state.assign(n, 0);
  op.open = n;
  op.finish = std::move(finish);
  return id;
}

pending_op* pending_ops::find(uint64_t id) {
  auto i = ops_.find(id);
  return i == ops_.end() ? nullptr : &i->second;
}

void pending_ops::resolve(uint64_t id, uint32_t index, bool ok, const char* why) {
  auto* op = find(id);
  if (op == nullptr || index >= op->state.size() || op->state[index] != 0)
    return;
  op->state[index] = ok ? 1 : -1;
  if (!ok && op->failure.empty())
    op->failure = why != nullptr ? why : "failed";
  if (--op->open == 0)
    finish(id);
}

void pending_ops::expire(uint64_t id, const char* why) {
  auto* op = find(id);
  if (op == nullptr)
    return;
  for (auto& s : op->state)
    if (s == 0)
      s = -1;
  if (op->failure.empty())
    op->failure = why;
  op->open = 0;
  finish(id);
}

void pending_ops::expire_all(const char* why) {
  std::vector<uint64_t> ids;
  ids.reserve(ops_.size());
  for (auto& kv : ops_)
    ids.push_back(kv.first);
  for (auto id : ids)
    expire(id, why);
}

void pending_ops::finish(uint64_t id) {
  auto node = ops_.extract(id); // out of the table first: finish may add ops
  if (!node.empty() && node.mapped().finish)
    node.mapped().finish(node.mapped());
}

} // namespace haven::nats
