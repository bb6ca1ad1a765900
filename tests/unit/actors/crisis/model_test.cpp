// The learned second opinion (actors/crisis/model.hpp): loading and its
// failures, the same probabilities as fastText's own predict, the text
// normalisation shared with training, and how it may change a level.
#include <fasttext/fasttext.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/crisis/model.hpp"
#include "crisis_test_util.hpp"

namespace haven::crisis {
namespace {

namespace fs = std::filesystem;

const crisis_model& model() {
  static const auto m = [] {
    auto r = crisis_model::load(find_model_file());
    if (!r.model)
      ADD_FAILURE() << r.error;
    return r.model;
  }();
  return *m;
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  auto p = (fs::temp_directory_path() / ("haven_model_test_" + name)).string();
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
  return p;
}

TEST(CrisisModel, TextIsLoweredWithPunctuationAsSpaces) {
  std::string out;
  model_text("  I'm DONE... tonight!!  💊💊 Nimechoka,sana ", out);
  EXPECT_EQ(out, "i'm done tonight 💊💊 nimechoka sana");
  model_text("", out);
  EXPECT_EQ(out, "");
}

TEST(CrisisModel, MissingAndCorruptFilesAreClearErrors) {
  auto missing = crisis_model::load("/nonexistent/crisis_model.bin");
  EXPECT_EQ(missing.model, nullptr);
  EXPECT_NE(missing.error.find("missing"), std::string::npos) << missing.error;

  auto junk = crisis_model::load(temp_file("junk.bin", "not a model at all"));
  EXPECT_EQ(junk.model, nullptr);
  EXPECT_NE(junk.error.find("not a fastText model"), std::string::npos) << junk.error;

  std::ifstream f(find_model_file(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 4096u);
  for (size_t cut : {size_t{40}, bytes.size() / 2, bytes.size() - 3}) {
    auto p = temp_file("cut.bin", bytes.substr(0, cut));
    auto r = crisis_model::load(p);
    EXPECT_EQ(r.model, nullptr) << "cut at " << cut;
    EXPECT_FALSE(r.error.empty());
    std::remove(p.c_str());
  }
  auto p = temp_file("long.bin", bytes + "xx");
  EXPECT_NE(crisis_model::load(p).error.find("trailing"), std::string::npos);
  std::remove(p.c_str());
}

TEST(CrisisModel, SameProbabilitiesAsFastTextsOwnPredict) {
  fasttext::FastText ft;
  ft.loadModel(find_model_file());
  for (std::string text :
       {"I'm on the bridge. tonight", "the vet comes friday for the old dog",
        "nimechoka na maisha, nimeandika barua ya kuaga", "lol this exam is killing me 💀",
        "gave my guitar away, deleted insta. bye", "", "a"}) {
    std::string norm;
    model_text(text, norm);
    std::istringstream in(norm + "\n");
    std::vector<std::pair<fasttext::real, std::string>> ref;
    ft.predictLine(in, ref, static_cast<int32_t>(model_class_count), 0.0f);
    auto got = model().predict(text);
    float sum = 0;
    for (float p : got.p)
      sum += p;
    EXPECT_NEAR(sum, 1.0f, 1e-4f) << text;
    for (const auto& [p, label] : ref) {
      size_t c = 0;
      while (c < model_class_count &&
             label != std::string{"__label__"} + to_string(static_cast<model_class>(c)))
        ++c;
      ASSERT_LT(c, model_class_count) << label;
      EXPECT_NEAR(got.p[c], p, 1e-3f) << text << " " << label; // 0.9.2 gives probabilities
    }
  }
}

model_scores with(model_class c, float p) {
  model_scores s;
  float rest = (1.0f - p) / static_cast<float>(model_class_count - 1);
  s.p.fill(rest);
  s.p[static_cast<size_t>(c)] = p;
  return s;
}

TEST(CrisisModel, RaisesWhatTheRulesLeftLowWhenConfident) {
  model_policy pol;
  assessment a;
  a.level = risk_level::medium;
  apply_model(with(model_class::critical, 0.85f), pol, a);
  EXPECT_EQ(a.level, risk_level::high); // never past high: critical is the rules' call

  assessment none;
  apply_model(with(model_class::high, 0.85f), pol, none);
  EXPECT_EQ(none.level, risk_level::none); // nothing found by the rules: needs more
  apply_model(with(model_class::high, 0.95f), pol, none);
  EXPECT_EQ(none.level, risk_level::high);

  assessment fell; // "fell off my bike, it keeps bleeding": an ordinary cause the rules found
  fell.accident = true;
  apply_model(with(model_class::high, 0.99f), pol, fell);
  EXPECT_EQ(fell.level, risk_level::none);

  assessment low;
  low.level = risk_level::low;
  apply_model(with(model_class::medium, 0.95f), pol, low);
  EXPECT_EQ(low.level, risk_level::low); // only high or critical raise
}

TEST(CrisisModel, LowersOnlyWhatIsNotAboutTheWriter) {
  model_policy pol;
  assessment a;
  a.level = risk_level::high;
  a.features = feature::active;
  apply_model(with(model_class::none, 0.95f), pol, a);
  EXPECT_EQ(a.level, risk_level::high); // "none" is not a reason to lower
  apply_model(with(model_class::notme, 0.95f), pol, a);
  EXPECT_EQ(a.level, risk_level::low);
  EXPECT_EQ(a.features, feature::floor_low);

  assessment attempt;
  attempt.level = risk_level::critical;
  attempt.features = feature::attempt;
  apply_model(with(model_class::notme, 0.99f), pol, attempt);
  EXPECT_EQ(attempt.level, risk_level::critical); // an attempt in progress stays

  assessment other;
  other.level = risk_level::high;
  other.other_person = true;
  apply_model(with(model_class::notme, 0.99f), pol, other);
  EXPECT_EQ(other.level, risk_level::high); // someone else at risk now stays

  // "just sent the goodbye texts to my kids. heading to the bridge now": the
  // rules' critical (the writer's plan with means and time) is never lowered,
  // however sure the model is that it is about someone else.
  assessment plan;
  plan.level = risk_level::critical;
  plan.features = feature::plan | feature::means | feature::timeline;
  apply_model(with(model_class::notme, 0.99f), pol, plan);
  EXPECT_EQ(plan.level, risk_level::critical);
}

TEST(CrisisModel, LoadsWithTheLexiconsByDefaultAndNotWhenOff) {
  auto with_model = load_lexicons(test::data_dir());
  ASSERT_NE(with_model.lexicons, nullptr) << with_model.error;
  EXPECT_NE(with_model.lexicons->model(), nullptr);
  auto rules = load_lexicons(test::data_dir(), model_options{});
  ASSERT_NE(rules.lexicons, nullptr);
  EXPECT_EQ(rules.lexicons->model(), nullptr);
  auto bad = load_lexicons(test::data_dir(), model_options{"/nonexistent/m.bin", {}});
  EXPECT_EQ(bad.lexicons, nullptr);
  EXPECT_NE(bad.error.find("crisis model"), std::string::npos);
}

} // namespace
} // namespace haven::crisis
