#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "actors/crisis/types.hpp"

// The crisis detector's learned second opinion (docs/safety.md, issue 11): a
// fastText supervised classifier trained at build time (tools/CMakeLists.txt,
// haven_crisis_corpus + `fasttext supervised`) from the repo's labelled sets.
// Its labels are the levels, with the hard negatives (quotes, denials,
// hyperbole, discussion, past and resolved) as a class of their own, "notme".
//
// The library loads the model; scoring reads its matrices directly (the
// library's predict goes through an istream and a heap vector per call): the
// same tokens, character n-grams, word bigrams and softmax, in about a
// microsecond for a chat message.

namespace haven::crisis {

/// The classes the model is trained on, in this order.
enum class model_class : uint8_t { none, notme, low, medium, high, critical };
constexpr size_t model_class_count = 6;
const char* to_string(model_class c);

struct model_scores {
  std::array<float, model_class_count> p{}; // probabilities, sum 1
  float at(model_class c) const { return p[static_cast<size_t>(c)]; }
  float escalation() const { return at(model_class::high) + at(model_class::critical); }
};

class crisis_model;

struct model_result {
  std::shared_ptr<const crisis_model> model; // null on error
  std::string error;                         // one line
};

class crisis_model {
 public:
  /// Loads a fastText .bin (not quantized) whose labels are exactly
  /// __label__<model_class>. Missing, truncated or foreign files are errors.
  static model_result load(const std::string& path);

  /// The class probabilities of `text` (any length). Thread-safe.
  model_scores predict(std::string_view text) const;

  ~crisis_model();
  struct impl;

 private:
  explicit crisis_model(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The text as the model sees it, in training and in scoring: ASCII lowered,
/// ASCII punctuation except the apostrophe made a space, spaces collapsed;
/// UTF-8 (Swahili, emoji) kept as is.
void model_text(std::string_view in, std::string& out);

/// How the second opinion changes the rules' level (docs/safety.md):
/// - raise to high (never for an injury the rules found an ordinary cause for:
///   "fell off my bike, it keeps bleeding") when the rules said low or medium and the model gives
///   high+critical at least `raise_at`, or said none and it gives at least
///   `raise_none_at` (the model alone fires on method words: "the roof's
///   leaking, going up tonight");
/// - lower to low when the rules escalated or said medium and the model is sure
///   it is not about the writer's own risk (notme at least `lower_at`, and
///   high+critical under `lower_at`'s complement); never for an attempt in
///   progress or someone else at risk now.
struct model_policy {
  float raise_at = 0.80f;      // when the rules found low or medium
  float raise_none_at = 0.90f; // when they found nothing: method words alone ("the roof")
  float lower_at = 0.80f;
};
void apply_model(const model_scores& m, const model_policy& pol, assessment& a);

/// Where the model is: `configured` (the HAVEN_CRISIS_MODEL setting) when not
/// empty ("off" = rules only; any other value is used as is, so a wrong path fails
/// loudly); else the first existing of `crisis_model.bin` next to the
/// executable, `../share/haven/crisis/crisis_model.bin` relative to it, and
/// the file the build trains (HAVEN_CRISIS_MODEL_FILE); the last when none
/// exists (loading then fails with "missing"). Empty = rules only.
std::string find_model_file(const std::string& configured = {},
                            const std::string& exe_path = "/proc/self/exe");

} // namespace haven::crisis
