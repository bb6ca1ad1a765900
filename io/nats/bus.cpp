#include "io/nats/bus.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "config/settings.hpp"
#include "io/nats/bus_state.hpp"
#include "io/nats/jetstream.hpp"
#include "messages/errors.hpp"

namespace haven::nats {

namespace {

void drop_subscription(natsSubscription* sub) {
  if (sub == nullptr)
    return;
  natsSubscription_Unsubscribe(sub); // its on-complete callback frees the closure
  natsSubscription_Destroy(sub);
}

// One wildcard subscription receives every reply: requests, publish acks,
// stream checks. The op id and message index are in the reply subject.
void open_inbox(bus_self self) {
  auto& st = self->state;
  natsInbox* inbox = nullptr;
  if (natsInbox_Create(&inbox) != NATS_OK)
    return;
  st.inbox = std::string{inbox} + ".";
  natsInbox_Destroy(inbox);
  auto* ctx = new inbox_ctx{st.inbox.size(), self->address()};
  natsStatus s = natsConnection_Subscribe(&st.inbox_sub, st.conn->get(), (st.inbox + "*.*").c_str(),
                                          on_inbox_msg, ctx);
  if (s != NATS_OK) { // only on a closed connection: requests then fail as "not connected"
    delete ctx;       // no subscription, so no callback can run
    st.inbox_sub = nullptr;
    log::error("nats inbox subscription failed", {{"status", natsStatus_GetText(s)}});
    return;
  }
  if (natsSubscription_SetOnCompleteCB(st.inbox_sub, delete_ctx<inbox_ctx>, ctx) != NATS_OK)
    log::warn("nats inbox closure will leak"); // only if already closed: harmless
}

bool add_subscription(bus_self self, const std::string& subject, const std::string& queue,
                      const bus_listener& listener) {
  auto& st = self->state;
  auto* ctx = new listener_ctx{listener.address()};
  natsSubscription* sub = nullptr;
  natsStatus s =
      queue.empty()
          ? natsConnection_Subscribe(&sub, st.conn->get(), subject.c_str(), on_listener_msg, ctx)
          : natsConnection_QueueSubscribe(&sub, st.conn->get(), subject.c_str(), queue.c_str(),
                                          on_listener_msg, ctx);
  if (s != NATS_OK) {
    delete ctx; // no subscription, so no callback can run
    log::warn("nats subscribe failed", {{"status", natsStatus_GetText(s)}});
    return false;
  }
  if (natsSubscription_SetOnCompleteCB(sub, delete_ctx<listener_ctx>, ctx) != NATS_OK)
    log::warn("nats subscription closure will leak"); // only if already closed: harmless
  st.subs.push_back({sub, listener.address()});
  return true;
}

caf::typed_response_promise<bool> on_publish_one(bus_self self, bus_message& m) {
  auto rp = self->make_response_promise<bool>();
  std::vector<bus_message> one;
  one.push_back(std::move(m));
  publish_batch(self, std::move(one), [rp](uint32_t n, caf::error err) mutable {
    if (n > 0)
      rp.deliver(true);
    else
      rp.deliver(std::move(err));
  });
  return rp;
}

caf::typed_response_promise<uint32_t> on_publish_batch(bus_self self,
                                                       std::vector<bus_message>& msgs) {
  auto rp = self->make_response_promise<uint32_t>();
  const bool empty = msgs.empty();
  publish_batch(self, std::move(msgs), [rp, empty](uint32_t n, caf::error err) mutable {
    if (n > 0 || empty)
      rp.deliver(n);
    else
      rp.deliver(std::move(err));
  });
  return rp;
}

caf::typed_response_promise<bus_message> on_request(bus_self self, bus_message& m,
                                                    uint32_t timeout_ms) {
  auto& st = self->state;
  auto rp = self->make_response_promise<bus_message>();
  if (!st.connected() || st.inbox_sub == nullptr) {
    rp.deliver(unavailable("nats not connected"));
    return rp;
  }
  if (st.ops.size() >= st.opts.max_pending) {
    rp.deliver(make_error(errc::overloaded, "too many nats requests in flight"));
    return rp;
  }
  auto id = st.ops.add(pending_op::kind::request, 1, [rp](pending_op& op) mutable {
    if (op.state[0] != 1)
      rp.deliver(unavailable("nats request: " + op.failure));
    else if (op.no_responders)
      rp.deliver(make_error(errc::not_found, "no responders"));
    else
      rp.deliver(std::move(op.reply));
  });
  if (auto s = send_via_inbox(self, m, id, 0, false); s != NATS_OK)
    st.ops.resolve(id, 0, false, natsStatus_GetText(s));
  else
    self->delayed_send(self, std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 1000),
                       timeout_atom_v, id);
  return rp;
}

caf::result<bool> on_subscribe(bus_self self, const std::string& subject, const std::string& queue,
                               bus_listener& listener) {
  if (!self->state.conn)
    return unavailable("nats not configured");
  if (!add_subscription(self, subject, queue, listener))
    return unavailable("nats subscribe failed");
  self->monitor(listener);
  return true;
}

void on_connection_change(bus_self self, bool up) {
  if (up) {
    self->state.mode = js_mode::unknown; // the server may have changed: check again
    ensure_stream(self);
  } else {
    self->state.ops.expire_all("nats disconnected"); // callers retry; acks may be lost
  }
}

// A reply on the shared inbox: a request's answer, or a JetStream publish ack.
void on_inbox_reply(bus_self self, uint64_t id, uint32_t index, bool no_responders,
                    bus_message& m) {
  auto& st = self->state;
  auto* op = st.ops.find(id);
  if (op == nullptr)
    return; // timed out already
  if (op->what == pending_op::kind::request) {
    op->reply = std::move(m);
    op->no_responders = no_responders;
    st.ops.resolve(id, index, true);
  } else if (no_responders) {
    st.mode = js_mode::unknown; // no stream captures the subject (any more)
    st.ops.resolve(id, index, false, "no jetstream stream for the subject");
  } else {
    auto ack = parse_js_reply(m.data);
    st.ops.resolve(id, index, ack.ok, ack.description.c_str());
  }
}

// Once a second: re-check the event stream when it is unknown, or every 30 s
// while publishing without JetStream (a stream may have been created since).
void on_tick(bus_self self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::seconds(1), tick_atom_v);
  if (!st.connected())
    return;
  const auto since = std::chrono::steady_clock::now() - st.last_ensure;
  if (st.mode == js_mode::unknown || (st.mode == js_mode::core && since > std::chrono::seconds(30)))
    ensure_stream(self);
}

void drop_listener_subscriptions(bus_self self, const caf::down_msg& dm) {
  auto& subs = self->state.subs;
  auto gone = std::remove_if(subs.begin(), subs.end(), [&](bus_subscription& s) {
    if (s.listener != dm.source)
      return false;
    drop_subscription(s.sub);
    return true;
  });
  subs.erase(gone, subs.end());
}

bus_impl::behavior_type bus_behavior(bus_self self, std::shared_ptr<connection> conn,
                                     std::string prefix, bus_options opts, flusher_actor flusher) {
  auto& st = self->state;
  st.conn = std::move(conn);
  st.prefix = std::move(prefix);
  st.opts = opts;
  st.flusher = std::move(flusher);
  if (st.conn)
    open_inbox(self);
  self->set_down_handler([self](caf::down_msg& dm) { drop_listener_subscriptions(self, dm); });
  self->send(self, tick_atom_v);
  return {
      [self](publish_atom, bus_message& m) { return on_publish_one(self, m); },
      [self](publish_atom, std::vector<bus_message>& msgs) { return on_publish_batch(self, msgs); },
      [self](request_atom, bus_message& m, uint32_t timeout_ms) {
        return on_request(self, m, timeout_ms);
      },
      [self](subscribe_atom, const std::string& subject, const std::string& queue,
             bus_listener& listener) { return on_subscribe(self, subject, queue, listener); },
      [self](status_atom) { return self->state.connected(); },
      [self](conn_atom, bool up) { on_connection_change(self, up); },
      [self](inbox_atom, uint64_t id, uint32_t index, bool no_responders, bus_message& m) {
        on_inbox_reply(self, id, index, no_responders, m);
      },
      [self](timeout_atom, uint64_t id) { self->state.ops.expire(id, "timeout"); },
      [self](tick_atom) { on_tick(self); },
  };
}

} // namespace

bus_state::~bus_state() {
  for (auto& s : subs)
    drop_subscription(s.sub);
  drop_subscription(inbox_sub);
}

bus_actor spawn_bus(caf::actor_system& sys, const config::settings& cfg, bus_options opts) {
  std::string err;
  auto conn = connection::open(cfg, err, opts.reconnect);
  if (!conn)
    log::error("nats bus has no connection", {{"reason", err}});
  flusher_actor flusher;
  if (conn)
    flusher = spawn_flusher(sys, conn, opts.publish_timeout);
  auto impl = sys.spawn(bus_behavior, conn, cfg.nats_prefix, opts, flusher);
  if (conn)
    conn->observe(impl.address());
  if (flusher) // the flusher lives exactly as long as the bus
    impl->attach_functor([flusher](const caf::error&) {
      caf::anon_send_exit(flusher, caf::exit_reason::user_shutdown);
    });
  return caf::actor_cast<bus_actor>(impl);
}

} // namespace haven::nats
