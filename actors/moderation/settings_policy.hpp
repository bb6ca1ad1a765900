#pragma once

#include <caf/expected.hpp>

#include "actors/moderation/policy.hpp"
#include "config/settings.hpp"

// The moderation policy a node runs with: the defaults of policy.hpp with the
// HAVEN_MODERATION_* settings on top (only the listed categories change).

namespace haven::moderation {

/// The policy from `cfg`, or an error naming the setting when a category is
/// unknown or the result fails check() (a policy a moderator would misread
/// never starts).
caf::expected<policy_config> policy_from_settings(const config::settings& cfg);

} // namespace haven::moderation
