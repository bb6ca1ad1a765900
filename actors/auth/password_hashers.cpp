#include "actors/auth/password_hashers.hpp"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <sodium.h>

#include "messages/errors.hpp"

namespace haven::auth {

namespace {

// Best effort: the password's bytes do not linger in this copy of the message.
void wipe(std::string& s) {
  sodium_memzero(s.data(), s.size());
  s.clear();
}

// Counts one Argon2id operation with its thread CPU and wall time.
class timed {
 public:
  timed(hash_metrics* m, std::atomic<uint64_t> hash_metrics::*counter)
      : m_(m), counter_(counter), cpu0_(m ? thread_cpu_ns() : 0),
        wall0_(std::chrono::steady_clock::now()) {}
  timed(const timed&) = delete;
  timed& operator=(const timed&) = delete;
  ~timed() {
    if (m_ == nullptr)
      return;
    auto wall = std::chrono::steady_clock::now() - wall0_;
    (m_->*counter_).fetch_add(1, std::memory_order_relaxed);
    m_->cpu_ns.fetch_add(thread_cpu_ns() - cpu0_, std::memory_order_relaxed);
    m_->wall_ns.fetch_add(
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()),
        std::memory_order_relaxed);
  }

 private:
  hash_metrics* m_;
  std::atomic<uint64_t> hash_metrics::*counter_;
  uint64_t cpu0_;
  std::chrono::steady_clock::time_point wall0_;
};

password_hasher_actor::behavior_type worker(password_hasher_actor::pointer, argon_params params,
                                            std::shared_ptr<const std::string> dummy,
                                            std::shared_ptr<hash_metrics> metrics) {
  return {
      [=](pw_hash_atom, std::string& password) -> caf::result<std::string> {
        auto issue = check_password(password);
        if (issue != password_issue::none) {
          wipe(password);
          return make_validation_error("password breaks the rules",
                                       {{"password", to_string(issue)}});
        }
        std::optional<std::string> encoded;
        {
          timed t{metrics.get(), &hash_metrics::hashes};
          encoded = hash_password(password, params);
        }
        wipe(password);
        if (!encoded)
          return make_error(errc::internal, "password hashing failed");
        return std::move(*encoded);
      },
      [=](pw_verify_atom, std::string& encoded, std::string& password) -> password_verdict {
        // Unknown account or an over-long password (none can be stored): spend
        // the same time on the dummy hash and say no.
        bool real = !encoded.empty() && password.size() <= max_password_bytes;
        bool ok = false;
        {
          timed t{metrics.get(), &hash_metrics::verifies};
          ok = verify_password(real ? encoded : *dummy, password) && real;
        }
        wipe(password);
        return {ok, ok && needs_rehash(encoded, params)};
      },
  };
}

struct job {
  bool verify = false;
  std::string encoded;
  std::string password;
  caf::typed_response_promise<std::string> hashed;
  caf::typed_response_promise<password_verdict> verified;
};

struct front_state {
  std::vector<password_hasher_actor> idle;
  std::deque<job> queue;
  static inline const char* name = "password_hashers";
};

using front_pointer = password_hasher_actor::stateful_pointer<front_state>;

void dispatch(front_pointer self, password_hasher_actor w, job j);

// A worker finished: give it the oldest waiting job, or park it.
void on_free(front_pointer self, password_hasher_actor w) {
  auto& st = self->state;
  if (st.queue.empty()) {
    st.idle.push_back(std::move(w));
    return;
  }
  job next = std::move(st.queue.front());
  st.queue.pop_front();
  dispatch(self, std::move(w), std::move(next));
}

void dispatch(front_pointer self, password_hasher_actor w, job j) {
  if (j.verify) {
    auto rp = j.verified;
    self->request(w, caf::infinite, pw_verify_atom_v, std::move(j.encoded), std::move(j.password))
        .then(
            [=](password_verdict v) mutable {
              rp.deliver(v);
              on_free(self, w);
            },
            [=](caf::error& err) mutable {
              rp.deliver(std::move(err));
              on_free(self, w);
            });
  } else {
    auto rp = j.hashed;
    self->request(w, caf::infinite, pw_hash_atom_v, std::move(j.password))
        .then(
            [=](std::string& encoded) mutable {
              rp.deliver(std::move(encoded));
              on_free(self, w);
            },
            [=](caf::error& err) mutable {
              rp.deliver(std::move(err));
              on_free(self, w);
            });
  }
}

caf::error overloaded() {
  return make_retry_error(errc::overloaded, "password hashing is busy", 1);
}

// Checked before a promise exists, so a refused request gets a plain error reply.
bool full(front_pointer self, size_t max_queued) {
  return self->state.idle.empty() && self->state.queue.size() >= max_queued;
}

// Runs `j` now on an idle worker, or queues it.
void submit(front_pointer self, job&& j) {
  auto& st = self->state;
  if (st.idle.empty()) {
    st.queue.push_back(std::move(j));
    return;
  }
  auto w = std::move(st.idle.back());
  st.idle.pop_back();
  dispatch(self, std::move(w), std::move(j));
}

password_hasher_actor::behavior_type front(front_pointer self, size_t workers, size_t max_queued,
                                           argon_params params,
                                           std::shared_ptr<const std::string> dummy,
                                           std::shared_ptr<hash_metrics> metrics) {
  for (size_t i = 0; i < workers; ++i)
    self->state.idle.push_back(
        self->spawn<caf::detached + caf::linked>(worker, params, dummy, metrics));
  auto refuse = [metrics] {
    if (metrics)
      metrics->refused.fetch_add(1, std::memory_order_relaxed);
    return overloaded();
  };
  return {
      [=](pw_hash_atom, std::string& password) -> caf::result<std::string> {
        if (full(self, max_queued))
          return refuse();
        job j;
        j.password = std::move(password);
        j.hashed = self->make_response_promise<std::string>();
        auto rp = j.hashed;
        submit(self, std::move(j));
        return rp;
      },
      [=](pw_verify_atom, std::string& encoded,
          std::string& password) -> caf::result<password_verdict> {
        if (full(self, max_queued))
          return refuse();
        job j;
        j.verify = true;
        j.encoded = std::move(encoded);
        j.password = std::move(password);
        j.verified = self->make_response_promise<password_verdict>();
        auto rp = j.verified;
        submit(self, std::move(j));
        return rp;
      },
  };
}

} // namespace

password_hasher_actor spawn_password_hashers(caf::actor_system& sys, size_t workers,
                                             argon_params params, size_t max_queued,
                                             std::shared_ptr<hash_metrics> metrics) {
  auto dummy = std::make_shared<const std::string>(make_dummy_hash(params));
  return sys.spawn(front, workers == 0 ? 1 : workers, max_queued, params, dummy,
                   std::move(metrics));
}

} // namespace haven::auth
