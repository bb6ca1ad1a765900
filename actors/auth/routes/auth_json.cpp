#include "actors/auth/routes/auth_json.hpp"

namespace haven::auth {

namespace {

void nullable(json::writer& w, std::string_view key, const std::string& v) {
  w.key(key);
  if (v.empty())
    w.null();
  else
    w.value(v);
}

} // namespace

void write_user(json::writer& w, const user_view& u) {
  w.begin_object().field("id", u.id);
  nullable(w, "email", u.email);
  w.field("handle", u.handle);
  nullable(w, "display_name", u.display_name);
  w.field("role", u.role).field("tier", u.tier);
  nullable(w, "org_id", u.org_id);
  w.field("created_at", u.created_at).end_object();
}

std::string user_body(const user_view& u) {
  json::writer w;
  w.begin_object().key("user");
  write_user(w, u);
  return std::move(w.end_object()).str();
}

std::string tokens_body(const token_grant& g) {
  json::writer w;
  w.begin_object().key("user");
  write_user(w, g.user);
  w.field("access_token", g.access_token).field("refresh_token", g.refresh_token);
  w.field("token_type", "Bearer").field("expires_in", g.expires_in);
  return std::move(w.end_object()).str();
}

std::string org_body(const org_view& o) {
  json::writer w;
  w.begin_object().key("org").begin_object();
  w.field("id", o.id).field("name", o.name).field("slug", o.slug).field("created_at", o.created_at);
  return std::move(w.end_object().end_object()).str();
}

std::string members_body(const std::vector<user_view>& members) {
  json::writer w;
  w.begin_object().key("members").begin_array();
  for (auto& u : members)
    write_user(w, u);
  return std::move(w.end_array().end_object()).str();
}

std::string invite_body(const invite_view& i) {
  json::writer w;
  w.begin_object().field("code", i.code).field("role", i.role).field("expires_at", i.expires_at);
  return std::move(w.end_object()).str();
}

} // namespace haven::auth
