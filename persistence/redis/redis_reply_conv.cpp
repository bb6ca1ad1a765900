#include "persistence/redis/redis_reply_conv.hpp"

#include <hiredis/hiredis.h>

namespace haven::redis {

redis_reply to_redis_reply(const redisReply& r) {
  redis_reply out;
  switch (r.type) {
    case REDIS_REPLY_STATUS:
      out.kind = redis_reply::status_kind;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STRING:
      out.kind = redis_reply::string_kind;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = redis_reply::error_kind;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = redis_reply::integer_kind;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = redis_reply::array_kind;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i)
        out.elements.push_back(to_redis_reply(*r.element[i]));
      break;
    default: // REDIS_REPLY_NIL (hiredis 0.14 speaks RESP2 only)
      out.kind = redis_reply::nil_kind;
      break;
  }
  return out;
}

bool is_noscript(const redis_reply& r) {
  return r.kind == redis_reply::error_kind && r.str.compare(0, 8, "NOSCRIPT") == 0;
}

} // namespace haven::redis
