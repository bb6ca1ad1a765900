#include <algorithm>

#include <caf/all.hpp>

#include "base/log/log.hpp"
#include "io/nats/bus_state.hpp"
#include "io/nats/jetstream.hpp"
#include "io/nats/message.hpp"
#include "messages/errors.hpp"

namespace haven::nats {

namespace {

natsStatus send_plain(bus_self self, const bus_message& m) {
  natsMsg* msg = nullptr;
  natsStatus s = make_nats_msg(&msg, m, nullptr, false);
  if (s == NATS_OK)
    s = natsConnection_PublishMsg(self->state.conn->get(), msg);
  natsMsg_Destroy(msg);
  return s;
}

void run_js_waiters(bus_self self) {
  auto waiters = std::move(self->state.js_waiters);
  self->state.js_waiters.clear();
  for (auto& w : waiters)
    w();
}

void settle_mode(bus_self self, pending_op& op) {
  auto& st = self->state;
  st.ensuring = false;
  if (op.state[0] != 1) {
    log::warn("jetstream stream check failed, retrying", {{"reason", op.failure}});
  } else if (op.no_responders) {
    st.mode = js_mode::core;
    log::warn("jetstream unavailable: events use core publish + flush");
  } else {
    auto r = parse_js_reply(op.reply.data);
    if (r.ok) {
      st.mode = js_mode::jetstream;
      log::info("jetstream stream ready", {{"stream", events_stream}});
    } else if (r.err_code == js_err_not_enabled || r.err_code == js_err_not_enabled_for_account) {
      st.mode = js_mode::core;
      log::warn("jetstream disabled: events use core publish + flush", {{"error", r.description}});
    } else {
      // Typically an operator changed the stream's limits: keep theirs. The
      // publish acks tell whether it still captures our subjects.
      st.mode = js_mode::jetstream;
      log::warn("jetstream stream not created, using the existing one", {{"error", r.description}});
    }
  }
  run_js_waiters(self);
}

} // namespace

caf::error unavailable(std::string why) {
  return make_error(errc::dependency_unavailable, std::move(why));
}

natsStatus send_via_inbox(bus_self self, const bus_message& m, uint64_t id, uint32_t index,
                          bool dedupe) {
  auto& st = self->state;
  std::string reply = st.inbox;
  reply += std::to_string(id);
  reply += '.';
  reply += std::to_string(index);
  natsMsg* msg = nullptr;
  natsStatus s = make_nats_msg(&msg, m, reply.c_str(), dedupe);
  if (s == NATS_OK)
    s = natsConnection_PublishMsg(st.conn->get(), msg);
  natsMsg_Destroy(msg);
  return s;
}

void ensure_stream(bus_self self) {
  auto& st = self->state;
  if (st.ensuring)
    return;
  if (!st.connected()) {
    run_js_waiters(self); // they fail now rather than wait for a reconnect
    return;
  }
  st.ensuring = true;
  st.last_ensure = std::chrono::steady_clock::now();
  bus_message req{stream_create_subject(), {}, {}, stream_create_body(st.prefix)};
  auto id =
      st.ops.add(pending_op::kind::request, 1, [self](pending_op& op) { settle_mode(self, op); });
  if (auto s = send_via_inbox(self, req, id, 0, false); s != NATS_OK)
    st.ops.resolve(id, 0, false, natsStatus_GetText(s));
  else
    self->delayed_send(self, st.opts.publish_timeout, timeout_atom_v, id);
}

void publish_batch(bus_self self, std::vector<bus_message> msgs, publish_done done, bool waited) {
  auto& st = self->state;
  if (msgs.empty())
    return done(0, caf::none);
  if (!st.connected())
    return done(0, unavailable("nats not connected"));
  if (st.ops.size() >= st.opts.max_pending)
    return done(0, make_error(errc::overloaded, "too many nats publishes in flight"));
  auto is_event = [&](const bus_message& m) { return is_event_subject(st.prefix, m.subject); };
  if (st.mode == js_mode::unknown && std::any_of(msgs.begin(), msgs.end(), is_event)) {
    if (waited)
      return done(0, unavailable("jetstream state unknown"));
    st.js_waiters.emplace_back([self, msgs = std::move(msgs), done = std::move(done)]() mutable {
      publish_batch(self, std::move(msgs), std::move(done), true);
    });
    ensure_stream(self);
    return;
  }
  const bool js = st.mode == js_mode::jetstream;
  const auto n = static_cast<uint32_t>(msgs.size());
  auto id = st.ops.add(pending_op::kind::publish, n, [done, n](pending_op& op) {
    const auto accepted = accepted_prefix(op);
    if (!op.failure.empty())
      log::warn("nats publish incomplete", {{"reason", op.failure},
                                            {"accepted", std::to_string(accepted), false},
                                            {"of", std::to_string(n), false}});
    if (accepted > 0)
      done(accepted, caf::none);
    else
      done(0, unavailable("nats publish: " + op.failure));
  });
  std::vector<uint32_t> flushed; // core publishes: accepted by the next flush
  for (uint32_t i = 0; i < n; ++i) {
    const bool via_js = js && is_event(msgs[i]);
    natsStatus s = via_js ? send_via_inbox(self, msgs[i], id, i, true) : send_plain(self, msgs[i]);
    if (s != NATS_OK) {
      // Later messages must not overtake this one: they are not sent.
      for (uint32_t j = i; j < n; ++j)
        st.ops.resolve(id, j, false, natsStatus_GetText(s));
      break;
    }
    if (!via_js)
      flushed.push_back(i);
  }
  if (!flushed.empty())
    self->request(st.flusher, st.opts.publish_timeout + std::chrono::seconds(1), flush_atom_v)
        .then(
            [self, id, flushed](bool) {
              for (auto i : flushed)
                self->state.ops.resolve(id, i, true);
            },
            [self, id, flushed](caf::error&) {
              for (auto i : flushed)
                self->state.ops.resolve(id, i, false, "flush failed");
            });
  self->delayed_send(self, st.opts.publish_timeout, timeout_atom_v, id);
}

} // namespace haven::nats
