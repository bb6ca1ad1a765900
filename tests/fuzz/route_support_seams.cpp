// actors/auth/routes/route_support.cpp holds the auth field readers the fuzz
// target needs (read_email, read_password, read_name) next to caller(), which
// needs the auth gate and the edge's responder. The readers never call it and
// the target links neither: these stand-ins abort if anything ever did.
#include <cstdlib>

#include "actors/auth/auth_gate.hpp"
#include "io/http/exchange.hpp"

namespace haven {

caf::expected<auth::access_claims> auth::auth_gate::authorized(const http::exchange&) {
  std::abort();
}

void http::responder::fail(const caf::error&) const {
  std::abort();
}

} // namespace haven
