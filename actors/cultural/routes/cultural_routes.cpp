#include "actors/cultural/routes/cultural_routes.hpp"

#include "base/json/json_writer.hpp"
#include "messages/errors.hpp"

namespace haven::cultural {

namespace {

void on_context(const knowledge_base& base, http::exchange& ex) {
  auto raw_locale = ex.req.query_param("locale");
  auto locale =
      raw_locale.empty() ? std::optional<std::string>{"en"} : normalize_locale(raw_locale);
  if (!locale)
    return ex.reply.fail(make_validation_error("locale: a language tag such as en, sw or sw-KE",
                                               {{"locale", "invalid"}}));
  auto topic = ex.req.query_param("topic");
  if (!topic.empty() && !valid_topic(topic))
    return ex.reply.fail(make_validation_error("topic: 1-32 characters of a-z, 0-9, _ and -",
                                               {{"topic", "invalid"}}));
  auto found = base.find(*locale, topic);
  json::writer w;
  w.begin_object();
  w.field("requested_locale", *locale);
  w.field("locale", found.locale);
  w.field("fallback", found.fallback);
  w.key("entries").begin_array();
  for (const auto* e : found.entries) {
    w.begin_object();
    w.field("id", e->id);
    w.field("topic", e->topic);
    w.field("title", e->title);
    w.field("body", e->body);
    w.field("source", e->source);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  auto r = http::json_response(200, std::move(w).str());
  // The same for everyone and changed only by a deployment: caches may keep it.
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  ex.reply.send(std::move(r));
}

} // namespace

std::vector<http::route_entry> cultural_routes(std::shared_ptr<const knowledge_base> base) {
  return {{http::method::get, "/v1/cultural/context",
           [base = std::move(base)](http::exchange& ex) { on_context(*base, ex); }, false, 0,
           // No token needed (API.md section 5): limited by address even when one is sent.
           http::rate_limit::by_address}};
}

} // namespace haven::cultural
