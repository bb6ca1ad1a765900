#include "actors/status/status_rules.hpp"

#include <charconv>

#include "base/json/json_writer.hpp"

namespace haven::status {

namespace {

constexpr std::array<std::string_view, 4> state_names{"pending", "processing", "completed",
                                                      "failed"};

// A stored progress: digits 0..100, else 0 (Redis holds only what the script wrote).
int32_t parse_progress(std::string_view s) {
  int32_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size() || n < 0 || n > 100)
    return 0;
  return n;
}

} // namespace

std::optional<state> parse_state(std::string_view s) {
  for (size_t i = 0; i < state_names.size(); ++i)
    if (state_names[i] == s)
      return static_cast<state>(i);
  return std::nullopt;
}

std::string_view to_string(state s) {
  return state_names[static_cast<size_t>(s)];
}

std::optional<size_t> stage_index(std::string_view stage) {
  for (size_t i = 0; i < stage_names.size(); ++i)
    if (stage_names[i] == stage)
      return i;
  return std::nullopt;
}

state overall(const std::array<state, stage_count>& stages) {
  bool any_processing = false;
  bool all_completed = true;
  for (auto s : stages) {
    if (s == state::failed)
      return state::failed;
    any_processing |= s == state::processing;
    all_completed &= s == state::completed;
  }
  if (any_processing)
    return state::processing;
  return all_completed ? state::completed : state::pending;
}

bool valid_resource_id(std::string_view id) {
  if (id.empty() || id.size() > max_resource_id)
    return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

bool may_access(std::string_view owner, std::string_view owner_org, const session_ref& caller) {
  if (!owner.empty() && owner == caller.user_id)
    return true;
  return caller.role == "admin" && !caller.org_id.empty() && caller.org_id == owner_org;
}

std::optional<stored_record> decode_record(std::string resource_id,
                                           const std::vector<std::string>& flat) {
  stored_record r;
  r.view.resource_id = std::move(resource_id);
  r.view.stages.resize(stage_count);
  std::array<state, stage_count> states{};
  for (size_t i = 0; i + 1 < flat.size(); i += 2) {
    std::string_view name = flat[i];
    const std::string& value = flat[i + 1];
    if (name == "owner") {
      r.owner = value;
    } else if (name == "org") {
      r.org = value;
    } else if (name == "updated_at") {
      r.view.updated_at = value;
    } else if (auto colon = name.find(':'); colon != std::string_view::npos) {
      auto idx = stage_index(name.substr(0, colon));
      if (!idx)
        continue;
      auto& st = r.view.stages[*idx];
      auto part = name.substr(colon + 1);
      if (part == "s") {
        if (auto s = parse_state(value)) {
          st.status = value;
          states[*idx] = *s;
        }
      } else if (part == "p") {
        st.progress = parse_progress(value);
      } else if (part == "m") {
        st.message = value;
        st.has_message = true;
      } else if (part == "t") {
        st.updated_at = value;
      }
    }
  }
  if (r.owner.empty())
    return std::nullopt;
  r.view.overall = std::string{to_string(overall(states))};
  return r;
}

std::string event_data_json(std::string_view resource_id, std::string_view stage,
                            std::string_view status, int64_t progress, std::string_view overall) {
  json::writer w;
  w.begin_object();
  w.field("resource_id", resource_id);
  w.field("stage", stage);
  w.field("status", status);
  w.field("progress", progress);
  w.field("overall", overall);
  w.end_object();
  return std::move(w).str();
}

} // namespace haven::status
