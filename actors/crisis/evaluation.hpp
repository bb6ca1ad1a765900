#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "actors/crisis/lexicon.hpp"
#include "actors/crisis/types.hpp"

// Scoring a labelled evaluation set (tests/data/crisis_eval.tsv) and the
// numbers docs/safety.md reports: per-level precision and recall, escalation
// (high or critical) precision and recall, and the false-escalation rate on
// hard negatives. Used by tools/crisis_eval and by a unit test that holds the
// targets, so a regression fails CI.

namespace haven::crisis {

struct eval_case {
  std::string text;
  std::string locale;
  risk_level expected = risk_level::none;
  bool hard_negative = false;
  std::string note;
  uint32_t line = 0;
};

struct eval_set {
  std::vector<eval_case> cases;
  std::string error; // "crisis_eval.tsv:12: ..." or empty
};

/// Reads `text<TAB>locale<TAB>expected<TAB>is_hard_negative<TAB>note` lines; the
/// header line (starting "text\t") and '#' comments are skipped; "\n" in a
/// text stands for a line break.
eval_set load_eval_set(const std::string& path);

struct counts {
  size_t tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp ? double(tp) / double(tp + fp) : 1.0; }
  double recall() const { return tp + fn ? double(tp) / double(tp + fn) : 1.0; }
};

struct eval_miss {
  const eval_case* c = nullptr;
  risk_level got = risk_level::none;
  std::string evidence; // the signals that counted, "category:words; ..."
};

struct eval_report {
  size_t total = 0;
  std::array<counts, 5> per_level{};                // by risk_level
  std::array<std::array<size_t, 5>, 5> confusion{}; // [expected][got]
  counts escalation;                                // high or critical
  size_t hard_negatives = 0;
  size_t hard_negatives_escalated = 0;
  std::vector<eval_miss> misses; // every case whose level differs, escalation errors first
  size_t other_expected = 0;     // cases whose note says "other=1" (someone else at risk now)
  size_t other_flagged = 0;      // ... of them answered with concern for someone else
  double micros_per_message = 0;

  double false_escalation_rate() const {
    return hard_negatives ? double(hard_negatives_escalated) / double(hard_negatives) : 0.0;
  }
};

eval_report evaluate(const lexicon_set& lex, const std::vector<eval_case>& cases);

/// The report as text: the metrics, the confusion matrix, and (with
/// `list_misses`) one line per miss.
std::string format_report(const eval_report& r, bool list_misses);

/// The targets of issue 6: escalation recall >= 0.95, precision >= 0.85,
/// false escalation on hard negatives <= 5 %.
bool meets_targets(const eval_report& r);

} // namespace haven::crisis
