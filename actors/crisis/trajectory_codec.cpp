#include "actors/crisis/trajectory_codec.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace haven::crisis {

namespace {

using ms = std::chrono::milliseconds;
using time_point = trajectory_snapshot::time_point;

// Bounds that keep every time representable as system_clock nanoseconds
// (int64: +-292 years around 1970): last_seen before 2096, other times at
// most ~31 years after it (a clock ahead) and at most max_unix_ms before it.
constexpr int64_t max_unix_ms = 4'000'000'000'000;
constexpr int64_t max_ahead_ms = 1'000'000'000'000;
constexpr uint32_t max_calm = 1'000'000;

int64_t unix_ms(time_point t) {
  return std::chrono::duration_cast<ms>(t.time_since_epoch()).count();
}

time_point from_unix_ms(int64_t v) {
  return time_point{std::chrono::duration_cast<time_point::duration>(ms{v})};
}

void put_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// A reader over the text: every get_* consumes one field and its terminator.
struct reader {
  std::string_view s;
  bool ok = true;

  bool at_end() const { return s.empty(); }

  // A signed decimal in [lo, hi] followed by `end` (or the end of the text
  // when `end` is 0).
  int64_t get_int(int64_t lo, int64_t hi, char end) {
    if (!ok)
      return 0;
    int64_t v = 0;
    auto* first = s.data();
    auto* last = s.data() + s.size();
    auto r = std::from_chars(first, last, v);
    if (r.ec != std::errc{} || r.ptr == first || v < lo || v > hi) {
      ok = false;
      return 0;
    }
    // No leading '+' (from_chars refuses it) and no leading zeros: one text per value.
    if ((*first == '0' && r.ptr - first > 1) ||
        (*first == '-' && r.ptr - first > 1 && first[1] == '0'))
      ok = false;
    s.remove_prefix(static_cast<size_t>(r.ptr - first));
    if (end != 0) {
      if (s.empty() || s.front() != end)
        ok = false;
      else
        s.remove_prefix(1);
    }
    return v;
  }

  risk_level get_level(char end) {
    return static_cast<risk_level>(get_int(0, static_cast<int64_t>(risk_level::critical), end));
  }
};

} // namespace

std::string encode_trajectory(const trajectory_snapshot& s) {
  std::string out;
  out.reserve(32 + 16 * s.recent.size());
  auto last = unix_ms(s.last_seen);
  out += trajectory_codec_version;
  out += ';';
  put_int(out, static_cast<int64_t>(s.session));
  out += ';';
  put_int(out, static_cast<int64_t>(s.escalated));
  out += ';';
  put_int(out, std::min<uint32_t>(s.calm, max_calm));
  out += ';';
  put_int(out, last);
  out += ';';
  put_int(out, last - unix_ms(s.elevated_at));
  out += ';';
  bool first = true;
  for (auto& m : s.recent) {
    if (!first)
      out += ',';
    first = false;
    put_int(out, last - unix_ms(m.at));
    out += '.';
    put_int(out, static_cast<int64_t>(m.level));
    out += '.';
    put_int(out, m.features);
  }
  return out;
}

std::optional<trajectory_snapshot> decode_trajectory(std::string_view text) {
  if (text.size() < 2 || text[0] != trajectory_codec_version || text[1] != ';')
    return std::nullopt; // empty, or another version
  reader r{text.substr(2)};
  trajectory_snapshot s;
  s.session = r.get_level(';');
  s.escalated = r.get_level(';');
  s.calm = static_cast<uint32_t>(r.get_int(0, max_calm, ';'));
  auto last = r.get_int(0, max_unix_ms, ';');
  auto elevated = r.get_int(-max_ahead_ms, max_unix_ms, ';');
  if (!r.ok)
    return std::nullopt;
  s.last_seen = from_unix_ms(last);
  s.elevated_at = from_unix_ms(last - elevated);
  while (!r.at_end()) {
    if (s.recent.size() >= trajectory_codec_max_messages)
      return std::nullopt;
    trajectory_snapshot::message m;
    m.at = from_unix_ms(last - r.get_int(-max_ahead_ms, max_unix_ms, '.'));
    m.level = r.get_level('.');
    bool more = r.s.find(',') != std::string_view::npos;
    m.features = static_cast<uint16_t>(r.get_int(0, UINT16_MAX, more ? ',' : 0));
    if (!r.ok)
      return std::nullopt;
    if (more && r.at_end())
      return std::nullopt; // a trailing comma
    s.recent.push_back(m);
  }
  return s;
}

} // namespace haven::crisis
