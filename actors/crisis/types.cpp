#include "actors/crisis/types.hpp"

namespace haven::crisis {

const char* to_string(risk_level x) {
  switch (x) {
    case risk_level::none:
      return "none";
    case risk_level::low:
      return "low";
    case risk_level::medium:
      return "medium";
    case risk_level::high:
      return "high";
    case risk_level::critical:
      return "critical";
  }
  return "none";
}

const char* to_string(category x) {
  switch (x) {
    case category::ideation:
      return "ideation";
    case category::intent:
      return "intent";
    case category::plan:
      return "plan";
    case category::means:
      return "means";
    case category::timeline:
      return "timeline";
    case category::self_harm:
      return "self_harm";
    case category::harm_to_others:
      return "harm_to_others";
    case category::hopelessness:
      return "hopelessness";
  }
  return "ideation";
}

const char* to_string(modifier x) {
  switch (x) {
    case modifier::none:
      return "none";
    case modifier::negated:
      return "negated";
    case modifier::third_party:
      return "third_party";
    case modifier::discussion:
      return "discussion";
    case modifier::history:
      return "history";
    case modifier::hypothetical:
      return "hypothetical";
    case modifier::hyperbole:
      return "hyperbole";
  }
  return "none";
}

bool parse_risk_level(std::string_view s, risk_level& out) {
  for (auto x : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high,
                 risk_level::critical}) {
    if (s == to_string(x)) {
      out = x;
      return true;
    }
  }
  return false;
}

bool parse_category(std::string_view s, category& out) {
  for (auto x :
       {category::ideation, category::intent, category::plan, category::means, category::timeline,
        category::self_harm, category::harm_to_others, category::hopelessness}) {
    if (s == to_string(x)) {
      out = x;
      return true;
    }
  }
  return false;
}

} // namespace haven::crisis
