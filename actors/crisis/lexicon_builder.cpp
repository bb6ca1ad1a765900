#include "actors/crisis/lexicon_builder.hpp"

#include <algorithm>
#include <cstdlib>

namespace haven::crisis {

namespace {

struct cue_name {
  const char* name;
  cue value;
};
constexpr cue_name cue_names[] = {
    {"negation", cue::negation},
    {"first_person", cue::first_person},
    {"third_party", cue::third_party},
    {"reporting", cue::reporting},
    {"discussion", cue::discussion},
    {"history", cue::history},
    {"hypothetical", cue::hypothetical},
    {"hyperbole", cue::hyperbole},
    {"game", cue::game},
    {"quote", cue::quote},
    {"help", cue::help},
    {"post_negation", cue::post_negation},
    {"self_word", cue::self_word},
};

bool is_word_rule(const std::string& kind) {
  return kind == "filler" || kind == "transparent" || kind == "breaker";
}

} // namespace

lexicon_builder::lexicon_builder() : lex_(std::make_shared<lexicon_set>()) {
  lex_->words_.emplace_back(); // id 0: unknown
}

uint8_t lexicon_builder::add_locale(const std::string& name) {
  lex_->locales_.push_back(name);
  return static_cast<uint8_t>(lex_->locales_.size() - 1);
}

std::string lexicon_builder::at(const tsv_file& f, const tsv_line& line, const std::string& msg) {
  return f.name + ":" + std::to_string(line.number) + ": " + msg;
}

uint32_t lexicon_builder::new_word(std::string_view sq) {
  auto id = static_cast<uint32_t>(lex_->words_.size());
  lex_->words_.emplace_back(sq);
  lex_->entries_.push_back(entry{static_cast<uint32_t>(lex_->expansion_.size()), 1});
  lex_->expansion_.push_back(piece{id, 0});
  lex_->table_.insert(sq, static_cast<uint32_t>(lex_->entries_.size() - 1));
  return id;
}

uint32_t lexicon_builder::intern(std::string_view sq, std::string& err) {
  const uint32_t* v = lex_->table_.find(sq);
  if (!v)
    return new_word(sq);
  const entry& e = lex_->entries_[*v];
  bool plain = e.len == 1 && e.begin < lex_->expansion_.size() && // pending keys have len 0xFFFF
               lex_->expansion_[e.begin].flags == 0 &&
               lex_->words_[lex_->expansion_[e.begin].id] == sq;
  if (!plain) {
    err = "\"" + std::string{sq} + "\" is a misspelling or filler key and cannot be a target";
    return 0;
  }
  return lex_->expansion_[e.begin].id;
}

std::string lexicon_builder::encode(const std::string& text, std::vector<uint32_t>& ids,
                                    uint8_t& flags) {
  token_stream ts;
  tokenize(text, ts);
  ids.clear();
  flags = 0;
  for (const auto& w : ts.words) {
    const piece* first = nullptr;
    size_t n = 0;
    piece tmp{};
    if (lex_->lookup(ts.text(w), first, n, tmp)) {
      for (size_t k = 0; k < n; ++k) {
        ids.push_back(first[k].id);
        flags |= first[k].flags;
      }
      continue;
    }
    char buf[max_word_bytes * 2];
    ids.push_back(new_word(squeeze(ts.text(w), buf)));
  }
  return ids.empty() ? "the phrase has no words" : "";
}

std::string lexicon_builder::add_phrases(const tsv_file& f, const tsv_line& line,
                                         const macro_table& macros, pattern_info proto) {
  expansion ex = expand_phrase(line.fields[0], macros);
  if (!ex.error.empty())
    return at(f, line, ex.error);
  proto.source = static_cast<uint32_t>(lex_->sources_.size());
  lex_->sources_.push_back(f.name + ":" + std::to_string(line.number));
  std::vector<uint32_t> ids;
  for (const auto& phrase : ex.phrases) {
    uint8_t flags = 0;
    std::string err = encode(phrase, ids, flags);
    if (!err.empty())
      return at(f, line, err + " (\"" + phrase + "\")");
    pattern_info p = proto;
    if (p.kind == pattern_kind::word_class)
      p.phrase_flags = flags; // "sitajiua" needs the negation the automaton cannot see
    if (p.kind == pattern_kind::signal &&
        ((flags & token_flag::self) || std::any_of(ids.begin(), ids.end(), [&](uint32_t id) {
           return first_person_.count(id) > 0;
         })))
      p.tags |= tag::self_ref;
    if (p.kind == pattern_kind::cue &&
        (p.cue_type == cue::first_person || p.cue_type == cue::self_word) && ids.size() == 1)
      first_person_.insert(ids[0]);
    lex_->patterns_.push_back(p);
    lex_->matcher_.add(ids);
  }
  return {};
}

namespace {

// Which '@' lines define a macro: in cue and idiom files every one; in signal
// files only "@NAME<TAB>expansion", since "@X<TAB>cat<TAB>w" is a phrase.
enum class macro_lines { all, two_fields };

// Walks a lexicon file: macro lines go to the file's macro table, every other
// line to `entry(line, macros)`; the first error (with its place) stops it.
template <class Entry>
std::string each_entry(const tsv_file& f, macro_lines which, Entry entry) {
  macro_table macros;
  for (const auto& line : f.lines) {
    if (line.fields[0][0] == '@' && (which == macro_lines::all || line.fields.size() == 2)) {
      std::string err = define_macro(line, macros);
      if (!err.empty())
        return lexicon_builder::at(f, line, err);
      continue;
    }
    std::string err = entry(line, macros);
    if (!err.empty())
      return err;
  }
  return {};
}

} // namespace

std::string lexicon_builder::add_cues(const tsv_file& f, uint8_t locale) {
  return each_entry(f, macro_lines::all, [&](const tsv_line& line, const macro_table& macros) {
    if (line.fields.size() != 2)
      return at(f, line, "expected kind<TAB>phrase");
    if (is_word_rule(line.fields[0]))
      return std::string{};
    auto it = std::find_if(std::begin(cue_names), std::end(cue_names),
                           [&](const cue_name& c) { return line.fields[0] == c.name; });
    if (it == std::end(cue_names))
      return at(f, line, "unknown kind \"" + line.fields[0] + "\"");
    pattern_info p;
    p.kind = pattern_kind::cue;
    p.cue_type = it->value;
    p.locale = locale;
    tsv_line phrase_line{line.number, {line.fields[1]}};
    return add_phrases(f, phrase_line, macros, p);
  });
}

namespace {
struct class_name {
  const char* name;
  wclass value;
};
constexpr class_name class_names[] = {
    {"method", wclass::method},
    {"method_act", wclass::method_act},
    {"intent", wclass::intent},
    {"consider", wclass::consider},
    {"undecided", wclass::undecided},
    {"time", wclass::time},
    {"now", wclass::now},
    {"at_place", wclass::at_place},
    {"taken", wclass::taken},
    {"symptom", wclass::symptom},
    {"collect", wclass::collect},
    {"farewell", wclass::farewell},
    {"injury_act", wclass::injury_act},
    {"injury", wclass::injury},
    {"search", wclass::search},
    {"urge", wclass::urge},
    {"fast", wclass::fast},
    {"other_risk", wclass::other_risk},
    {"denial", wclass::denial},
    {"no_act", wclass::no_act},
    {"hyperbole", wclass::hyperbole},
    {"quote", wclass::quote},
    {"place", wclass::place},
    {"screen", wclass::screen},
    {"passive", wclass::passive},
    {"method_search", wclass::method_search},
    {"act_ref", wclass::act_ref},
    {"bye", wclass::bye},
    {"taken_ref", wclass::taken_ref},
    {"past", wclass::past},
    {"laugh", wclass::laugh},
    {"go", wclass::go},
    {"bought", wclass::bought},
    {"study", wclass::study},
    {"engine", wclass::engine},
    {"closed", wclass::closed},
    {"resolve", wclass::resolve},
    {"did_it", wclass::did_it},
    {"mundane", wclass::mundane},
    {"at_hand", wclass::at_hand},
    {"resolved", wclass::resolved},
    {"ultimatum", wclass::ultimatum},
    {"ending", wclass::ending},
    {"give", wclass::give},
    {"possession", wclass::possession},
    {"possessions", wclass::possessions},
    {"gift", wclass::gift},
    {"relay", wclass::relay},
    {"accident", wclass::accident},
    {"routine", wclass::routine},
    {"training", wclass::training},
    {"leisure", wclass::leisure},
};
} // namespace

std::string lexicon_builder::add_classes(const tsv_file& f, uint8_t locale) {
  return each_entry(f, macro_lines::all, [&](const tsv_line& line, const macro_table& macros) {
    if (line.fields.size() != 2)
      return at(f, line, "expected class<TAB>phrase");
    auto it = std::find_if(std::begin(class_names), std::end(class_names),
                           [&](const class_name& c) { return line.fields[0] == c.name; });
    if (it == std::end(class_names))
      return at(f, line, "unknown class \"" + line.fields[0] + "\"");
    pattern_info p;
    p.kind = pattern_kind::word_class;
    p.cls = it->value;
    p.locale = locale;
    tsv_line phrase_line{line.number, {"(" + line.fields[1] + ")"}}; // "pills|tablets" at top level
    return add_phrases(f, phrase_line, macros, p);
  });
}

std::string lexicon_builder::add_idioms(const tsv_file& f, uint8_t locale) {
  return each_entry(f, macro_lines::all, [&](const tsv_line& line, const macro_table& macros) {
    if (line.fields.size() > 2)
      return at(f, line, "expected phrase[<TAB>note]");
    pattern_info p;
    p.kind = pattern_kind::idiom;
    p.locale = locale;
    return add_phrases(f, line, macros, p);
  });
}

std::string lexicon_builder::add_signals(const tsv_file& f, uint8_t locale) {
  return each_entry(
      f, macro_lines::two_fields, [&](const tsv_line& line, const macro_table& macros) {
        if (line.fields.size() < 3 || line.fields.size() > 4)
          return at(f, line, "expected phrase<TAB>category<TAB>weight[<TAB>tags]");
        pattern_info p;
        p.kind = pattern_kind::signal;
        p.locale = locale;
        if (!parse_category(line.fields[1], p.cat))
          return at(f, line, "unknown category \"" + line.fields[1] + "\"");
        char* end = nullptr;
        double w = std::strtod(line.fields[2].c_str(), &end);
        if (end == line.fields[2].c_str() || *end != '\0' || !(w > 0.0 && w <= 1.0))
          return at(f, line, "weight must be a number in (0, 1], got \"" + line.fields[2] + "\"");
        p.weight = static_cast<float>(w);
        if (line.fields.size() == 4 && !parse_names(line.fields[3],
                                                    {{"passive", tag::passive},
                                                     {"attempt", tag::attempt},
                                                     {"topic", tag::topic},
                                                     {"hyperbole", tag::hyperbole},
                                                     {"other", tag::other},
                                                     {"sentence", tag::sentence}},
                                                    p.tags))
          return at(f, line,
                    "unknown tag in \"" + line.fields[3] +
                        "\" (passive, attempt, topic, hyperbole, other, sentence)");
        return add_phrases(f, line, macros, p);
      });
}

std::shared_ptr<const lexicon_set> lexicon_builder::finish() {
  auto& pre = lex_->prefixes_;
  std::stable_sort(pre.begin(), pre.end(),
                   [](const auto& a, const auto& b) { return a.prefix.size() > b.prefix.size(); });
  lex_->bits_.resize(lex_->words_.size(), 0);
  for (auto& [tail, rules] : lex_->affixes_)
    std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
      return a.suffix.size() > b.suffix.size();
    });
  for (uint32_t id = 1; id < lex_->words_.size(); ++id) {
    size_t len = lex_->words_[id].size();
    if (len >= lex_->by_length_.size())
      lex_->by_length_.resize(len + 1);
    lex_->by_length_[len].push_back(id);
  }
  if (const uint32_t* v = lex_->table_.find("numeral"))
    lex_->numeral_ = lex_->expansion_[lex_->entries_[*v].begin].id;
  lex_->matcher_.build();
  return std::move(lex_);
}

} // namespace haven::crisis
