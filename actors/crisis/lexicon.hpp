#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/crisis/aho_corasick.hpp"
#include "actors/crisis/model.hpp"
#include "actors/crisis/normalize.hpp"
#include "actors/crisis/string_table.hpp"
#include "actors/crisis/types.hpp"

// The compiled lexicons: a vocabulary (word -> id, with misspellings,
// fillers and Swahili affixes folded in) and one Aho–Corasick automaton over
// the word ids of every phrase of every locale. Built once by load_lexicons
// (lexicon_loader.hpp), immutable afterwards, shared between threads as
// std::shared_ptr<const lexicon_set>. The file formats are in docs/safety.md.

namespace haven::crisis {

/// Context cues: words and phrases that change what a signal means.
enum class cue : uint8_t {
  negation,      // "never", "not", "sitaki"
  first_person,  // "i", "me", "mimi": the writer is the subject
  third_party,   // "my friend", "she", "rafiki yangu": someone else is
  reporting,     // "said", "told me", "alisema": reported speech follows
  discussion,    // "article", "research", "hotline", "utafiti"
  history,       // "used to", "years ago", "zamani"
  hypothetical,  // "if i ever", "what if someone"
  hyperbole,     // "lol", "jk", "could": for hyperbole-prone phrases only
  game,          // "boss", "level", "respawn"
  quote,         // "lyrics", 🎵: a quoted song or text
  help,          // "hotline", "how can I help": a question about help
  post_negation, // "... is not an option", "... never crossed my mind"
  self_word,     // "my", "myself": a phrase with one names the writer (no subject role)
};

namespace tag {
constexpr uint8_t passive = 1 << 0; // passive ideation
constexpr uint8_t attempt = 1 << 1; // attempt in progress
constexpr uint8_t topic = 1 << 2;   // a bare topic word ("suicide"): needs the writer as subject
constexpr uint8_t hyperbole =
    1 << 3;                          // often said in jest ("kill him"): lol/jk/could/game disarm it
constexpr uint8_t self_ref = 1 << 4; // names the writer ("kill myself"): set by the loader
constexpr uint8_t other = 1 << 5;    // about someone else ("better off without her")
constexpr uint8_t sentence =
    1 << 6; // a timeline with its own verb ("do it tonight"): reaches the whole sentence
} // namespace tag

/// Word classes of the clause analysis (classes_<locale>.tsv, clause_rules.hpp):
/// what a clause says, as opposed to the signal phrases' fixed wordings.
enum class wclass : uint8_t {
  method,        // a means: pills, rope, bridge, railing, car, poison, gun, river
  method_act,    // acting on a means: "take all of", "swallow", "jump", "hang", "drive into"
  intent,        // first-person decision or future: "i'm going to", "i've decided", "nita-"
  consider,      // "thinking about", "considering", "tempted to"
  undecided,     // "haven't decided", "not sure if i will", "sijaamua"
  time,          // "tonight", "tomorrow", "after they leave", "usiku huu"
  now,           // "right now", "at the moment", "sasa hivi"
  at_place,      // standing at or on a height, railway or water: "standing on the railing"
  taken,         // a method already used: "took all the pills", "engine is running in the garage"
  symptom,       // "dizzy", "throwing up", "can't feel my", "kizunguzungu"
  collect,       // preparation of means: "saved up", "counted", "bought a rope", "nimekusanya"
  farewell,      // final arrangements: a note, letters, giving things away, deleting accounts
  injury_act,    // hitting, punching, scratching, burning oneself
  injury,        // "until it bled", "bruises", "damu"
  search,        // "looked up", "googled", "how many ... would", "lethal dose"
  urge,          // "keep thinking about", "the urge to", "pulled toward"
  fast,          // no food or water for days on purpose
  other_risk,    // someone else at risk now: "locked herself in", "not answering", "goodbye text"
  denial,        // not about the writer's own risk: "people keep asking if", "i'm not suicidal"
  no_act,        // ideation without intent: "but i'd never do anything", "won't act on it"
  hyperbole,     // "lol", "lmao", "😂", "jk", "literally dying": jest
  quote,         // a quoted line of a song, film, book or a school discussion
  place,         // a height, railway, water or vehicle: a means only with a move toward it
  screen,        // a screening question: "asked if i", "the form asked", "aliniuliza kama"
  passive,       // a wish to be gone or a burden without intent: medium
  method_search, // searching for a way: "least painful way", "too much to wake up from"
  act_ref,       // an act whose means is named elsewhere: "take all of them", "nitazimeza zote"
  bye,           // a bare goodbye: a companion of other classes, never alone
  taken_ref,     // a past act whose means is named elsewhere: "took all of them", "nimemeza zote"
  past,          // a time long past: "last year", "years ago", "mwaka jana"
  laugh,     // "lol", "haha", "lmao": jest for the class hits of its sentence, not for the signals
  go,        // moving toward a place: "heading to the", "driving to the", "naelekea"
  bought,    // means bought or got: "bought a rope", "nimenunua kamba": needs another class
  study,     // a course, exam revision or training: class hits of its sentence are not the writer's
  engine,    // an engine or a fire running: "engine running", "gari iko on", "lit the charcoal"
  closed,    // a closed space: "garage", "door shut", "windows up", "chumba kimefungwa"
  resolve,   // a refusal kept on purpose: "not going to", "on purpose", "sitaki"
  did_it,    // "i\'ve done it", "took the pills": an attempt with a means and a goodbye or symptom
  mundane,   // ordinary reasons to give things away: "decluttering", "moving to", "kanisa"
  at_hand,   // within reach now: "next to me", "on my lap", "kando yangu" (with a means)
  resolved,  // an attempt told as past and resolved: "I'm 27 now", "the anniversary", "better now"
  ultimatum, // a condition on life changing: "if nothing changes", "kama mambo hayatabadilika"
  ending,    // the writer ending, as a clause's last words: "i'm done", "nimemaliza"
  give,      // handing one's own things over: "gave", "giving away", "nimempa", "nimegawa"
  possession,  // a thing one keeps: "guitar", "my xbox", "nguo zangu"; "all my stuff" counts twice
  possessions, // all of them at once: "all my stuff", "everything i own", "vitu vyangu vyote"
  gift,        // an ordinary reason to hand a thing over: "birthday", "lent", "zawadi"
  relay,       // someone's message passed on: "sent me", "texted", "posted", "amenitumia"
  accident, // an ordinary cause of an injury: "fell off my bike", "chopping onions", "nimeanguka"
  routine,  // ordinary care with medicines: "pill organizer", "as prescribed", "daktari amesema"
  training, // professional training talk: "role played", "prevention training", "mafunzo"
  leisure,  // an ordinary purpose for being somewhere: "walking the dog", "watch the fireworks"
};
constexpr size_t wclass_count = static_cast<size_t>(wclass::leisure) + 1;

enum class pattern_kind : uint8_t { signal, idiom, cue, word_class };

struct pattern_info {
  pattern_kind kind = pattern_kind::signal;
  category cat = category::ideation; // signals
  cue cue_type = cue::negation;      // cues
  wclass cls = wclass::method;       // word classes
  uint8_t phrase_flags = 0;          // word classes: token_flag bits of the phrase as written
  uint8_t tags = 0;
  uint8_t locale = 0; // index into lexicon_set::locales()
  float weight = 0;
  uint32_t source = 0; // index into lexicon_set::sources(): "lexicon_en.tsv:12"
};

namespace token_flag {
constexpr uint8_t other = 1 << 0;   // the word marks someone else ("herself", "anataka")
constexpr uint8_t self = 1 << 1;    // the word marks the writer ("nitajiua")
constexpr uint8_t negated = 1 << 2; // the word carries its own negation ("sitajiua")
} // namespace token_flag

/// One word id of the text, as the automaton sees it.
struct enc_token {
  uint32_t id = 0;         // 0: a word no phrase uses
  uint32_t word_first = 0; // the words of token_stream it came from
  uint32_t word_last = 0;
  uint32_t sentence = 0;
  uint32_t clause = 0;
  uint8_t flags = 0; // token_flag
};

namespace word_bit {
constexpr uint8_t transparent = 1 << 0; // negation reaches across it ("going", "to")
constexpr uint8_t breaker = 1 << 1;     // starts a new clause ("but", "and")
} // namespace word_bit

class lexicon_set {
 public:
  /// Maps words to ids: misspellings and texting forms expand ("kms" -> "kill
  /// myself"), fillers vanish ("really"), leetspeak and masked letters are
  /// decoded when that yields a known word, Swahili verbs fold to a stem and
  /// keep who acts ("anataka" -> "taka", someone else).
  void encode(const token_stream& ts, std::vector<enc_token>& out) const;

  const aho_corasick& matcher() const { return matcher_; }
  const pattern_info& pattern(uint32_t id) const { return patterns_[id]; }
  size_t pattern_count() const { return patterns_.size(); }
  size_t word_count() const { return words_.size(); }
  bool has_bit(uint32_t id, uint8_t bit) const { return id < bits_.size() && (bits_[id] & bit); }
  const std::vector<std::string>& locales() const { return locales_; }
  const std::string& source(uint32_t i) const { return sources_[i]; }
  /// The id of a normalized word, or 0 (tests and tools).
  uint32_t word_id(std::string_view word) const;
  /// The learned second opinion (model.hpp) and how it may change a level;
  /// null: the rules alone.
  const crisis_model* model() const { return model_.get(); }
  const model_policy& policy() const { return policy_; }

 private:
  friend class lexicon_builder;

  struct entry {        // what a squeezed word stands for
    uint32_t begin = 0; // into expansion_ (a plain word is an expansion of one)
    uint16_t len = 0;   // 0: a filler, dropped
  };
  struct piece {
    uint32_t id;
    uint8_t flags;
  };
  struct affix_rule {
    std::string suffix; // as written in affixes_<locale>.tsv
    uint32_t id;
  };
  struct person_prefix {
    std::string prefix;
    uint8_t flags;
  };

  // Looks up a normalized word: affix rules, then the table (squeezed key).
  // `tmp` holds the result of an affix match.
  bool lookup(std::string_view w, const piece*& first, size_t& n, piece& tmp) const;
  bool affix(std::string_view w, piece& out) const;
  bool lookup_variants(const token_stream& ts, const word& w, const piece*& first, size_t& n,
                       piece& tmp) const;
  uint8_t prefix_flags(std::string_view prefix) const;

  string_table table_;
  std::vector<entry> entries_;
  std::vector<piece> expansion_;
  std::vector<std::string> words_;               // by id; [0] is ""
  std::vector<std::vector<uint32_t>> by_length_; // word ids by length, for masked words
  std::vector<uint8_t> bits_;                    // word_bit, by id
  uint32_t numeral_ = 0;                         // the id of "numeral", which stands for any number
  std::unordered_map<uint32_t, std::vector<affix_rule>> affixes_; // by last 3 chars
  std::vector<person_prefix> prefixes_;                           // longest first
  std::vector<pattern_info> patterns_;
  std::vector<std::string> locales_;
  std::vector<std::string> sources_;
  aho_corasick matcher_;
  std::shared_ptr<const crisis_model> model_;
  model_policy policy_;
};

} // namespace haven::crisis
