#include "actors/crisis/evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "actors/crisis/scorer.hpp"
#include "actors/crisis/tsv.hpp"

namespace haven::crisis {

namespace {

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

bool escalates(risk_level x) {
  return x >= risk_level::high;
}

} // namespace

eval_set load_eval_set(const std::string& path) {
  eval_set out;
  tsv_file f = read_tsv(path, true);
  if (!f.error.empty()) {
    out.error = f.error;
    return out;
  }
  for (const auto& line : f.lines) {
    if (!line.fields.empty() && line.fields[0] == "text")
      continue; // header
    auto fail = [&](const std::string& msg) {
      out.error = f.name + ":" + std::to_string(line.number) + ": " + msg;
      out.cases.clear();
    };
    if (line.fields.size() < 4 || line.fields.size() > 5) {
      fail("expected text, locale, expected level, is_hard_negative[, note]");
      return out;
    }
    eval_case c;
    c.text = unescape(line.fields[0]);
    c.locale = line.fields[1];
    if (!parse_risk_level(line.fields[2], c.expected)) {
      fail("unknown level \"" + line.fields[2] + "\"");
      return out;
    }
    if (line.fields[3] != "0" && line.fields[3] != "1") {
      fail("is_hard_negative must be 0 or 1");
      return out;
    }
    c.hard_negative = line.fields[3] == "1";
    c.note = line.fields.size() == 5 ? line.fields[4] : "";
    c.line = line.number;
    out.cases.push_back(std::move(c));
  }
  return out;
}

eval_report evaluate(const lexicon_set& lex, const std::vector<eval_case>& cases) {
  eval_report r;
  auto start = std::chrono::steady_clock::now();
  std::vector<assessment> results;
  results.reserve(cases.size());
  for (const auto& c : cases)
    results.push_back(score(lex, c.text, c.locale));
  auto elapsed =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start);
  r.micros_per_message = cases.empty() ? 0 : elapsed.count() / double(cases.size());

  for (size_t i = 0; i < cases.size(); ++i) {
    const eval_case& c = cases[i];
    risk_level got = results[i].level;
    auto e = static_cast<size_t>(c.expected), g = static_cast<size_t>(got);
    ++r.total;
    ++r.confusion[e][g];
    if (e == g) {
      ++r.per_level[e].tp;
    } else {
      ++r.per_level[e].fn;
      ++r.per_level[g].fp;
      eval_miss m{&c, got, {}};
      for (const auto& s : results[i].signals) {
        if (s.mod != modifier::none)
          continue;
        m.evidence +=
            std::string{m.evidence.empty() ? "" : "; "} + to_string(s.cat) + ":" + s.evidence;
      }
      r.misses.push_back(std::move(m));
    }
    bool want = escalates(c.expected), have = escalates(got);
    r.escalation.tp += want && have;
    r.escalation.fp += !want && have;
    r.escalation.fn += want && !have;
    if (c.note.find("other=1") != std::string::npos) {
      ++r.other_expected;
      r.other_flagged += results[i].other_person;
    }
    if (c.hard_negative) {
      ++r.hard_negatives;
      r.hard_negatives_escalated += have;
    }
  }
  // Escalation errors first (missed crises, then false alarms), then the rest.
  auto rank = [](const eval_miss& m) {
    bool want = escalates(m.c->expected), have = escalates(m.got);
    return want && !have ? 0 : !want && have ? 1 : 2;
  };
  std::stable_sort(r.misses.begin(), r.misses.end(),
                   [&](const eval_miss& a, const eval_miss& b) { return rank(a) < rank(b); });
  return r;
}

std::string format_report(const eval_report& r, bool list_misses) {
  static const risk_level levels[] = {risk_level::none, risk_level::low, risk_level::medium,
                                      risk_level::high, risk_level::critical};
  std::string out =
      "messages: " + std::to_string(r.total) + "\n\nlevel       precision  recall   (tp/fp/fn)\n";
  for (auto l : levels) {
    const counts& c = r.per_level[static_cast<size_t>(l)];
    char buf[120];
    std::snprintf(buf, sizeof buf, "%-10s  %8.3f  %7.3f   (%zu/%zu/%zu)\n", to_string(l),
                  c.precision(), c.recall(), c.tp, c.fp, c.fn);
    out += buf;
  }
  out += "\nconfusion (rows expected, columns got: none low medium high critical)\n";
  for (auto e : levels) {
    char buf[120];
    const auto& row = r.confusion[static_cast<size_t>(e)];
    std::snprintf(buf, sizeof buf, "%-10s %5zu %5zu %5zu %5zu %5zu\n", to_string(e), row[0], row[1],
                  row[2], row[3], row[4]);
    out += buf;
  }
  out += "\nescalation (high|critical): " +
         fmt("recall %.3f  precision %.3f", r.escalation.recall(), r.escalation.precision()) +
         "  (" + std::to_string(r.escalation.tp) + "/" + std::to_string(r.escalation.fp) + "/" +
         std::to_string(r.escalation.fn) + ")\n";
  out +=
      "false escalation on hard negatives: " + fmt("%.1f %%", 100.0 * r.false_escalation_rate()) +
      " (" + std::to_string(r.hard_negatives_escalated) + " of " +
      std::to_string(r.hard_negatives) + ")\n";
  if (r.other_expected)
    out += "someone else at risk (note other=1): " + std::to_string(r.other_flagged) + " of " +
           std::to_string(r.other_expected) + " flagged\n";
  out += fmt("scoring: %.2f us per message (this run, this build)\n", r.micros_per_message);
  out +=
      std::string{
          "targets (recall >= 0.95, precision >= 0.85, hard-negative false escalation <= 5 %): "} +
      (meets_targets(r) ? "met" : "NOT MET") + "\n";
  if (!list_misses)
    return out;
  out += "\nmisses (" + std::to_string(r.misses.size()) +
         "): line, expected -> got, text  [signals that counted]\n";
  for (const auto& m : r.misses) {
    bool want = escalates(m.c->expected), have = escalates(m.got);
    const char* tag = want && !have   ? "MISSED CRISIS "
                      : !want && have ? "FALSE ALARM   "
                                      : "              ";
    out += tag + std::to_string(m.c->line) + "  " + to_string(m.c->expected) + " -> " +
           to_string(m.got) + "  " + m.c->text + "  [" + m.evidence + "]\n";
  }
  return out;
}

bool meets_targets(const eval_report& r) {
  return r.escalation.recall() >= 0.95 && r.escalation.precision() >= 0.85 &&
         r.false_escalation_rate() <= 0.05;
}

} // namespace haven::crisis
