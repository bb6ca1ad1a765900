#include "actors/status/status_events.hpp"

#include <array>
#include <charconv>

#include "actors/status/status_rules.hpp"
#include "io/nats/message.hpp"
#include "persistence/outbox/event.hpp"

namespace haven::status {

namespace {

const std::string* find(const std::vector<std::string>& flat, std::string_view name) {
  for (size_t i = 0; i + 1 < flat.size(); i += 2)
    if (flat[i] == name)
      return &flat[i + 1];
  return nullptr;
}

// "s1,s2,s3,s4,s5" -> the overall status, or nullopt.
std::optional<state> overall_of(std::string_view csv) {
  std::array<state, stage_count> states{};
  for (size_t n = 0; n < stage_count; ++n) {
    auto comma = csv.find(',');
    // Exactly five: a comma after each but the last.
    if ((comma == std::string_view::npos) != (n + 1 == stage_count))
      return std::nullopt;
    auto s = parse_state(csv.substr(0, comma));
    if (!s)
      return std::nullopt;
    states[n] = *s;
    if (comma != std::string_view::npos)
      csv.remove_prefix(comma + 1);
  }
  return overall(states);
}

} // namespace

std::optional<bus_message> event_from_entry(std::string_view prefix,
                                            const std::vector<std::string>& flat) {
  const auto* id = find(flat, "id");
  const auto* at = find(flat, "at");
  const auto* node = find(flat, "node");
  const auto* org = find(flat, "org");
  const auto* rid = find(flat, "rid");
  const auto* res = find(flat, "res");
  const auto* stage = find(flat, "stage");
  const auto* status = find(flat, "status");
  const auto* progress = find(flat, "progress");
  const auto* stages = find(flat, "stages");
  if (!id || id->empty() || !at || !node || !res || !stage || !status || !progress || !stages)
    return std::nullopt;
  int64_t pct = 0;
  auto [end, ec] = std::from_chars(progress->data(), progress->data() + progress->size(), pct);
  if (ec != std::errc{} || end != progress->data() + progress->size())
    return std::nullopt;
  auto all = overall_of(*stages);
  if (!all)
    return std::nullopt;
  outbox::event e;
  e.id = *id;
  e.type = std::string{event_type};
  e.occurred_at = *at;
  e.node = *node;
  e.org_id = org ? *org : std::string{};
  e.request_id = rid ? *rid : std::string{};
  e.data_json = event_data_json(*res, *stage, *status, pct, to_string(*all));
  bus_message m;
  m.subject = outbox::event_subject(prefix, event_type);
  m.headers.push_back({nats::header_event_id, e.id});
  if (!e.request_id.empty())
    m.headers.push_back({nats::header_request_id, e.request_id});
  m.data = outbox::encode_event(e);
  return m;
}

} // namespace haven::status
