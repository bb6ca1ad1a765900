#include "io/http/edge.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "io/http/error_mapping.hpp"
#include "io/http/http_server.hpp"

namespace haven::http {

responder::responder(std::weak_ptr<http_server> edge, caf::io::connection_handle conn,
                     uint64_t conn_id, uint64_t seq, std::string request_id)
    : edge_(std::move(edge)), conn_(conn), conn_id_(conn_id), seq_(seq),
      request_id_(std::move(request_id)) {}

void responder::send(response r) const {
  if (auto edge = edge_.lock())
    edge->complete(conn_, conn_id_, seq_, std::move(r));
}

void responder::add_header_lines(std::string lines) const {
  if (auto edge = edge_.lock())
    edge->add_header_lines(conn_, conn_id_, seq_, std::move(lines));
}

void responder::fail(const caf::error& err) const {
  send(map_error(err, request_id_));
}

namespace {

caf::behavior edge_behavior(caf::io::broker* self, std::shared_ptr<http_server> st,
                            caf::message_handler extensions) {
  // The tick drives header timeouts and the drain deadline.
  self->delayed_send(self, std::chrono::milliseconds(250), tick_atom_v);
  caf::message_handler own{
      [st](const caf::io::new_connection_msg& msg) { st->on_connection(msg.handle); },
      [st](const caf::io::new_data_msg& msg) { st->on_data(msg.handle, msg.buf); },
      [st](const caf::io::connection_closed_msg& msg) { st->on_closed(msg.handle); },
      [st](const caf::io::data_transferred_msg& msg) {
        st->on_written(msg.handle, msg.written, msg.remaining);
      },
      [](const caf::io::connection_passivated_msg&) {},
      [](const caf::io::acceptor_closed_msg&) {},
      [self, st](tick_atom) {
        st->on_tick();
        self->delayed_send(self, std::chrono::milliseconds(250), tick_atom_v);
      },
      [st](health_snapshot& snapshot) { st->on_health(std::move(snapshot)); },
      [st](bus_message& m) { st->on_rpc(m); },
      [st](ready_atom, bool ready) { st->on_ready(ready); },
      [st](drain_atom) { st->on_drain(); },
      [st](port_atom) { return st->open(); },
  };
  return own.or_else(extensions);
}

} // namespace

void add_metrics(edge_options& opts, std::function<void(std::string&)> render) {
  opts.metrics_hook = [prev = std::move(opts.metrics_hook),
                       render = std::move(render)](std::string& out) {
    if (prev)
      prev(out);
    render(out);
  };
}

caf::expected<edge_handle> spawn_edge(caf::actor_system& sys, edge_options opts) {
  auto broker = sys.middleman().spawn_broker(
      [](caf::io::broker* self, edge_options o) {
        auto extensions = std::move(o.extensions);
        return edge_behavior(self, std::make_shared<http_server>(self, std::move(o)),
                             std::move(extensions));
      },
      std::move(opts));
  // Binding happens inside the broker (it owns the acceptor); ask for the result.
  caf::expected<edge_handle> result{caf::sec::runtime_error};
  caf::scoped_actor blocking{sys};
  blocking->request(broker, caf::infinite, port_atom_v)
      .receive(
          [&](uint16_t port) {
            result = edge_handle{caf::actor_cast<edge_actor>(broker), port};
          },
          [&](caf::error& err) {
            caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
            result = std::move(err);
          });
  return result;
}

} // namespace haven::http
