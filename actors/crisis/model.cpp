#include "actors/crisis/model.hpp"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace haven::crisis {

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, model_class_count> class_names = {"none",   "notme", "low",
                                                                    "medium", "high",  "critical"};

// fastText's hash (Dictionary::hash): FNV-1a over the bytes as signed chars.
inline uint32_t ft_hash(const char* s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h = h ^ static_cast<uint32_t>(static_cast<int8_t>(s[i]));
    h = h * 16777619u;
  }
  return h;
}

// checkModel (magic and version, and the version loadModel needs) is protected.
struct ft_model : fasttext::FastText {
  using fasttext::FastText::checkModel;
};

} // namespace

const char* to_string(model_class c) {
  return class_names[static_cast<size_t>(c)];
}

void model_text(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  bool space = true; // no leading space
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '\'') {
      out.push_back(ch);
      space = false;
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
      space = false;
    } else if (!space) {
      out.push_back(' ');
      space = true;
    }
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
}

// What scoring needs, copied out of fastText's objects at load: its Dictionary
// keeps a 30M-entry index (120 MB) that a few thousand words do not need.
struct crisis_model::impl {
  int32_t nwords = 0, bucket = 0, minn = 0, maxn = 0, ngrams = 1, dim = 0;
  std::vector<float> in;  // (nwords + bucket) x dim
  std::vector<float> out; // model_class_count x dim, in model_class order
  std::string blob;       // the words, word i at [off[i], off[i + 1])
  std::vector<uint32_t> off;
  std::vector<uint32_t> hash; // fastText's hash of word i
  std::vector<int32_t> slots; // open addressing over hash: word id or -1
  int32_t eos = -1;
  uint32_t eos_hash = 0;
  uint64_t bucket_m = 0; // Lemire's fastmod: h % bucket without a division

  // fastText's `hash % bucket` for a character n-gram's 32-bit hash.
  uint32_t mod32(uint32_t h) const {
    uint64_t low = bucket_m * h;
    return static_cast<uint32_t>(
        (static_cast<unsigned __int128>(low) * static_cast<uint32_t>(bucket)) >> 64);
  }

  // The rows of a known word's id and n-grams, summed at load: one add per
  // known word when scoring instead of one per n-gram.
  std::vector<float> word_sum; // nwords x dim
  std::vector<uint32_t> word_n;

  // Dictionary::computeSubwords of "<w>": the character n-grams, minn..maxn
  // code points, by bucket.
  template <class F>
  void char_ngrams(std::string_view w, std::string& b, F&& f) const {
    if (maxn <= 0 || bucket <= 0)
      return;
    b.assign("<");
    b.append(w.data(), w.size());
    b.push_back('>');
    for (size_t i = 0; i < b.size(); ++i) {
      if ((b[i] & 0xC0) == 0x80)
        continue;
      uint32_t gh = 2166136261u;
      size_t j = i;
      for (int n = 1; j < b.size() && n <= maxn; ++n) {
        gh = (gh ^ static_cast<uint32_t>(static_cast<int8_t>(b[j++]))) * 16777619u;
        while (j < b.size() && (b[j] & 0xC0) == 0x80)
          gh = (gh ^ static_cast<uint32_t>(static_cast<int8_t>(b[j++]))) * 16777619u;
        if (n >= minn && !(n == 1 && (i == 0 || j == b.size())))
          f(nwords + static_cast<int32_t>(mod32(gh)));
      }
    }
  }

  int32_t find(std::string_view w, uint32_t h) const {
    size_t mask = slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      int32_t id = slots[i];
      if (id < 0)
        return -1;
      if (hash[static_cast<size_t>(id)] == h &&
          std::string_view{blob}.substr(off[static_cast<size_t>(id)],
                                        off[static_cast<size_t>(id) + 1] -
                                            off[static_cast<size_t>(id)]) == w)
        return id;
    }
  }
};

crisis_model::crisis_model(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
crisis_model::~crisis_model() = default;

model_result crisis_model::load(const std::string& path) {
  auto fail = [&](const std::string& why) {
    return model_result{nullptr, "crisis model " + path + ": " + why};
  };
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return fail("missing (build target haven_crisis_model trains it; HAVEN_CRISIS_MODEL=off runs "
                "the rules alone)");
  auto p = std::make_unique<impl>();
  try {
    auto ft = std::make_unique<ft_model>();
    // fastText reads what it is given without checking sizes: a truncated file
    // leaves a failed stream, a foreign one fails the checks below.
    std::ifstream f(path, std::ios::binary);
    if (!f)
      return fail("cannot be opened");
    if (!ft->checkModel(f))
      return fail("not a fastText model (magic or version)");
    ft->loadModel(f);
    if (!f)
      return fail("truncated or corrupt");
    f.peek();
    if (!f.eof())
      return fail("trailing bytes: not a fastText model");
    const fasttext::Args args = ft->getArgs();
    if (args.model != fasttext::model_name::sup || args.loss != fasttext::loss_name::softmax)
      return fail("not a supervised softmax model");
    auto dict = ft->getDictionary();
    auto in = ft->getInputMatrix();
    auto out = ft->getOutputMatrix();
    p->nwords = dict->nwords();
    p->bucket = args.bucket;
    p->minn = args.minn;
    p->maxn = args.maxn;
    p->ngrams = args.wordNgrams;
    p->dim = args.dim;
    if (p->dim <= 0 || p->dim > 256 || in->cols() != p->dim || out->cols() != p->dim ||
        in->rows() != static_cast<int64_t>(p->nwords) + p->bucket ||
        out->rows() != dict->nlabels() || p->bucket < 0 || p->minn < 1 || p->maxn > 8)
      return fail("matrix sizes do not match its dictionary");
    std::array<int32_t, model_class_count> row{};
    row.fill(-1);
    for (int32_t i = 0; i < dict->nlabels(); ++i) {
      std::string label = dict->getLabel(i);
      auto it = std::find_if(class_names.begin(), class_names.end(),
                             [&](const char* n) { return label == std::string{"__label__"} + n; });
      if (it == class_names.end())
        return fail("unknown label " + label);
      row[static_cast<size_t>(it - class_names.begin())] = i;
    }
    for (size_t c = 0; c < model_class_count; ++c)
      if (row[c] < 0)
        return fail(std::string{"no label __label__"} + class_names[c]);
    p->in.assign(in->data(), in->data() + in->rows() * in->cols());
    for (size_t c = 0; c < model_class_count; ++c)
      p->out.insert(p->out.end(), out->data() + static_cast<int64_t>(row[c]) * p->dim,
                    out->data() + static_cast<int64_t>(row[c] + 1) * p->dim);
    size_t cap = 16;
    while (cap < 2 * static_cast<size_t>(p->nwords) + 1)
      cap *= 2;
    p->slots.assign(cap, -1);
    p->off.push_back(0);
    for (int32_t i = 0; i < p->nwords; ++i) {
      std::string w = dict->getWord(i);
      uint32_t h = ft_hash(w.data(), w.size());
      p->blob += w;
      p->off.push_back(static_cast<uint32_t>(p->blob.size()));
      p->hash.push_back(h);
      size_t k = h & (cap - 1);
      while (p->slots[k] >= 0)
        k = (k + 1) & (cap - 1);
      p->slots[k] = i;
    }
  } catch (const std::exception& e) {
    return fail(std::string{"not a fastText model ("} + e.what() + ")");
  }
  if (p->bucket > 0)
    p->bucket_m = UINT64_C(0xFFFFFFFFFFFFFFFF) / static_cast<uint32_t>(p->bucket) + 1;
  p->eos_hash = ft_hash("</s>", 4);
  p->eos = p->find("</s>", p->eos_hash);
  const size_t dim = static_cast<size_t>(p->dim);
  p->word_sum.assign(static_cast<size_t>(p->nwords) * dim, 0.0f);
  p->word_n.assign(static_cast<size_t>(p->nwords), 0);
  std::string b;
  for (int32_t w = 0; w < p->nwords; ++w) {
    float* sum = p->word_sum.data() + static_cast<size_t>(w) * dim;
    auto add = [&](int32_t id) {
      const float* r = p->in.data() + static_cast<size_t>(id) * dim;
      for (size_t k = 0; k < dim; ++k)
        sum[k] += r[k];
      ++p->word_n[static_cast<size_t>(w)];
    };
    add(w);
    if (w != p->eos)
      p->char_ngrams(std::string_view{p->blob}.substr(p->off[static_cast<size_t>(w)],
                                                      p->off[static_cast<size_t>(w) + 1] -
                                                          p->off[static_cast<size_t>(w)]),
                     b, add);
  }
  return {std::shared_ptr<const crisis_model>(new crisis_model(std::move(p))), {}};
}

model_scores crisis_model::predict(std::string_view text) const {
  const impl& m = *impl_;
  struct scratch {
    std::string norm, bow;
    std::vector<int32_t> hashes;
    std::vector<float> hidden;
  };
  thread_local scratch s;
  model_text(text, s.norm);
  s.hashes.clear();
  const size_t dim = static_cast<size_t>(m.dim);
  s.hidden.assign(dim, 0.0f);
  float* hid = s.hidden.data();
  size_t count = 0;
  auto add_rows = [&](const float* r, size_t n) {
    for (size_t k = 0; k < dim; ++k)
      hid[k] += r[k];
    count += n;
  };
  auto add_row = [&](int32_t id) { add_rows(m.in.data() + static_cast<size_t>(id) * dim, 1); };
  // Dictionary::getLine and Model::computeHidden: the average of the rows of
  // each word's id when known and the character n-grams of "<word>", then of
  // the word n-grams of the word hashes; a line ends with the end-of-sentence
  // word (its id alone).
  auto add_word = [&](std::string_view w, bool eos) {
    uint32_t h = eos ? m.eos_hash : ft_hash(w.data(), w.size());
    int32_t wid = eos ? m.eos : m.find(w, h);
    if (wid >= 0)
      add_rows(m.word_sum.data() + static_cast<size_t>(wid) * dim,
               m.word_n[static_cast<size_t>(wid)]);
    else if (!eos)
      m.char_ngrams(w, s.bow, add_row);
    s.hashes.push_back(static_cast<int32_t>(h));
  };
  size_t i = 0;
  const std::string& t = s.norm;
  while (i < t.size()) {
    size_t j = t.find(' ', i);
    if (j == std::string::npos)
      j = t.size();
    if (j > i)
      add_word(std::string_view{t}.substr(i, j - i), false);
    i = j + 1;
  }
  add_word({}, true);
  if (m.bucket > 0)
    for (size_t a = 0; a < s.hashes.size(); ++a) {
      uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(s.hashes[a]));
      for (size_t b = a + 1; b < s.hashes.size() && b < a + static_cast<size_t>(m.ngrams); ++b) {
        h = h * 116049371 + static_cast<uint64_t>(static_cast<int64_t>(s.hashes[b]));
        add_row(m.nwords + static_cast<int32_t>(h % static_cast<uint64_t>(m.bucket)));
      }
    }
  if (count > 0)
    for (size_t k = 0; k < dim; ++k)
      hid[k] /= static_cast<float>(count);
  model_scores res;
  float maxv = -1e30f;
  for (size_t c = 0; c < model_class_count; ++c) {
    const float* r = m.out.data() + c * dim;
    float v = 0;
    for (size_t k = 0; k < dim; ++k)
      v += r[k] * hid[k];
    res.p[c] = v;
    maxv = std::max(maxv, v);
  }
  float sum = 0;
  for (float& v : res.p)
    sum += (v = std::exp(v - maxv));
  for (float& v : res.p)
    v /= sum;
  return res;
}

void apply_model(const model_scores& m, const model_policy& pol, assessment& a) {
  using namespace feature;
  const float esc = m.escalation();
  if (a.level < risk_level::high && !a.accident &&
      esc >= (a.level == risk_level::none ? pol.raise_none_at : pol.raise_at)) {
    a.level = risk_level::high;
    a.score = std::max(a.score, 0.6);
    return;
  }
  // A critical level from the rules is the writer's own plan with its means or
  // time ("heading to the bridge now"): no learned "not me" overrules that.
  if (a.level >= risk_level::medium && a.level < risk_level::critical && !(a.features & attempt) &&
      !a.other_person && m.at(model_class::notme) >= pol.lower_at && esc < 1.0f - pol.lower_at) {
    a.level = risk_level::low;
    a.features = floor_low;
    a.score = std::min(a.score, 0.2);
  }
}

std::string find_model_file(const std::string& configured, const std::string& exe_path) {
  if (!configured.empty())
    return configured == "off" ? std::string{} : configured;
  std::vector<std::string> candidates;
  std::error_code ec;
  fs::path exe = fs::canonical(exe_path, ec);
  if (!ec) {
    candidates.push_back((exe.parent_path() / "crisis_model.bin").string());
    candidates.push_back(
        (exe.parent_path() / ".." / "share" / "haven" / "crisis" / "crisis_model.bin").string());
  }
#ifdef HAVEN_CRISIS_MODEL_FILE
  candidates.push_back(HAVEN_CRISIS_MODEL_FILE);
#else
  candidates.push_back("crisis_model.bin");
#endif
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec))
      return c;
  return candidates.back();
}

} // namespace haven::crisis
