// API.md section 6 against the real binary and stack: op outcomes
// (applied, duplicate, conflict, rejected), limits (500 ops, 16 KiB payloads,
// 4 MiB bodies), per-user entity ids, hostile bodies, and the change feed's
// cursor across many pages.
#include <set>

#include "tests/integration/sync_test_support.hpp"

namespace haven::test::sync {
namespace {

class SyncApi : public sync_suite {};

TEST_F(SyncApi, RetriedUploadAnswersDuplicatesWithTheFirstOutcomes) {
  auto u = register_account(port());
  auto e = new_uuid();
  std::vector<op_spec> ops(3);
  ops[0].entity_id = e;
  ops[1].entity_id = e;
  ops[1].base_version = 1;
  ops[2].entity_id = e;
  ops[2].base_version = 7; // conflict
  auto first = upload(port(), u, ops);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.results.size(), 3u);
  EXPECT_EQ(first.results[0].status, "applied");
  EXPECT_EQ(first.results[0].version, 1);
  EXPECT_EQ(first.results[1].status, "applied");
  EXPECT_EQ(first.results[1].version, 2);
  EXPECT_EQ(first.results[2].status, "conflict");
  EXPECT_EQ(first.results[2].server_version, 2);
  EXPECT_FALSE(first.cursor.empty());

  auto again = upload(port(), u, ops); // a retry after a lost answer
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_EQ(again.results.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again.results[i].op_id, ops[i].op_id);
    EXPECT_EQ(again.results[i].status, "duplicate") << again.body;
    EXPECT_EQ(again.results[i].first_status, first.results[i].status);
    EXPECT_EQ(again.results[i].version, first.results[i].version);
    EXPECT_EQ(again.results[i].server_version, first.results[i].server_version);
  }
  EXPECT_EQ(again.cursor, first.cursor) << "a retry moved the feed";
  auto feed = whole_feed(port(), u);
  EXPECT_EQ(feed.size(), 2u) << "a retry applied an op twice";
  // The same upload through the other node is a duplicate too.
  auto other = upload(b_->port(), u, ops);
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.results[0].status, "duplicate");
}

TEST_F(SyncApi, ConflictsCarryTheServerVersion) {
  auto u = register_account(port());
  auto e = new_uuid();
  op_spec create;
  create.entity_id = e;
  ASSERT_EQ(upload(port(), u, {create}).results.at(0).status, "applied");
  op_spec stale; // a second device that never saw version 1
  stale.entity_id = e;
  auto r = upload(port(), u, {stale}, "tablet");
  ASSERT_EQ(r.results.size(), 1u) << r.body;
  EXPECT_EQ(r.results[0].status, "conflict");
  EXPECT_EQ(r.results[0].server_version, 1);
  op_spec ahead;
  ahead.entity_id = e;
  ahead.base_version = 5;
  EXPECT_EQ(upload(port(), u, {ahead}).results.at(0).server_version, 1);
  op_spec rebased; // the client rebased and sends a NEW op id
  rebased.entity_id = e;
  rebased.base_version = 1;
  auto ok = upload(port(), u, {rebased});
  EXPECT_EQ(ok.results.at(0).status, "applied");
  EXPECT_EQ(ok.results.at(0).version, 2);
}

TEST_F(SyncApi, RejectedOpsLeaveTheOthersApplied) {
  auto u = register_account(port());
  std::vector<op_spec> ops(6);
  for (auto& o : ops)
    o.entity_id = new_uuid();
  ops[1].entity = "diary";                                          // unknown kind
  ops[2].payload = R"({"title":")" + std::string(300, 'x') + "\"}"; // over max_length
  ops[3].entity = "mood_log";
  ops[3].payload = R"({"score":0})"; // out of range
  ops[4].entity_id = "not-a-uuid";
  auto r = upload(port(), u, ops);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.results.size(), 6u);
  EXPECT_EQ(r.results[0].status, "applied");
  EXPECT_EQ(r.results[1].status, "rejected");
  EXPECT_EQ(r.results[1].error, "unknown_entity");
  EXPECT_EQ(r.results[2].error, "invalid_payload");
  EXPECT_EQ(r.results[3].error, "invalid_payload");
  EXPECT_EQ(r.results[4].error, "invalid_entity_id");
  EXPECT_EQ(r.results[5].status, "applied");
  auto feed = whole_feed(port(), u);
  ASSERT_EQ(feed.size(), 2u);
  EXPECT_EQ(feed[0].entity_id, ops[0].entity_id);
  EXPECT_EQ(feed[1].entity_id, ops[5].entity_id);
  // A rejected op's id keeps its outcome: a retry is a duplicate of it.
  auto again = upload(port(), u, {ops[1]});
  EXPECT_EQ(again.results.at(0).status, "duplicate");
  EXPECT_EQ(again.results.at(0).first_status, "rejected");
  EXPECT_EQ(again.results.at(0).error, "unknown_entity");
}

TEST_F(SyncApi, AtMost500OpsPerUpload) {
  auto u = register_account(port());
  auto make = [](size_t n) {
    std::vector<op_spec> ops(n);
    for (auto& o : ops)
      o.entity_id = new_uuid();
    return ops;
  };
  auto ok = upload(port(), u, make(500));
  ASSERT_EQ(ok.status, 200) << ok.body.substr(0, 300);
  EXPECT_EQ(ok.results.size(), 500u);
  for (const auto& r : ok.results)
    EXPECT_EQ(r.status, "applied");
  auto too_many = upload(port(), u, make(501));
  EXPECT_EQ(too_many.status, 422);
  EXPECT_EQ(field(too_many.body, "/error/code"), "validation_failed");
  EXPECT_EQ(field(too_many.body, "/error/details/0/field"), "ops");
  EXPECT_EQ(whole_feed(port(), u).size(), 500u) << "part of a refused upload was applied";
}

TEST_F(SyncApi, PayloadOf16KiBIsAcceptedOneByteMoreIsRejected) {
  auto u = register_account(port());
  const size_t limit = 16 * 1024;
  auto payload_of = [](size_t size) {
    std::string wrap = R"({"body":""})";
    return R"({"body":")" + std::string(size - wrap.size(), 'x') + "\"}";
  };
  std::vector<op_spec> ops(3);
  for (auto& o : ops)
    o.entity_id = new_uuid();
  ops[0].payload = payload_of(limit);
  ops[1].payload = payload_of(limit + 1);
  ops[2].payload = R"({"text":")" + std::string(1 << 20, 'y') + "\"}"; // 1 MiB
  auto r = upload(port(), u, ops);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.results.at(0).status, "applied") << r.body;
  EXPECT_EQ(r.results.at(1).status, "rejected");
  EXPECT_EQ(r.results.at(1).error, "payload_too_large");
  EXPECT_EQ(r.results.at(2).error, "payload_too_large");
  auto feed = whole_feed(port(), u);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_EQ(feed[0].payload.size(), limit);
}

TEST_F(SyncApi, BodyLimitIs4MiBForUploadsWithAToken) {
  auto u = register_account(port());
  std::vector<op_spec> ops(300);
  for (auto& o : ops) {
    o.entity_id = new_uuid();
    o.payload = R"({"body":")" + std::string(15000, 'z') + "\"}";
  }
  auto body = upload_json(ops); // ~4.5 MB
  ASSERT_GT(body.size(), 4u << 20);
  // Only the headers: the 413 must not wait for a body it will refuse.
  auto head_only = [&](const std::string& token) {
    http_connection c{port()};
    std::string head = "POST /v1/sync/upload HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       "application/json\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n";
    if (!token.empty())
      head += "Authorization: Bearer " + token + "\r\n";
    c.send(head + "\r\n");
    http_response r;
    EXPECT_EQ(c.try_read_response(r, 10s), read_status::ok);
    return r;
  };
  auto big = head_only(u.access);
  EXPECT_EQ(big.status, 413) << big.body.substr(0, 200);
  ops.resize(200); // ~3 MB: over the 64 KiB default, under the upload's own limit
  auto fine = upload(port(), u, ops);
  EXPECT_EQ(fine.status, 200) << fine.body.substr(0, 200);
  EXPECT_EQ(fine.results.size(), 200u);
  // Without a token the big limit does not apply: 3 MB is over the 64 KiB default.
  body = upload_json(ops);
  EXPECT_EQ(head_only({}).status, 413);
}

TEST_F(SyncApi, RepeatedOpIdInsideOneUploadIsADuplicateOfTheFirst) {
  auto u = register_account(port());
  op_spec a;
  a.entity_id = new_uuid();
  op_spec same = a; // same op id, other entity
  same.entity_id = new_uuid();
  auto r = upload(port(), u, {a, same});
  ASSERT_EQ(r.results.size(), 2u) << r.body;
  EXPECT_EQ(r.results[0].status, "applied");
  EXPECT_EQ(r.results[1].status, "duplicate");
  EXPECT_EQ(r.results[1].first_status, "applied");
  EXPECT_EQ(r.results[1].version, 1);
  EXPECT_EQ(whole_feed(port(), u).size(), 1u);
}

TEST_F(SyncApi, EntityIdsArePerUserAndFeedsArePrivate) {
  auto alice = register_account(port());
  auto bob = register_account(port());
  auto shared_id = new_uuid();
  op_spec a;
  a.entity_id = shared_id;
  a.payload = R"({"title":"alice's"})";
  op_spec b;
  b.entity_id = shared_id; // the same entity id: no collision
  b.payload = R"({"title":"bob's"})";
  EXPECT_EQ(upload(port(), alice, {a}).results.at(0).status, "applied");
  auto rb = upload(port(), bob, {b});
  EXPECT_EQ(rb.results.at(0).status, "applied") << rb.body;
  EXPECT_EQ(rb.results.at(0).version, 1);
  // Even the same op id is per user.
  op_spec b2 = b;
  b2.op_id = a.op_id;
  b2.base_version = 1;
  EXPECT_EQ(upload(port(), bob, {b2}).results.at(0).status, "applied");
  auto fa = whole_feed(port(), alice);
  auto fb = whole_feed(port(), bob);
  ASSERT_EQ(fa.size(), 1u);
  ASSERT_EQ(fb.size(), 2u);
  EXPECT_EQ(fa[0].payload, R"({"title":"alice's"})");
  EXPECT_EQ(fb[0].payload, R"({"title":"bob's"})");
  // Bob's cursor is refused on Alice's feed.
  auto bob_page = changes(port(), bob, {}, 1);
  EXPECT_EQ(changes(port(), alice, bob_page.cursor).status, 422);
}

TEST_F(SyncApi, FeedPagesThrough1000OpsWithoutGapsOrRepeats) {
  auto u = register_account(port());
  auto other = register_account(port());
  std::vector<std::string> ids(20);
  for (auto& id : ids)
    id = new_uuid();
  std::map<std::string, int64_t> version;
  std::vector<std::pair<std::string, int64_t>> expected; // (entity, version) in order
  for (int batch = 0; batch < 4; ++batch) {
    std::vector<op_spec> ops(250);
    for (size_t i = 0; i < ops.size(); ++i) {
      auto& id = ids[(i * 7 + batch) % ids.size()];
      ops[i].entity_id = id;
      ops[i].base_version = version[id];
      ops[i].payload = "{\"mood\":" + std::to_string(1 + i % 10) + "}";
      ++version[id];
      expected.emplace_back(id, version[id]);
    }
    auto r = upload(port(), u, ops);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    for (auto& res : r.results)
      ASSERT_EQ(res.status, "applied") << r.body.substr(0, 300);
    op_spec noise; // another user's changes interleaved
    noise.entity_id = new_uuid();
    upload(port(), other, {noise});
  }
  int pages = 0;
  auto feed = whole_feed(port(), u, 7, {}, &pages);
  ASSERT_EQ(feed.size(), 1000u);
  EXPECT_EQ(pages, 143); // ceil(1000 / 7)
  for (size_t i = 0; i < feed.size(); ++i) {
    EXPECT_EQ(feed[i].entity_id, expected[i].first) << i;
    EXPECT_EQ(feed[i].version, expected[i].second) << i;
    EXPECT_EQ(feed[i].device_id, "phone-1");
    EXPECT_EQ(feed[i].entity, "journal_entry");
  }
  EXPECT_EQ(version_gaps(feed), "");
  // The last upload's cursor is the end of the feed: nothing after it.
  op_spec last;
  last.entity_id = new_uuid();
  auto r = upload(port(), u, {last});
  auto after = changes(port(), u, r.cursor);
  EXPECT_EQ(after.status, 200);
  EXPECT_TRUE(after.changes.empty()) << after.body;
  EXPECT_FALSE(after.has_more);
  EXPECT_EQ(after.cursor, r.cursor);
}

TEST_F(SyncApi, DeletesNeedNoPayloadAndADeletedEntityMayComeBack) {
  auto u = register_account(port());
  auto e = new_uuid();
  op_spec create;
  create.entity_id = e;
  op_spec del;
  del.entity_id = e;
  del.kind = "delete";
  del.base_version = 1;
  del.payload.clear();
  op_spec back;
  back.entity_id = e;
  back.base_version = 2;
  auto r = upload(port(), u, {create, del, back});
  ASSERT_EQ(r.results.size(), 3u) << r.body;
  EXPECT_EQ(r.results[1].status, "applied");
  EXPECT_EQ(r.results[1].version, 2);
  EXPECT_EQ(r.results[2].version, 3);
  auto feed = whole_feed(port(), u);
  ASSERT_EQ(feed.size(), 3u);
  EXPECT_EQ(feed[1].kind, "delete");
  EXPECT_EQ(feed[1].payload, "");
}

TEST_F(SyncApi, MalformedRequestsAreRefusedWhole) {
  auto u = register_account(port());
  auto post = [&](const std::string& body) {
    return call(port(), "POST", "/v1/sync/upload", body, u.access);
  };
  EXPECT_EQ(post("[]").status, 422);
  EXPECT_EQ(post(R"({"ops":[]})").status, 422);
  EXPECT_EQ(post(R"({"device_id":"d","ops":"x"})").status, 422);
  EXPECT_EQ(post(R"({"device_id":"d"})").status, 422);
  EXPECT_EQ(post(R"({"device_id":"d","ops":[{"op_id":"nope"}]})").status, 422);
  EXPECT_EQ(post(R"({"device_id":"d","ops":[42]})").status, 422);
  EXPECT_EQ(post(R"({"device_id":")" + std::string(129, 'd') + R"(","ops":[]})").status, 422);
  auto r = post(R"({"device_id":"d","ops":[{"entity":"journal_entry"}]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(field(r.body, "/error/details/0/field"), "ops[0].op_id") << r.body;
  EXPECT_EQ(post("{\"device_id\":").status, 400);
  EXPECT_EQ(call(port(), "POST", "/v1/sync/upload", R"({"device_id":"d","ops":[]})").status, 401);
  EXPECT_EQ(call(port(), "GET", "/v1/sync/changes").status, 401);
  EXPECT_EQ(whole_feed(port(), u).size(), 0u);
  auto empty = post(R"({"device_id":"d","ops":[]})");
  EXPECT_EQ(empty.status, 200) << empty.body;
}

TEST_F(SyncApi, HostileOpsGetClearOutcomes) {
  auto u = register_account(port());
  std::vector<op_spec> ops(6);
  for (auto& o : ops)
    o.entity_id = new_uuid();
  std::string deep;
  for (int i = 0; i < 200; ++i)
    deep += "[";
  deep += "1";
  for (int i = 0; i < 200; ++i)
    deep += "]";
  ops[0].payload = R"({"meta":)" + deep + "}"; // nested 200 deep
  ops[1].payload = R"({"mood":"very"})";       // wrong type
  ops[2].payload = R"("a string")";            // not an object
  ops[3].kind = "merge";
  ops[4].base_version = -3;
  ops[5].entity = "mood_log";
  ops[5].payload = R"({"score":5,"note":"\u0000\ud83d\ude00 fine"})"; // NUL and emoji: kept
  auto r = upload(port(), u, ops);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.results.size(), 6u);
  EXPECT_EQ(r.results[0].error, "invalid_payload");
  EXPECT_EQ(r.results[1].error, "invalid_payload");
  EXPECT_EQ(r.results[2].error, "invalid_payload");
  EXPECT_EQ(r.results[3].error, "invalid_kind");
  EXPECT_EQ(r.results[4].error, "invalid_base_version");
  EXPECT_EQ(r.results[5].status, "applied") << r.body;
  auto feed = whole_feed(port(), u);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_NE(feed[0].payload.find("fine"), std::string::npos);
}

TEST_F(SyncApi, FeedQueryRules) {
  auto u = register_account(port());
  op_spec o;
  o.entity_id = new_uuid();
  auto up = upload(port(), u, {o});
  ASSERT_EQ(up.status, 200);
  for (auto q : {"limit=0", "limit=501", "limit=abc", "limit=-1", "since=garbage",
                 "since=AAAAAAAAAAAAAAAA"}) {
    auto r = call(port(), "GET", std::string{"/v1/sync/changes?"} + q, {}, u.access);
    EXPECT_EQ(r.status, 422) << q << " " << r.body;
  }
  auto edited = up.cursor;
  edited[3] = edited[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(changes(port(), u, edited).status, 422);
  auto page = changes(port(), u, {}, 500);
  EXPECT_EQ(page.status, 200);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_EQ(page.cursor, up.cursor);
  EXPECT_FALSE(page.changes[0].server_ts.empty());
  auto fresh = register_account(port());
  auto none = changes(port(), fresh);
  EXPECT_EQ(none.status, 200);
  EXPECT_TRUE(none.changes.empty());
  EXPECT_FALSE(none.has_more);
}

} // namespace
} // namespace haven::test::sync
