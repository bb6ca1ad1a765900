#include <chrono>
#include <string>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

#include "actors/auth/password_hashers.hpp"
#include "messages/auth.hpp"
#include "messages/errors.hpp"

using namespace haven;
using namespace haven::auth;

namespace {

const argon_params fast{1, crypto_pwhash_MEMLIMIT_MIN};

struct hashers_test : ::testing::Test {
  hashers_test() : sys{cfg.add_message_types<caf::id_block::haven_auth>()} {}
  ~hashers_test() override {
    for (auto& h : pools)
      caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
  }
  password_hasher_actor spawn(size_t workers, argon_params p, size_t max_queued = 64) {
    pools.push_back(spawn_password_hashers(sys, workers, p, max_queued, metrics));
    return pools.back();
  }
  std::shared_ptr<hash_metrics> metrics = std::make_shared<hash_metrics>();
  caf::actor_system_config cfg;
  caf::actor_system sys;
  std::vector<password_hasher_actor> pools;
};

const auto timeout = std::chrono::seconds(30);

} // namespace

TEST_F(hashers_test, metrics_count_each_operation_and_its_cpu_time) {
  auto pool = spawn(1, fast);
  {
    caf::scoped_actor self{sys};
    std::string encoded;
    self->request(pool, timeout, pw_hash_atom_v, std::string{"correct horse battery"})
        .receive([&](std::string& e) { encoded = std::move(e); },
                 [&](caf::error& err) { FAIL() << sys.render(err); });
    for (auto pw : {"correct horse battery", "wrong horse battery"})
      self->request(pool, timeout, pw_verify_atom_v, encoded, std::string{pw})
          .receive([](password_verdict) {}, [&](caf::error& err) { FAIL() << sys.render(err); });
  }
  EXPECT_EQ(metrics->hashes.load(), 1u);
  EXPECT_EQ(metrics->verifies.load(), 2u);
  EXPECT_GT(metrics->cpu_ns.load(), 0u);
  EXPECT_GE(metrics->wall_ns.load(), metrics->cpu_ns.load() / 2); // one thread: CPU <= wall
  std::string out;
  metrics->render(out);
  EXPECT_NE(out.find("haven_password_hashes_total{kind=\"verify\"} 2"), std::string::npos) << out;
}

TEST_F(hashers_test, hash_and_verify_through_the_pool) {
  auto pool = spawn(2, fast);
  std::string encoded;
  { // scoped_actor in its own block: alive at system shutdown it would hang
    caf::scoped_actor self{sys};
    self->request(pool, timeout, pw_hash_atom_v, std::string{"correct horse battery"})
        .receive([&](std::string& e) { encoded = std::move(e); },
                 [&](caf::error& err) { FAIL() << sys.render(err); });
    ASSERT_EQ(encoded.rfind("$argon2id$", 0), 0u);
    auto check = [&](std::string enc, std::string pw) {
      password_verdict v{true, true};
      self->request(pool, timeout, pw_verify_atom_v, std::move(enc), std::move(pw))
          .receive([&](password_verdict r) { v = r; },
                   [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
      return v;
    };
    auto ok = check(encoded, "correct horse battery");
    EXPECT_TRUE(ok.ok);
    EXPECT_FALSE(ok.needs_rehash);
    auto wrong = check(encoded, "wrong horse battery");
    EXPECT_FALSE(wrong.ok);
    EXPECT_FALSE(wrong.needs_rehash);
    auto unknown = check("", "correct horse battery"); // unknown account: dummy hash
    EXPECT_FALSE(unknown.ok);
    EXPECT_FALSE(check(encoded, std::string(2000, 'a')).ok);
  }
}

TEST_F(hashers_test, verify_reports_rehash_when_parameters_changed) {
  auto old_hash = hash_password("correct horse battery", fast);
  ASSERT_TRUE(old_hash);
  auto pool = spawn(1, argon_params{2, crypto_pwhash_MEMLIMIT_MIN});
  {
    caf::scoped_actor self{sys};
    self->request(pool, timeout, pw_verify_atom_v, *old_hash, std::string{"correct horse battery"})
        .receive(
            [&](password_verdict v) {
              EXPECT_TRUE(v.ok);
              EXPECT_TRUE(v.needs_rehash);
            },
            [&](caf::error& err) { FAIL() << sys.render(err); });
  }
}

TEST_F(hashers_test, hashing_a_rule_breaking_password_is_a_validation_error) {
  auto pool = spawn(1, fast);
  {
    caf::scoped_actor self{sys};
    self->request(pool, timeout, pw_hash_atom_v, std::string{"short"})
        .receive([&](std::string&) { FAIL() << "hashed a 5-character password"; },
                 [&](caf::error& err) {
                   EXPECT_EQ(err.category(), errc_category);
                   EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::validation_failed));
                 });
  }
}

TEST_F(hashers_test, a_full_queue_answers_overloaded_at_once) {
  // One worker, one queue slot, a hash slow enough to still be running when
  // the third request arrives: the third is refused, the others complete.
  auto pool = spawn(1, argon_params{3, 16u << 20}, 1);
  {
    caf::scoped_actor self{sys};
    const std::string pw = "correct horse battery";
    auto r1 = self->request(pool, timeout, pw_hash_atom_v, pw);
    auto r2 = self->request(pool, timeout, pw_hash_atom_v, pw);
    auto r3 = self->request(pool, timeout, pw_verify_atom_v, std::string{}, pw);
    int done = 0;
    r3.receive(
        [&](password_verdict) { FAIL() << "third job was queued"; },
        [&](caf::error& err) { EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::overloaded)); });
    EXPECT_EQ(metrics->refused.load(), 1u);
    for (auto* r : {&r1, &r2})
      r->receive([&](std::string& e) { done += e.rfind("$argon2id$", 0) == 0; },
                 [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
    EXPECT_EQ(done, 2);
  }
}
