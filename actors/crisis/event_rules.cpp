#include "actors/crisis/event_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>

#include "actors/crisis/levels.hpp"

namespace haven::crisis {

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view language(std::string_view tag) {
  return tag.substr(0, tag.find('-'));
}

// 1 - prod(1 - w) over the signals that count: the strength within a band.
double strength(const assessment& a) {
  double keep = 1.0;
  for (auto& s : a.signals)
    if (s.mod == modifier::none)
      keep *= 1.0 - std::clamp(s.weight, 0.0, 1.0);
  return 1.0 - keep;
}

double round3(double x) {
  return std::round(x * 1000.0) / 1000.0;
}

} // namespace

std::optional<std::string> parse_status_filter(std::optional<std::string_view> raw) {
  if (!raw || raw->empty() || *raw == "open")
    return std::string{"open"};
  if (*raw == "acknowledged" || *raw == "all")
    return std::string{*raw};
  return std::nullopt;
}

int severity_rank(std::string_view risk_level) {
  if (risk_level == "critical")
    return 0;
  if (risk_level == "high")
    return 1;
  return 2;
}

bool listed_before(const crisis_event_view& a, const crisis_event_view& b) {
  // created_at is fixed-width RFC 3339 UTC: text order is time order.
  return std::make_tuple(severity_rank(a.risk_level), std::string_view{a.created_at},
                         std::string_view{a.id}) < std::make_tuple(severity_rank(b.risk_level),
                                                                   std::string_view{b.created_at},
                                                                   std::string_view{b.id});
}

void sort_for_counselors(std::vector<crisis_event_view>& events) {
  std::stable_sort(events.begin(), events.end(), listed_before);
}

escalation_plan plan_escalation(const assessment& a, const trajectory_step* step,
                                bool have_session_event) {
  escalation_plan p;
  p.level = step != nullptr ? std::max(step->level, a.level) : a.level;
  // A level raised by the session keeps the score in its level's band.
  p.score = p.level == a.level ? a.score : score_in_band(p.level, strength(a));
  p.escalate = p.level >= risk_level::high;
  if (p.escalate)
    p.store_new = step == nullptr || step->escalate || !have_session_event;
  return p;
}

bool wants_resources(risk_level level, const assessment& a) {
  return level >= risk_level::low || a.concern_for_other;
}

std::string resource_locale(const resource& r, std::string_view requested) {
  auto want = lower(requested.empty() ? std::string_view{"en"} : requested);
  if (r.locales.empty() || r.locales.front() == "*")
    return want;
  for (auto& l : r.locales)
    if (l == want)
      return l;
  for (auto& l : r.locales)
    if (language(l) == language(want))
      return l;
  return r.locales.front();
}

crisis_detect_result make_detect_result(const assessment& a, const escalation_plan& plan,
                                        const std::vector<const resource*>& resources,
                                        std::string_view locale) {
  crisis_detect_result out;
  out.risk_level = to_string(plan.level);
  out.score = round3(plan.score);
  for (auto& s : a.signals)
    if (s.mod == modifier::none)
      out.signals.push_back({to_string(s.cat), s.evidence, round3(s.weight)});
  out.escalate = plan.escalate;
  out.other_person = a.other_person;
  if (wants_resources(plan.level, a))
    for (auto* r : resources)
      out.resources.push_back({r->name, r->phone, r->url, resource_locale(*r, locale)});
  return out;
}

std::vector<std::string> resource_phones(const resource_set& set) {
  std::vector<std::string> out;
  for (auto& r : set.items) {
    std::string_view rest = r.phone;
    while (!rest.empty()) {
      auto cut = rest.find('/');
      auto part = rest.substr(0, cut);
      rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 1);
      auto b = part.find_first_not_of(' ');
      if (b == std::string_view::npos)
        continue;
      part = part.substr(b, part.find_last_not_of(' ') - b + 1);
      out.emplace_back(part);
      if (part.substr(0, 4) == "+254") {
        auto national = part.substr(4);
        national.remove_prefix(std::min(national.find_first_not_of(' '), national.size()));
        out.push_back("0" + std::string{national});
      }
    }
  }
  return out;
}

} // namespace haven::crisis
