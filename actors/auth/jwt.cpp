#include "actors/auth/jwt.hpp"

#include <array>
#include <optional>

#include <simdjson.h>

#include "actors/auth/base64url.hpp"
#include "actors/auth/sodium_init.hpp"
#include "base/json/json_writer.hpp"

namespace haven::auth {

namespace {

namespace dom = simdjson::dom;

// One parser per thread, reused: it keeps its buffers, so a verify allocates
// little. Tokens are bounded, so is the parser.
dom::parser& thread_parser() {
  thread_local dom::parser parser{max_token_bytes};
  return parser;
}

// Tracks the keys of one JSON object to refuse duplicates, which simdjson's
// DOM keeps (and which different JSON parsers resolve differently).
class key_set {
 public:
  bool add(std::string_view key) {
    if (size_ == seen_.size())
      return false; // more fields than any token of ours has
    for (size_t i = 0; i < size_; ++i)
      if (seen_[i] == key)
        return false;
    seen_[size_++] = key;
    return true;
  }

 private:
  std::array<std::string_view, 32> seen_;
  size_t size_ = 0;
};

std::optional<dom::object> parse_object(std::string_view json) {
  dom::object obj;
  if (thread_parser().parse(json.data(), json.size()).get_object().get(obj))
    return std::nullopt;
  return obj;
}

// Bits of the claims we found, to require each one exactly once.
enum claim_bit : uint32_t {
  c_iss = 1,
  c_sub = 2,
  c_jti = 4,
  c_sid = 8,
  c_role = 16,
  c_tier = 32,
  c_org = 64,
  c_typ = 128,
  c_iat = 256,
  c_nbf = 512,
  c_exp = 1024,
};
constexpr uint32_t required_claims = 2047 & ~c_org;

// Reads the payload object into `out`; false on a missing or mistyped claim.
bool read_claims(dom::object obj, access_claims& out, std::string& typ) {
  struct str_claim {
    std::string_view name;
    uint32_t bit;
    std::string* dst;
  };
  const str_claim strs[] = {{"iss", c_iss, &out.iss},    {"sub", c_sub, &out.sub},
                            {"jti", c_jti, &out.jti},    {"sid", c_sid, &out.sid},
                            {"role", c_role, &out.role}, {"tier", c_tier, &out.tier},
                            {"org", c_org, &out.org},    {"typ", c_typ, &typ}};
  struct int_claim {
    std::string_view name;
    uint32_t bit;
    int64_t* dst;
  };
  const int_claim ints[] = {
      {"iat", c_iat, &out.iat}, {"nbf", c_nbf, &out.nbf}, {"exp", c_exp, &out.exp}};
  key_set keys;
  uint32_t found = 0;
  for (dom::key_value_pair kv : obj) {
    if (!keys.add(kv.key))
      return false;
    for (const auto& c : strs) {
      if (kv.key != c.name)
        continue;
      std::string_view v;
      if (kv.value.get_string().get(v))
        return false;
      c.dst->assign(v);
      found |= c.bit;
    }
    for (const auto& c : ints) {
      if (kv.key != c.name)
        continue;
      // Integers only: 1.7e9 or "1700000000" are not times we ever write.
      if (kv.value.type() != dom::element_type::INT64 || kv.value.get_int64().get(*c.dst))
        return false;
      found |= c.bit;
    }
  }
  // Ids must be non-empty; other claims are ignored (JWT allows extensions).
  return (found & required_claims) == required_claims && !out.sub.empty() && !out.jti.empty() &&
         !out.sid.empty();
}

std::string encode_header(const signing_key& key) {
  json::writer w;
  w.begin_object().field("alg", "EdDSA").field("typ", "JWT").field("kid", key.kid).end_object();
  return b64url_encode(w.str());
}

std::string encode_payload(const access_claims& c) {
  json::writer w;
  w.begin_object()
      .field("iss", c.iss)
      .field("sub", c.sub)
      .field("iat", c.iat)
      .field("nbf", c.nbf)
      .field("exp", c.exp)
      .field("jti", c.jti)
      .field("sid", c.sid)
      .field("typ", "access")
      .field("role", c.role)
      .field("tier", c.tier);
  if (!c.org.empty())
    w.field("org", c.org);
  w.end_object();
  return b64url_encode(w.str());
}

verify_result fail(token_error e) {
  return verify_result{e, {}};
}

} // namespace

bool operator==(const access_claims& a, const access_claims& b) {
  return a.iss == b.iss && a.sub == b.sub && a.jti == b.jti && a.sid == b.sid && a.role == b.role &&
         a.tier == b.tier && a.org == b.org && a.iat == b.iat && a.nbf == b.nbf && a.exp == b.exp;
}

const char* to_string(token_error x) {
  switch (x) {
    case token_error::none:
      return "none";
    case token_error::malformed:
      return "malformed";
    case token_error::bad_alg:
      return "bad_alg";
    case token_error::unknown_kid:
      return "unknown_kid";
    case token_error::bad_signature:
      return "bad_signature";
    case token_error::expired:
      return "expired";
    case token_error::not_yet_valid:
      return "not_yet_valid";
    case token_error::wrong_type:
      return "wrong_type";
    case token_error::wrong_issuer:
      return "wrong_issuer";
  }
  return "unknown";
}

std::string sign_access_token(const signing_keys& keys, const access_claims& claims) {
  return sign_access_token(keys.signer(), claims);
}

std::string sign_access_token(const signing_key& key, const access_claims& claims) {
  ensure_sodium();
  std::string token = encode_header(key);
  token += '.';
  token += encode_payload(claims);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), key.sk.data());
  token += '.';
  token += b64url_encode(sig, sizeof sig);
  return token;
}

verify_result verify_access_token(const signing_keys& keys, std::string_view token, int64_t now,
                                  std::string_view expected_iss) {
  ensure_sodium();
  if (token.size() > max_token_bytes)
    return fail(token_error::malformed);
  auto dot1 = token.find('.');
  auto dot2 = dot1 == token.npos ? token.npos : token.find('.', dot1 + 1);
  if (dot2 == token.npos || token.find('.', dot2 + 1) != token.npos)
    return fail(token_error::malformed);
  auto header_b64 = token.substr(0, dot1);
  auto payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  auto sig_b64 = token.substr(dot2 + 1);
  // 1. Header: decides the algorithm and the key, nothing else.
  auto header = b64url_decode(header_b64);
  auto hobj = header ? parse_object(*header) : std::nullopt;
  if (!hobj)
    return fail(token_error::malformed);
  key_set hkeys;
  std::optional<std::string_view> alg, kid;
  for (dom::key_value_pair kv : *hobj) {
    std::string_view v;
    if (!hkeys.add(kv.key) || kv.key == "crit") // we implement no extension
      return fail(token_error::malformed);
    if (kv.key == "alg")
      alg = kv.value.get_string().get(v) ? std::string_view{"?"} : v;
    else if (kv.key == "kid")
      kid = kv.value.get_string().get(v) ? std::nullopt : std::optional{v};
    else if (kv.key == "typ" && (kv.value.get_string().get(v) || v != "JWT"))
      return fail(token_error::malformed);
  }
  if (!alg || *alg != "EdDSA") // exact match: no "none", no HS*, no case games
    return fail(token_error::bad_alg);
  const signing_key* key = kid ? keys.find(*kid) : nullptr;
  if (!key)
    return fail(token_error::unknown_kid);
  // 2. Signature over the exact bytes received, before any claim is trusted.
  unsigned char sig[crypto_sign_BYTES];
  if (!b64url_decode_exact(sig_b64, sig, sizeof sig))
    return fail(token_error::malformed);
  if (crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(token.data()), dot2,
                                  key->pk.data()) != 0)
    return fail(token_error::bad_signature);
  // 3. Claims.
  auto payload = b64url_decode(payload_b64);
  auto pobj = payload ? parse_object(*payload) : std::nullopt;
  verify_result res{token_error::none, {}};
  std::string typ;
  if (!pobj || !read_claims(*pobj, res.claims, typ))
    return fail(token_error::malformed);
  if (typ != "access")
    return fail(token_error::wrong_type);
  if (res.claims.iss != expected_iss)
    return fail(token_error::wrong_issuer);
  if (now + clock_leeway_s < res.claims.nbf)
    return fail(token_error::not_yet_valid);
  if (now - clock_leeway_s >= res.claims.exp)
    return fail(token_error::expired);
  return res;
}

} // namespace haven::auth
