#include <array>
#include <string>

#include "actors/moderation/pii_detail.hpp"

// Phone and card numbers. A candidate is a run of digit groups joined by one
// separator each (space, '-', '.', " - ", or a closing parenthesis), led by an
// optional '+'. Sub-ranges of whole groups are tried longest first, so a date
// next to a phone number ("2024-03-15 0712 345 678") still finds the phone.
// Sub-ranges split only at spaces: '-', '.' and ')' bind, so a date, version,
// IP address or decimal is never cut into pieces that look like a phone, and a
// dotted run is a phone only as North American 3.3.4.

namespace haven::moderation::detail {

namespace {

constexpr size_t max_groups = 64; // bounds the work per candidate on hostile input
constexpr size_t max_digits = 19; // longest card; also longer than any phone
constexpr size_t min_digits = 8;  // shortest number: '+' and 8 digits
constexpr size_t max_span = 6;    // groups in one number: "+44 (0)20 7946 0958" has 5

struct group {
  size_t open;  // first character ('(' for a parenthesized group)
  size_t close; // one past the last character (past ')')
  size_t digits_begin;
  size_t digits_end;
  char sep_before; // '\0' for the first, ')' when glued after a parenthesis
  bool paren;
};

struct candidate {
  size_t begin; // includes a leading '+'
  bool plus;
  std::vector<group> groups;
};

// A number glued to a word or marked as an id/price/mention is not PII here.
bool glued_before(unsigned char c) {
  return is_alnum(static_cast<char>(c)) || c == '_' || c == '#' || c == '$' || c == '@' ||
         c == '&' || c >= 0x80;
}

bool glued_after(unsigned char c) {
  return is_alnum(static_cast<char>(c)) || c == '_' || c == '%' || c == '@' || c >= 0x80;
}

// Parses one digit group at `i` ("123" or "(123)"); false if none is there.
bool parse_group(std::string_view t, size_t to, size_t i, char sep, group& g) {
  g = group{i, i, i, i, sep, false};
  if (i < to && t[i] == '(') {
    g.paren = true;
    ++i;
  }
  g.digits_begin = i;
  while (i < to && is_digit(t[i]))
    ++i;
  g.digits_end = i;
  if (g.digits_end == g.digits_begin)
    return false;
  if (g.paren) {
    if (i >= to || t[i] != ')')
      return false;
    ++i;
  }
  g.close = i;
  return true;
}

// Reads the separator after a group ending at `i`; returns the start of the
// next group or `to` when the candidate ends here.
size_t parse_separator(std::string_view t, size_t to, size_t i, bool after_paren, char& sep) {
  auto group_starts = [&](size_t j) {
    return j < to && (is_digit(t[j]) || (t[j] == '(' && j + 1 < to && is_digit(t[j + 1])));
  };
  if (after_paren && group_starts(i)) {
    sep = ')';
    return i;
  }
  if (i >= to)
    return to;
  char c = t[i];
  if (c == ' ' && i + 2 < to && t[i + 1] == '-' && t[i + 2] == ' ' && group_starts(i + 3)) {
    sep = '-';
    return i + 3;
  }
  if ((c == ' ' || c == '-' || c == '.') && group_starts(i + 1)) {
    sep = c;
    return i + 1;
  }
  return to;
}

void parse_candidate(std::string_view t, size_t to, size_t i, candidate& cand) {
  cand.begin = i;
  cand.plus = t[i] == '+';
  cand.groups.clear();
  if (cand.plus)
    ++i;
  char sep = '\0';
  group g;
  while (cand.groups.size() < max_groups && parse_group(t, to, i, sep, g)) {
    cand.groups.push_back(g);
    size_t next = parse_separator(t, to, g.close, g.paren, sep);
    if (next >= to)
      break;
    i = next;
  }
}

bool card_shape(const std::array<size_t, max_digits>& len, size_t n) {
  if (n == 1)
    return true;
  if (n == 3 && len[0] == 4 && len[1] == 6 && (len[2] == 5 || len[2] == 4))
    return true; // American Express 4-6-5, Diners 4-6-4
  for (size_t k = 0; k + 1 < n; ++k)
    if (len[k] != 4)
      return false;
  return len[n - 1] >= 1 && len[n - 1] <= 4;
}

bool nanp_shape(const std::array<size_t, max_digits>& len, size_t n, bool lead_one) {
  size_t k = lead_one && n > 1 && len[0] == 1 ? 1 : 0;
  if (n - k == 1)
    return true;
  return n - k == 3 && len[k] == 3 && len[k + 1] == 3 && len[k + 2] == 4;
}

// Classifies groups [s, e] of a candidate; false when it is neither.
bool classify(const candidate& c, size_t s, size_t e, std::string_view d, pii_kind& kind) {
  std::array<size_t, max_digits> len{};
  bool dot = false;
  bool paren = false;
  size_t n = e - s + 1;
  for (size_t k = s; k <= e; ++k) {
    const group& g = c.groups[k];
    len[k - s] = g.digits_end - g.digits_begin;
    dot = dot || (k > s && g.sep_before == '.');
    paren = paren || g.paren;
  }
  const size_t nd = d.size();
  kind = pii_kind::phone;
  if (s == 0 && c.plus) // E.164: at most 15 digits; 8 is the shortest in real use
    return nd >= 8 && nd <= 15 && d[0] != '0';
  if (nd >= 10 && nd <= 17 && d[0] == '0' && d[1] == '0' && d[2] != '0')
    return true; // "00" international prefix
  const bool nanp10 = nd == 10 && d[0] >= '2';
  const bool nanp11 = nd == 11 && d[0] == '1' && d[1] >= '2';
  if (dot)
    return (nanp10 || nanp11) && n > 1 && nanp_shape(len, n, nanp11);
  if (nd >= 13 && nd <= max_digits && !paren && d[0] >= '2' && d[0] <= '6' && card_shape(len, n) &&
      luhn_valid(d)) {
    kind = pii_kind::card;
    return true;
  }
  if ((nd == 10 || nd == 11) && d[0] == '0' && d[1] != '0')
    return true; // national trunk prefix: Kenya 07xx/01xx/020, UK 0xx
  return (nanp10 || nanp11) && nanp_shape(len, n, nanp11);
}

bool allowed_number(std::string_view digits, const pii_allowlist& allow) {
  for (const auto& a : allow.phones) {
    std::string ad;
    for (char ch : a)
      if (is_digit(ch))
        ad.push_back(ch);
    if (ad == digits)
      return true;
  }
  return false;
}

void match_candidate(std::string_view t, const candidate& c, const pii_allowlist& allow,
                     std::vector<pii_span>& out) {
  const size_t ng = c.groups.size();
  const bool glued_end = c.groups.back().close < t.size() &&
                         glued_after(static_cast<unsigned char>(t[c.groups.back().close]));
  std::string all; // the digits of groups s .. e_max; a sub-range's are a prefix
  std::array<size_t, max_span + 1> upto{};
  for (size_t s = 0; s < ng;) {
    if (s > 0 && c.groups[s].sep_before != ' ') {
      ++s;
      continue;
    }
    bool matched = false;
    all.clear();
    size_t e_max = s; // one past the longest sub-range that can still be a number
    while (e_max < ng && e_max - s < max_span) {
      const group& g = c.groups[e_max];
      if (all.size() + (g.digits_end - g.digits_begin) > max_digits)
        break;
      all.append(t.data() + g.digits_begin, g.digits_end - g.digits_begin);
      upto[++e_max - s] = all.size();
    }
    for (size_t e = e_max; e-- > s;) {
      if (e + 1 < ng && c.groups[e + 1].sep_before != ' ')
        continue;
      if (e + 1 == ng && glued_end)
        continue;
      const std::string_view d{all.data(), upto[e + 1 - s]};
      if (d.size() < min_digits)
        break; // shorter sub-ranges have even fewer digits
      pii_kind kind;
      if (!classify(c, s, e, d, kind))
        continue;
      size_t b = s == 0 ? c.begin : c.groups[s].open;
      size_t end = c.groups[e].close;
      if (s == e && c.groups[s].paren && !(s == 0 && c.plus)) {
        b = c.groups[s].digits_begin; // "(0712345678)": the parentheses are text
        end = c.groups[s].digits_end;
      }
      if (!(kind == pii_kind::phone && allowed_number(d, allow)))
        out.push_back({b, end, kind});
      s = e + 1;
      matched = true;
      break;
    }
    if (!matched)
      ++s;
  }
}

} // namespace

void find_numbers(std::string_view t, size_t from, size_t to, const pii_allowlist& allow,
                  std::vector<pii_span>& out) {
  candidate cand;
  for (size_t i = from; i < to; ++i) {
    const char ch = t[i];
    const bool starts = is_digit(ch) || (ch == '+' && i + 1 < to && is_digit(t[i + 1])) ||
                        (ch == '(' && i + 1 < to && is_digit(t[i + 1]));
    if (!starts || (i > 0 && glued_before(static_cast<unsigned char>(t[i - 1]))))
      continue;
    parse_candidate(t, to, i, cand);
    if (cand.groups.empty())
      continue; // e.g. "(12" without ')': try again from the digit
    match_candidate(t, cand, allow, out);
    i = cand.groups.back().close - 1;
  }
}

} // namespace haven::moderation::detail

namespace haven::moderation {

bool luhn_valid(std::string_view s) {
  int sum = 0;
  int count = 0;
  for (size_t i = s.size(); i-- > 0;) {
    if (!detail::is_digit(s[i]))
      continue;
    int v = s[i] - '0';
    if (count % 2 == 1) {
      v *= 2;
      if (v > 9)
        v -= 9;
    }
    sum += v;
    ++count;
  }
  return count >= 2 && sum % 10 == 0;
}

} // namespace haven::moderation
