#include "actors/sessions/reply_rules.hpp"

#include <algorithm>

#include "actors/sessions/sessions_sql.hpp"

namespace haven::sessions {

int level_rank(std::string_view risk_level) {
  return risk_rank(risk_level);
}

std::string fallback_reply(const fallback_templates& t, std::string_view locale, int level,
                           bool blocked, size_t variant,
                           const std::vector<crisis_resource_view>& resources) {
  std::string_view kind = blocked && !needs_resources(level) ? "blocked" : risk_name(level);
  return with_resources(t.render(locale, kind, variant, resources), t, locale, level, resources);
}

std::string with_resources(std::string text, const fallback_templates& t, std::string_view locale,
                           int level, const std::vector<crisis_resource_view>& resources) {
  if (!needs_resources(level) || resources.empty() || names_a_resource(text, resources))
    return text;
  auto sentence = t.render(locale, "resources", 0, resources);
  if (!text.empty())
    text += text.back() == '\n' ? "" : "\n\n";
  return text + sentence;
}

std::string system_prompt(std::string_view locale, int level,
                          const std::vector<crisis_resource_view>& resources) {
  std::string p =
      "You are Haven, a supportive listener in a mental-health support app. You are not a "
      "therapist and give no diagnosis, medication advice or instructions that could cause harm. "
      "Listen, reflect feelings, ask one gentle open question, and keep replies short (at most "
      "120 words). Never claim to be a human. Answer in the user's language (locale: ";
  p.append(locale.empty() ? "en" : locale).append(").");
  if (level >= 2 && !resources.empty()) {
    p += " The user may be at risk. Encourage them warmly to contact one of these lines now: " +
         mentions(resources, "or") + ".";
    if (needs_resources(level))
      p += " Name at least one of these lines with its number in your reply.";
  }
  return p;
}

std::vector<provider_message> provider_messages(std::string prompt,
                                                const std::vector<history_item>& newest_first,
                                                std::string user_text, size_t max_history_bytes) {
  size_t used = 0;
  size_t keep = 0;
  for (const auto& h : newest_first) {
    if (used + h.text.size() > max_history_bytes)
      break;
    used += h.text.size();
    ++keep;
  }
  std::vector<provider_message> out;
  out.reserve(keep + 2);
  out.push_back({"system", std::move(prompt)});
  for (size_t i = keep; i-- > 0;)
    out.push_back({newest_first[i].role, newest_first[i].text});
  out.push_back({"user", std::move(user_text)});
  return out;
}

} // namespace haven::sessions
