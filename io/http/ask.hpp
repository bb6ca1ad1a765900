#pragma once

#include <utility>

#include <caf/error.hpp>

#include "io/http/exchange.hpp"
#include "io/http/response.hpp"

// The one way a route turns a typed request to a domain actor into an HTTP
// answer (STYLE.md rule 3): the request's timeout, the result encoded as JSON
// with `status`, or the error through error_mapping.

namespace haven::http {

/// Sends `msg` to `actor` and answers `status` with `encode(result)` (status
/// 204: no body), or the mapped error.
template <class T, class Actor, class Encode, class... Ts>
void ask(exchange& ex, const Actor& actor, int status, Encode encode, Ts&&... msg) {
  auto reply = ex.reply;
  ex.self->request(actor, ex.timeout, std::forward<Ts>(msg)...)
      .then(
          [reply, status, encode](T& result) {
            if (status == 204)
              return reply.send(json_response(204, {}));
            reply.send(json_response(status, encode(result)));
          },
          [reply](caf::error& err) { reply.fail(err); });
}

} // namespace haven::http
