// The bus actor's bookkeeping of replies: accepted prefix, timeouts, repeats.

#include <gtest/gtest.h>

#include "io/nats/callbacks.hpp"
#include "io/nats/pending.hpp"

namespace haven::nats {
namespace {

struct finished {
  int calls = 0;
  uint32_t accepted = 0;
  std::string failure;
  std::function<void(pending_op&)> fn() {
    return [this](pending_op& op) {
      ++calls;
      accepted = accepted_prefix(op);
      failure = op.failure;
    };
  }
};

TEST(nats_pending, finishes_when_every_message_is_answered) {
  pending_ops ops;
  finished f;
  auto id = ops.add(pending_op::kind::publish, 3, f.fn());
  EXPECT_NE(id, 0u);
  ops.resolve(id, 2, true);
  ops.resolve(id, 0, true);
  EXPECT_EQ(f.calls, 0);
  ops.resolve(id, 0, false); // repeats are ignored
  ops.resolve(id, 7, true);  // out of range too
  ops.resolve(id, 1, true);
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.accepted, 3u);
  EXPECT_EQ(ops.size(), 0u);
  ops.resolve(id, 1, true); // finished ops are gone
  ops.expire(id, "late");
  EXPECT_EQ(f.calls, 1);
}

TEST(nats_pending, accepted_counts_from_the_first_message_only) {
  pending_ops ops;
  finished f;
  auto id = ops.add(pending_op::kind::publish, 4, f.fn());
  ops.resolve(id, 0, true);
  ops.resolve(id, 1, false, "rejected");
  ops.resolve(id, 2, true);
  ops.resolve(id, 3, true);
  EXPECT_EQ(f.accepted, 1u); // 2 and 3 must be retried after 1
  EXPECT_EQ(f.failure, "rejected");
}

TEST(nats_pending, expire_fails_what_is_still_open) {
  pending_ops ops;
  finished a, b;
  auto x = ops.add(pending_op::kind::publish, 2, a.fn());
  ops.add(pending_op::kind::request, 1, b.fn());
  ops.resolve(x, 0, true);
  ops.expire(x, "timeout");
  EXPECT_EQ(a.calls, 1);
  EXPECT_EQ(a.accepted, 1u);
  EXPECT_EQ(a.failure, "timeout");
  ops.expire_all("nats disconnected");
  EXPECT_EQ(b.calls, 1);
  EXPECT_EQ(b.accepted, 0u);
  EXPECT_EQ(b.failure, "nats disconnected");
  EXPECT_EQ(ops.size(), 0u);
}

TEST(nats_pending, finish_may_add_a_new_op) {
  pending_ops ops;
  uint64_t second = 0;
  auto id = ops.add(pending_op::kind::request, 1,
                    [&](pending_op&) { second = ops.add(pending_op::kind::request, 1, nullptr); });
  ops.resolve(id, 0, true);
  EXPECT_NE(second, 0u);
  EXPECT_EQ(ops.size(), 1u);
}

TEST(nats_inbox, reply_subject_suffix) {
  const std::string inbox = "_INBOX.abcdef.";
  uint64_t id = 0;
  uint32_t index = 0;
  ASSERT_TRUE(parse_inbox_suffix(inbox + "17.3", inbox.size(), id, index));
  EXPECT_EQ(id, 17u);
  EXPECT_EQ(index, 3u);
  for (auto bad : {"", "17", "17.", ".3", "17.3.1", "a.3", "17.x", "99999999999999999999999.1"})
    EXPECT_FALSE(parse_inbox_suffix(inbox + bad, inbox.size(), id, index)) << bad;
}

} // namespace
} // namespace haven::nats
