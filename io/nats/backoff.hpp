#pragma once

// Moved to base/ (the bottom layer); this forwarding header goes once no
// code includes the old path.
#include "base/backoff.hpp"

namespace haven::nats {
using haven::backoff_delay;
using haven::backoff_policy;
} // namespace haven::nats
