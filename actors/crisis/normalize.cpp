#include "actors/crisis/normalize.hpp"

#include <cstring>

#include "actors/crisis/fold.hpp"

namespace haven::crisis {

namespace {

bool is_word_char(char_kind k) {
  return k == char_kind::letter || k == char_kind::digit || k == char_kind::leet;
}

// Builds words one code point at a time; boundaries are counted lazily so that
// "!!!" or blank lines do not inflate the sentence numbers.
class tokenizer {
 public:
  tokenizer(std::string_view text, token_stream& out) : text_(text), out_(out) {}

  void run() {
    const folded_char* ascii = ascii_fold_table();
    out_.norm.reserve(text_.size() + 16);
    size_t i = 0;
    char_kind prev = char_kind::space;
    while (i < text_.size()) {
      auto b = static_cast<unsigned char>(text_[i]);
      if (b < 0x80 && open_) {
        // Most bytes continue a word with one ASCII letter or digit: skip the
        // lookahead and boundary bookkeeping of step().
        const folded_char& f = ascii[b];
        if ((f.kind == char_kind::letter || f.kind == char_kind::digit) && f.len == 1) {
          push(f.text[0], f.kind == char_kind::letter ? word_flag::alpha : word_flag::digit, i);
          prev = f.kind;
          ++i;
          continue;
        }
      }
      char32_t cp = b;
      size_t n = b < 0x80 ? 1 : decode_utf8(text_, i, cp);
      folded_char f = b < 0x80 ? ascii[b] : fold_char(cp);
      step(f, i, n, prev);
      if (f.kind != char_kind::ignore)
        prev = f.kind;
      i += n;
    }
    close(text_.size());
    out_.question.resize(sentence_ + 1, 0);
    if (question_pending_)
      out_.question[sentence_] = 1;
  }

 private:
  char_kind peek(size_t next) const {
    while (next < text_.size()) {
      char32_t cp = 0;
      size_t n = decode_utf8(text_, next, cp);
      folded_char f = fold_char(cp);
      if (f.kind != char_kind::ignore)
        return f.kind;
      next += n;
    }
    return char_kind::space;
  }

  void step(const folded_char& f, size_t i, size_t n, char_kind prev) {
    switch (f.kind) {
      case char_kind::letter:
      case char_kind::digit:
        append(f.text, f.len, i, n,
               f.kind == char_kind::letter ? word_flag::alpha : word_flag::digit);
        return;
      case char_kind::leet:
        if (open_ || is_word_char(peek(i + n)))
          append(f.text, 1, i, n, word_flag::leet);
        else
          close(i);
        return;
      case char_kind::bang:
        if (open_ && f_last_alpha_ && peek(i + n) == char_kind::letter)
          append("!", 1, i, n, word_flag::leet);
        else
          boundary(i, false);
        return;
      case char_kind::star:
        if (open_ && (peek(i + n) == char_kind::letter || peek(i + n) == char_kind::star))
          append("*", 1, i, n, word_flag::star);
        else
          close(i);
        return;
      case char_kind::dot:
        if (open_ && is_word_char(peek(i + n)))
          close(i); // "k.i.l.l", "3.5": a separator, not a sentence end
        else
          boundary(i, false);
        return;
      case char_kind::question:
        boundary(i, true);
        return;
      case char_kind::sentence_end:
        boundary(i, false);
        return;
      case char_kind::clause_end:
        close(i);
        clause_pending_ = true;
        return;
      case char_kind::hyphen:
        close(i);
        if (prev == char_kind::space && peek(i + n) == char_kind::space)
          clause_pending_ = true; // " - " separates clauses, "self-harm" does not
        return;
      case char_kind::laugh:
      case char_kind::music:
        close(i);
        append(f.kind == char_kind::laugh ? "lol" : "lyrics", f.kind == char_kind::laugh ? 3 : 6, i,
               n, word_flag::alpha);
        close(i + n);
        return;
      case char_kind::emoji: {
        close(i);
        const char* w = emoji_word(f.text[0]);
        append(w, std::strlen(w), i, n, word_flag::alpha);
        close(i + n);
        return;
      }
      case char_kind::apostrophe: // "don't" -> "dont": never splits a word
      case char_kind::ignore:
        return;
      case char_kind::space:
        close(i);
        return;
    }
  }

  // append() of one character to the open word.
  void push(char c, uint8_t flag, size_t src) {
    word& w = cur_;
    if (w.norm_len < max_word_bytes) {
      const char* end = out_.norm.data() + out_.norm.size();
      if (w.norm_len < 2 || end[-1] != c || end[-2] != c) { // "sooooo" -> "soo"
        out_.norm.push_back(c);
        ++w.norm_len;
      }
    }
    w.flags |= flag;
    f_last_alpha_ = flag == word_flag::alpha;
    w.src_len = static_cast<uint32_t>(src + 1 - w.src_begin);
  }

  void append(const char* s, size_t len, size_t src, size_t n, uint8_t flag) {
    if (!open_)
      open(src);
    word& w = cur_;
    for (size_t k = 0; k < len; ++k) {
      char c = s[k];
      if (w.norm_len >= max_word_bytes)
        break;
      size_t end = out_.norm.size();
      if (c != '*' && w.norm_len >= 2 && out_.norm[end - 1] == c && out_.norm[end - 2] == c)
        continue; // "sooooo" -> "soo"; "su***de" keeps its mask
      out_.norm.push_back(c);
      ++w.norm_len;
    }
    w.flags |= flag;
    f_last_alpha_ = flag == word_flag::alpha || flag == word_flag::leet;
    w.src_len = static_cast<uint32_t>(src + n - w.src_begin);
  }

  void open(size_t src) {
    if (sentence_pending_ && any_word_) {
      out_.question.resize(sentence_ + 1, 0);
      if (question_pending_)
        out_.question[sentence_] = 1;
      ++sentence_;
      clause_pending_ = true;
    }
    if (clause_pending_ && any_word_)
      ++clause_;
    sentence_pending_ = clause_pending_ = question_pending_ = false;
    open_ = true;
    cur_ = word{};
    cur_.norm_begin = static_cast<uint32_t>(out_.norm.size());
    cur_.src_begin = static_cast<uint32_t>(src);
    cur_.sentence = sentence_;
    cur_.clause = clause_;
  }

  void close(size_t) {
    if (!open_)
      return;
    open_ = false;
    if (cur_.norm_len > 0) {
      out_.words.push_back(cur_);
      any_word_ = true;
    }
  }

  void boundary(size_t i, bool question) {
    close(i);
    if (any_word_) {
      sentence_pending_ = true;
      question_pending_ = question_pending_ || question;
    }
  }

  std::string_view text_;
  token_stream& out_;
  word cur_;
  bool open_ = false;
  bool any_word_ = false;
  bool f_last_alpha_ = false;
  bool sentence_pending_ = false;
  bool clause_pending_ = false;
  bool question_pending_ = false;
  uint32_t sentence_ = 0;
  uint32_t clause_ = 0;
};

char leet_char(char c, bool one_as_l) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
      return one_as_l ? 'l' : 'i';
    case '3':
      return 'e';
    case '4':
      return 'a';
    case '5':
    case '$':
      return 's';
    case '7':
      return 't';
    case '@':
      return 'a';
    case '!':
      return 'i';
    default:
      return c;
  }
}

} // namespace

void tokenize(std::string_view text, token_stream& out) {
  out.clear();
  tokenizer{text, out}.run();
}

std::vector<std::string> normalize_words(std::string_view text) {
  token_stream ts;
  tokenize(text, ts);
  std::vector<std::string> result;
  for (const auto& w : ts.words)
    result.emplace_back(ts.text(w));
  return result;
}

std::string_view squeeze(std::string_view w, char* buf) {
  size_t n = 0;
  for (char c : w)
    if (n == 0 || buf[n - 1] != c || c == '*')
      buf[n++] = c;
  return {buf, n};
}

size_t count_ones(std::string_view w) {
  size_t n = 0;
  for (char c : w)
    n += c == '1';
  return n;
}

bool decode_leet(std::string_view w, uint32_t ones_as_l, std::string& out) {
  out.clear();
  bool changed = false;
  size_t one = 0;
  for (char c : w) {
    bool l = c == '1' && (ones_as_l >> one++ & 1u);
    char d = leet_char(c, l);
    changed = changed || d != c;
    out.push_back(d);
  }
  return changed;
}

} // namespace haven::crisis
