// The NATS bus actor against a real nats-server (JetStream on), with a plain
// libnats client on the other side. Time bounds are generous on purpose.
#include <algorithm>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/bus_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using haven::bus_actor;
using haven::bus_listener;
using haven::bus_message;
using haven::test::eventually;
using haven::test::header;
using haven::test::is;
using haven::test::raw_nats;
using Bus = haven::test::bus_fixture;

TEST_F(Bus, publish_with_headers_reaches_a_plain_subscriber) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.cluster.test");
  bus_message m{
      "haven.cluster.test", "", {{"Haven-Event-Id", "e-1"}, {"Haven-Request-Id", "r-1"}}, "hello"};
  EXPECT_FALSE(publish(m));
  auto got = raw_nats::next(sub, 5s);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->data, "hello");
  ASSERT_NE(header(*got, "Haven-Event-Id"), nullptr);
  EXPECT_EQ(*header(*got, "Haven-Event-Id"), "e-1");
  ASSERT_NE(header(*got, "Haven-Request-Id"), nullptr);
  EXPECT_EQ(*header(*got, "Haven-Request-Id"), "r-1");
  EXPECT_EQ(header(*got, "Nats-Msg-Id"), nullptr); // only events go to JetStream
  natsSubscription_Destroy(sub);
}

TEST_F(Bus, events_go_to_jetstream_and_are_deduplicated_by_id) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.bus_test.>");
  const auto id = haven::test::bus_settings(*stack_).node_id + "-dedupe-1";
  bus_message m{"haven.events.bus_test.created", "", {{"Haven-Event-Id", id}}, R"({"n":1})"};
  EXPECT_FALSE(publish(m));
  ASSERT_TRUE(eventually([&] { return raw.stream_msgs() >= 0; }, 5s)) << "no HAVEN_EVENTS stream";
  const auto stored = raw.stream_msgs();
  EXPECT_FALSE(publish(m)); // acknowledged again, stored once
  EXPECT_EQ(raw.stream_msgs(), stored);
  auto got = raw_nats::next(sub, 5s);
  ASSERT_TRUE(got);
  ASSERT_NE(header(*got, "Nats-Msg-Id"), nullptr);
  EXPECT_EQ(*header(*got, "Nats-Msg-Id"), id);
  EXPECT_EQ(*header(*got, "Haven-Event-Id"), id);
  auto last = raw.stream_msg(raw.stream_last_seq());
  ASSERT_TRUE(last);
  EXPECT_EQ(last->data, R"({"n":1})");
  natsSubscription_Destroy(sub);
}

TEST_F(Bus, batch_publish_keeps_order) {
  raw_nats raw{stack_->nats_url()};
  auto* sub = raw.subscribe("haven.events.bus_batch.>");
  std::vector<bus_message> batch;
  const auto tag = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  for (int i = 0; i < 300; ++i)
    batch.push_back({"haven.events.bus_batch.n",
                     "",
                     {{"Haven-Event-Id", tag + "-" + std::to_string(i)}},
                     std::to_string(i)});
  caf::scoped_actor self{*sys_};
  uint32_t accepted = 0;
  self->request(bus_, 10s, haven::publish_atom_v, batch)
      .receive([&](uint32_t n) { accepted = n; },
               [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
  EXPECT_EQ(accepted, 300u);
  for (int i = 0; i < 300; ++i) {
    auto got = raw_nats::next(sub, 5s);
    ASSERT_TRUE(got) << i;
    EXPECT_EQ(got->data, std::to_string(i));
  }
  natsSubscription_Destroy(sub);
}

void echo(natsConnection* nc, natsSubscription*, natsMsg* msg, void*) {
  std::string body = "re:" + std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
  natsMsg* reply = nullptr;
  natsMsg_Create(&reply, natsMsg_GetReply(msg), nullptr, body.data(),
                 static_cast<int>(body.size()));
  const char* rid = nullptr;
  if (natsMsgHeader_Get(msg, "Haven-Request-Id", &rid) == NATS_OK)
    natsMsgHeader_Set(reply, "Haven-Request-Id", rid);
  natsConnection_PublishMsg(nc, reply);
  natsMsg_Destroy(reply);
  natsMsg_Destroy(msg);
}

void swallow(natsConnection*, natsSubscription*, natsMsg* msg, void*) {
  natsMsg_Destroy(msg);
}

TEST_F(Bus, request_reply_no_responders_and_timeout) {
  raw_nats raw{stack_->nats_url()};
  natsSubscription* responder = nullptr;
  natsSubscription* silent = nullptr;
  ASSERT_EQ(natsConnection_Subscribe(&responder, raw.get(), "haven.rpc.echo", echo, nullptr),
            NATS_OK);
  ASSERT_EQ(natsConnection_Subscribe(&silent, raw.get(), "haven.rpc.silent", swallow, nullptr),
            NATS_OK);
  natsConnection_Flush(raw.get());
  auto r = request({"haven.rpc.echo", "", {{"Haven-Request-Id", "req-9"}}, "ping"}, 2000);
  ASSERT_TRUE(r) << to_string(r.error());
  EXPECT_EQ(r->data, "re:ping");
  ASSERT_NE(header(*r, "Haven-Request-Id"), nullptr);
  EXPECT_EQ(*header(*r, "Haven-Request-Id"), "req-9");

  auto none = request({"haven.rpc.nobody", "", {}, "x"}, 2000);
  ASSERT_FALSE(none);
  EXPECT_TRUE(is(none.error(), haven::errc::not_found)) << to_string(none.error());

  const auto start = std::chrono::steady_clock::now();
  auto slow = request({"haven.rpc.silent", "", {}, "x"}, 300);
  ASSERT_FALSE(slow);
  EXPECT_TRUE(is(slow.error(), haven::errc::dependency_unavailable)) << to_string(slow.error());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);

  // Latency of a request-reply round trip through the actor (informational).
  std::vector<double> us;
  for (int i = 0; i < 500; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(request({"haven.rpc.echo", "", {}, "p"}, 2000));
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("[bus] request-reply via actor: p50 %.0f us, p99 %.0f us\n", us[250], us[495]);
  natsSubscription_Destroy(responder);
  natsSubscription_Destroy(silent);
}

TEST_F(Bus, subscribe_delivers_into_an_actor_and_replies_go_back) {
  raw_nats raw{stack_->nats_url()};
  caf::scoped_actor self{*sys_};
  auto listener = caf::actor_cast<bus_listener>(self);
  bool ok = false;
  self->request(bus_, 5s, haven::subscribe_atom_v, std::string{"haven.rpc.crisis.>"}, std::string{},
                listener)
      .receive([&](bool b) { ok = b; }, [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
  ASSERT_TRUE(ok);
  std::this_thread::sleep_for(200ms); // the SUB reaches the server (the bus does not flush it)

  // A NATS publisher sends a request; the actor answers through the bus.
  std::thread requester([&] {
    natsMsg* req = nullptr;
    natsMsg_Create(&req, "haven.rpc.crisis.detect", nullptr, "{\"text\":\"hi\"}", 13);
    natsMsgHeader_Set(req, "Authorization", "Bearer t");
    natsMsg* reply = nullptr;
    natsStatus s = natsConnection_RequestMsg(&reply, raw.get(), req, 5000);
    EXPECT_EQ(s, NATS_OK);
    if (s == NATS_OK) {
      EXPECT_EQ(std::string(natsMsg_GetData(reply), natsMsg_GetDataLength(reply)),
                R"({"status":200})");
    }
    natsMsg_Destroy(reply);
    natsMsg_Destroy(req);
  });
  bool received = false;
  self->receive(
      [&](bus_message& m) {
        received = true;
        EXPECT_EQ(m.subject, "haven.rpc.crisis.detect");
        EXPECT_EQ(m.data, R"({"text":"hi"})");
        ASSERT_NE(header(m, "Authorization"), nullptr);
        EXPECT_EQ(*header(m, "Authorization"), "Bearer t");
        ASSERT_FALSE(m.reply.empty());
        EXPECT_FALSE(publish({m.reply, "", {}, R"({"status":200})"}));
      },
      caf::after(5s) >> [] {});
  requester.join();
  EXPECT_TRUE(received);
}

TEST_F(Bus, queue_group_delivers_each_message_once) {
  raw_nats raw{stack_->nats_url()};
  caf::scoped_actor a{*sys_}, b{*sys_};
  for (auto* s : {&a, &b})
    (*s)->request(bus_, 5s, haven::subscribe_atom_v, std::string{"haven.cluster.work"},
                  std::string{"workers"}, caf::actor_cast<bus_listener>(*s))
        .receive([](bool) {}, [](caf::error& e) { ADD_FAILURE() << to_string(e); });
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 20; ++i)
    natsConnection_PublishString(raw.get(), "haven.cluster.work", std::to_string(i).c_str());
  natsConnection_Flush(raw.get());
  std::vector<std::string> seen;
  for (auto* s : {&a, &b})
    for (bool more = true; more;)
      (*s)->receive([&](bus_message& m) { seen.push_back(m.data); },
                    caf::after(500ms) >> [&] { more = false; });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

TEST_F(Bus, event_publish_latency) {
  std::vector<double> us;
  const auto tag = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  for (int i = 0; i < 1000; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_FALSE(publish(
        {"haven.events.bus_test.lat", "", {{"Haven-Event-Id", tag + std::to_string(i)}}, "{}"}));
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("[bus] event publish (JetStream ack) via actor: p50 %.0f us, p99 %.0f us\n", us[500],
              us[990]);
  us.clear();
  for (int i = 0; i < 1000; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_FALSE(publish({"haven.cluster.lat", "", {}, "x"}));
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("[bus] core publish + flush via actor: p50 %.0f us, p99 %.0f us\n", us[500], us[990]);
}

} // namespace
