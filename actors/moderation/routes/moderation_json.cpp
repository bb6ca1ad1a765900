#include "actors/moderation/routes/moderation_json.hpp"

#include "actors/moderation/queue_rules.hpp"

namespace haven::moderation::json_shapes {

void write_item(json::writer& w, const moderation_item_view& i) {
  w.begin_object().field("id", i.id).field("user_id", i.user_id).field("direction", i.direction);
  w.key("categories").raw(categories_json(i.categories));
  w.field("action", i.action)
      .field("created_at", i.created_at)
      .field("status", i.status)
      .end_object();
}

std::string validate_body(const moderation_result& r) {
  json::writer w;
  w.begin_object().field("allowed", r.allowed).field("action", r.action);
  w.key("categories").raw(categories_json(r.categories));
  return std::move(w.field("text", r.text).end_object()).str();
}

std::string items_body(const std::vector<moderation_item_view>& items) {
  json::writer w;
  w.begin_object().key("items").begin_array();
  for (auto& i : items)
    write_item(w, i);
  return std::move(w.end_array().end_object()).str();
}

std::string item_body(const moderation_item_view& i) {
  json::writer w;
  w.begin_object().key("item");
  write_item(w, i);
  return std::move(w.end_object()).str();
}

} // namespace haven::moderation::json_shapes
