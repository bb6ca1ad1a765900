#include "io/nats/flusher.hpp"

#include <vector>

#include <caf/all.hpp>

#include "messages/errors.hpp"

namespace haven::nats {

namespace {

void flusher_loop(caf::blocking_actor* self, std::shared_ptr<connection> conn,
                  std::chrono::milliseconds timeout) {
  bool running = true;
  std::vector<caf::response_promise> waiting;
  auto on_flush = [&](flush_atom) { waiting.push_back(self->make_response_promise()); };
  auto on_exit = [&](caf::exit_msg&) { running = false; };
  while (running) {
    self->receive(on_flush, on_exit);
    // Everything already queued shares this flush (one round trip for all).
    for (bool more = true; running && more;)
      self->receive(
          on_flush, on_exit, caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
    if (waiting.empty())
      continue;
    natsStatus s = conn->connected() ? natsConnection_FlushTimeout(conn->get(), timeout.count())
                                     : NATS_CONNECTION_DISCONNECTED;
    for (auto& rp : waiting) {
      if (s == NATS_OK)
        rp.deliver(true);
      else
        rp.deliver(make_error(errc::dependency_unavailable,
                              std::string{"nats flush: "} + natsStatus_GetText(s)));
    }
    waiting.clear();
  }
}

} // namespace

flusher_actor spawn_flusher(caf::actor_system& sys, std::shared_ptr<connection> conn,
                            std::chrono::milliseconds timeout) {
  return caf::actor_cast<flusher_actor>(sys.spawn(flusher_loop, std::move(conn), timeout));
}

} // namespace haven::nats
