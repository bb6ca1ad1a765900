#pragma once

#include "messages/redis.hpp"

struct redisReply; // hiredis, kept out of this header

namespace haven::redis {

/// Copies a hiredis reply (any depth) into the message type. Pure: does not
/// free `r`.
redis_reply to_redis_reply(const redisReply& r);

/// True when `r` is Redis's NOSCRIPT error (the script cache lost the SHA).
bool is_noscript(const redis_reply& r);

} // namespace haven::redis
