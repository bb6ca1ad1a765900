#include "io/nats/callbacks.hpp"

#include <charconv>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "io/nats/message.hpp"
#include "messages/bus.hpp"

namespace haven::nats {

bool parse_inbox_suffix(std::string_view subject, size_t prefix_len, uint64_t& id,
                        uint32_t& index) {
  if (subject.size() <= prefix_len)
    return false;
  const char* p = subject.data() + prefix_len;
  const char* end = subject.data() + subject.size();
  auto r = std::from_chars(p, end, id);
  if (r.ec != std::errc{} || r.ptr == end || *r.ptr != '.')
    return false;
  auto r2 = std::from_chars(r.ptr + 1, end, index);
  return r2.ec == std::errc{} && r2.ptr == end;
}

void on_inbox_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto* ctx = static_cast<inbox_ctx*>(closure);
  uint64_t id = 0;
  uint32_t index = 0;
  if (parse_inbox_suffix(natsMsg_GetSubject(msg), ctx->prefix_len, id, index)) {
    if (auto bus = caf::actor_cast<caf::actor>(ctx->bus)) {
      const bool no_responders = natsMsg_IsNoResponders(msg);
      caf::anon_send(bus, inbox_atom_v, id, index, no_responders, copy_nats_msg(msg));
    }
  }
  natsMsg_Destroy(msg);
}

void on_listener_msg(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto* ctx = static_cast<listener_ctx*>(closure);
  if (auto l = caf::actor_cast<bus_listener>(ctx->listener))
    caf::anon_send(l, copy_nats_msg(msg));
  natsMsg_Destroy(msg);
}

} // namespace haven::nats
