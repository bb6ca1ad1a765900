#include "actors/crisis/fold.hpp"

#include <array>

namespace haven::crisis {

namespace {

// Base letters of U+00C0..U+00FF; 'A' = "ae", 'T' = "th", 'S' = "ss", '*' = not a letter.
constexpr char latin1[] = "aaaaaaAceeeeiiiidnooooo*ouuuuyTS"
                          "aaaaaaAceeeeiiiidnooooo*ouuuuyTy";
static_assert(sizeof(latin1) == 65);

// Base letters of U+0100..U+017F (Latin Extended-A); 'I' = "ij", 'O' = "oe".
constexpr char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkk"
                               "llllllllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuu"
                               "wwyyyzzzzzzs";
static_assert(sizeof(latin_ext_a) == 129);

folded_char letter(char a, char b = 0) {
  folded_char f;
  f.kind = char_kind::letter;
  f.text[0] = a;
  f.text[1] = b;
  f.len = b ? 2 : 1;
  return f;
}

constexpr const char* emoji_words[] = {"bridge", "pills", "blood", "knife", "gun", "rope", "train"};

folded_char emoji(char index) {
  folded_char f;
  f.kind = char_kind::emoji;
  f.text[0] = index;
  return f;
}

folded_char kind_only(char_kind k) {
  folded_char f;
  f.kind = k;
  return f;
}

folded_char from_table(char c) {
  switch (c) {
    case 'A':
      return letter('a', 'e');
    case 'T':
      return letter('t', 'h');
    case 'S':
      return letter('s', 's');
    case 'I':
      return letter('i', 'j');
    case 'O':
      return letter('o', 'e');
    case '*':
      return kind_only(char_kind::space);
    default:
      return letter(c);
  }
}

// Cyrillic letters that look like Latin ones, used to slip words past filters.
char cyrillic_lookalike(char32_t cp) {
  switch (cp) {
    case 0x410:
    case 0x430:
      return 'a';
    case 0x412:
      return 'b';
    case 0x415:
    case 0x435:
      return 'e';
    case 0x41A:
    case 0x43A:
      return 'k';
    case 0x41C:
    case 0x43C:
      return 'm';
    case 0x41D:
      return 'h';
    case 0x41E:
    case 0x43E:
      return 'o';
    case 0x420:
    case 0x440:
      return 'p';
    case 0x421:
    case 0x441:
      return 'c';
    case 0x422:
    case 0x442:
      return 't';
    case 0x423:
    case 0x443:
      return 'y';
    case 0x425:
    case 0x445:
      return 'x';
    case 0x406:
    case 0x456:
      return 'i';
    case 0x408:
    case 0x458:
      return 'j';
    case 0x405:
    case 0x455:
      return 's';
    default:
      return 0;
  }
}

folded_char fold_ascii(char c) {
  if (c >= 'A' && c <= 'Z')
    return letter(static_cast<char>(c - 'A' + 'a'));
  if (c >= 'a' && c <= 'z')
    return letter(c);
  if (c >= '0' && c <= '9') {
    folded_char f = letter(c);
    f.kind = char_kind::digit;
    return f;
  }
  switch (c) {
    case '\'':
    case '`':
      return kind_only(char_kind::apostrophe);
    case '$':
    case '@': {
      folded_char f = letter(c);
      f.kind = char_kind::leet;
      return f;
    }
    case '!':
      return kind_only(char_kind::bang);
    case '*':
      return kind_only(char_kind::star);
    case '.':
      return kind_only(char_kind::dot);
    case '?':
      return kind_only(char_kind::question);
    case ';':
    case '\n':
    case '\r':
      return kind_only(char_kind::sentence_end);
    case ',':
    case ':':
    case '(':
    case ')':
    case '[':
    case ']':
      return kind_only(char_kind::clause_end);
    case '-':
      return kind_only(char_kind::hyphen);
    default:
      return kind_only(char_kind::space);
  }
}

} // namespace

const folded_char* ascii_fold_table() {
  static const auto table = [] {
    std::array<folded_char, 128> t{};
    for (char32_t c = 0; c < 128; ++c)
      t[c] = fold_ascii(static_cast<char>(c));
    return t;
  }();
  return table.data();
}

size_t decode_utf8(std::string_view s, size_t i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (n == 0 || b >= 0xF8 || i + n > s.size()) {
    cp = 0xFFFD;
    return 1;
  }
  char32_t v = b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (c & 0x3F);
  }
  cp = v;
  return n;
}

folded_char fold_char(char32_t cp) {
  if (cp < 0x80)
    return fold_ascii(static_cast<char>(cp));
  if (cp >= 0xC0 && cp <= 0xFF)
    return from_table(latin1[cp - 0xC0]);
  if (cp >= 0x100 && cp <= 0x17F)
    return from_table(latin_ext_a[cp - 0x100]);
  if (cp >= 0xFF01 && cp <= 0xFF5E) // full-width ASCII
    return fold_ascii(static_cast<char>(cp - 0xFEE0));
  if (char c = cyrillic_lookalike(cp))
    return letter(c);
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x02BC:
    case 0xB4:
    case 0x2032:
      return kind_only(char_kind::apostrophe);
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return kind_only(char_kind::clause_end);
    case 0x2010:
    case 0x2011:
      return kind_only(char_kind::hyphen);
    case 0x2026:
    case 0x203C:
    case 0x2047:
    case 0x2048:
    case 0x2049:
    case 0x2028:
    case 0x2029:
      return kind_only(char_kind::sentence_end);
    case 0xAD:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x034F:
      return kind_only(char_kind::ignore);
    case 0x1F602:
    case 0x1F923:
    case 0x1F606:
    case 0x1F639:
    case 0x1F480:
    case 0x1F644: // 🙄: exasperation ("gonna jump off a cliff if he doesnt reply 🙄")
      return kind_only(char_kind::laugh);
    case 0x1F309: // 🌉
      return emoji(0);
    case 0x1F48A: // 💊
      return emoji(1);
    case 0x1FA78: // 🩸
      return emoji(2);
    case 0x1F52A: // 🔪
    case 0x1F5E1: // 🗡
      return emoji(3);
    case 0x1F52B: // 🔫
      return emoji(4);
    case 0x1FAA2: // 🪢
      return emoji(5);
    case 0x1F686: // 🚆
    case 0x1F682: // 🚂
    case 0x1F684: // 🚄
    case 0x1F685: // 🚅
    case 0x1F688: // 🚈
      return emoji(6);
    case 0x266A:
    case 0x266B:
    case 0x1F3B5:
    case 0x1F3B6:
      return kind_only(char_kind::music);
    default:
      break;
  }
  if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE00 && cp <= 0xFE0F))
    return kind_only(char_kind::ignore); // combining marks, variation selectors
  // Letters of other scripts: keep them as a word that never matches, so they
  // do not glue neighbouring Latin fragments into words.
  if ((cp >= 0x370 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0x9FFF) ||
      (cp >= 0xAC00 && cp <= 0xD7AF))
    return letter('~');
  return kind_only(char_kind::space);
}

const char* emoji_word(char index) {
  auto i = static_cast<size_t>(index);
  return i < sizeof emoji_words / sizeof emoji_words[0] ? emoji_words[i] : "";
}

} // namespace haven::crisis
