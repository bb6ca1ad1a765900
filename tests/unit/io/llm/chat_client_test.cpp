// The provider client against a fake provider on loopback (fake_provider.hpp):
// every answer kind, what went over the wire, the concurrency bound, and that
// each `done` runs exactly once, also when the client is destroyed mid-flight.
// No timing assertions: waits are guards against a hang, never the check.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <simdjson.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "fake_provider.hpp"
#include "io/llm/chat_client.hpp"

namespace haven::llm {
namespace {

using testing::fake_provider;
using testing::mode;

// libcurl honours http_proxy/https_proxy from the environment (so does the
// client, on purpose: operators may need one); the fake provider is on loopback.
const bool no_proxy_for_tests = [] { return ::setenv("NO_PROXY", "*", 1) == 0; }();

// Records every done call: how often each request's ran, with what, on which thread.
class recorder {
 public:
  std::function<void(completion)> callback(size_t i) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (calls_.size() <= i) {
        calls_.resize(i + 1, 0);
        results_.resize(i + 1);
        threads_.resize(i + 1);
      }
    }
    return [this, i](completion c) {
      std::lock_guard<std::mutex> guard{mtx_};
      ++calls_[i];
      results_[i] = std::move(c);
      threads_[i] = std::this_thread::get_id();
      ++total_;
      cv_.notify_all();
    };
  }
  /// Waits until `n` calls arrived (30 s guard against a hang).
  bool wait(size_t n) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, std::chrono::seconds{30}, [&] { return total_ >= n; });
  }
  int calls(size_t i) {
    std::lock_guard<std::mutex> guard{mtx_};
    return calls_.at(i);
  }
  completion result(size_t i) {
    std::lock_guard<std::mutex> guard{mtx_};
    return results_.at(i);
  }
  std::thread::id thread(size_t i) {
    std::lock_guard<std::mutex> guard{mtx_};
    return threads_.at(i);
  }
  size_t total() {
    std::lock_guard<std::mutex> guard{mtx_};
    return total_;
  }

 private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<int> calls_;
  std::deque<completion> results_;
  std::deque<std::thread::id> threads_;
  size_t total_ = 0;
};

std::vector<chat_message> hello() {
  return {{"system", "You are a supportive listener."}, {"user", "I feel low today."}};
}

client_options options(const fake_provider& p,
                       std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
  client_options o;
  o.url = p.url();
  o.model = "test-model";
  o.api_key = "sk-test-key";
  o.timeout = timeout;
  return o;
}

// One request, its completion (done must run exactly once).
completion ask(chat_client& c, std::vector<chat_message> messages = hello()) {
  recorder r;
  c.complete(std::move(messages), r.callback(0));
  EXPECT_TRUE(r.wait(1));
  EXPECT_EQ(r.calls(0), 1);
  return r.result(0);
}

completion ask_once(const client_options& o) {
  chat_client c{o};
  return ask(c);
}

TEST(LlmChatClient, AnswerIsTheFirstChoiceContentOnTheClientThread) {
  fake_provider p;
  p.set_response(200, testing::reply_json("Pole sana. I'm here with you."));
  chat_client c{options(p)};
  recorder r;
  c.complete(hello(), r.callback(0));
  ASSERT_TRUE(r.wait(1));
  EXPECT_TRUE(r.result(0).ok);
  EXPECT_EQ(r.result(0).text, "Pole sana. I'm here with you.");
  EXPECT_EQ(r.result(0).error, "");
  EXPECT_NE(r.thread(0), std::this_thread::get_id());
}

TEST(LlmChatClient, SendsModelMessagesBoundedMaxTokensAndBearerKey) {
  fake_provider p;
  chat_client c{options(p)};
  std::string tricky = "He said \"enough\"\\\n\ttab \x01 Habari 😔 ñ";
  ASSERT_TRUE(ask(c, {{"system", "be kind"}, {"user", tricky}, {"assistant", "ok"}}).ok);
  auto reqs = p.requests();
  ASSERT_EQ(reqs.size(), 1u);
  auto& q = reqs[0];
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.target, "/v1/chat/completions");
  EXPECT_EQ(q.headers["authorization"], "Bearer sk-test-key");
  EXPECT_EQ(q.headers["content-type"], "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(q.body).get(root), simdjson::SUCCESS) << q.body;
  std::string_view model;
  ASSERT_EQ(root["model"].get_string().get(model), simdjson::SUCCESS);
  EXPECT_EQ(model, "test-model");
  simdjson::dom::array messages;
  ASSERT_EQ(root["messages"].get_array().get(messages), simdjson::SUCCESS);
  ASSERT_EQ(messages.size(), 3u);
  std::string_view role, content;
  ASSERT_EQ(messages.at(1)["role"].get_string().get(role), simdjson::SUCCESS);
  ASSERT_EQ(messages.at(1)["content"].get_string().get(content), simdjson::SUCCESS);
  EXPECT_EQ(role, "user");
  EXPECT_EQ(content, tricky); // escaped on the wire, identical after parsing
  ASSERT_EQ(messages.at(2)["role"].get_string().get(role), simdjson::SUCCESS);
  EXPECT_EQ(role, "assistant");
  int64_t max_tokens = 0;
  ASSERT_EQ(root["max_tokens"].get_int64().get(max_tokens), simdjson::SUCCESS);
  EXPECT_GT(max_tokens, 0);
  EXPECT_LE(max_tokens, 4096);
}

TEST(LlmChatClient, NoAuthorizationHeaderWithoutKey) {
  fake_provider p;
  auto o = options(p);
  o.api_key.clear();
  ASSERT_TRUE(ask_once(o).ok);
  auto reqs = p.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].headers.count("authorization"), 0u);
}

TEST(LlmChatClient, StatusOtherThan200IsHttpCode) {
  fake_provider p;
  chat_client c{options(p)};
  for (int status : {500, 429, 401, 201, 204}) {
    p.set_response(status, testing::reply_json("even with a valid body"));
    auto r = ask(c);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "http_" + std::to_string(status));
    EXPECT_EQ(r.text, "");
  }
}

TEST(LlmChatClient, RedirectIsNotFollowed) {
  fake_provider p;
  p.set_response(302, "", "Location: " + p.url() + "\r\n");
  auto r = ask_once(options(p));
  EXPECT_EQ(r.error, "http_302");
  EXPECT_EQ(p.requests().size(), 1u);
}

TEST(LlmChatClient, UnusableBodiesAreMalformed) {
  fake_provider p;
  chat_client c{options(p)};
  for (std::string body :
       {"{not json", "", "[]", "null", R"({"id":"x"})", R"({"choices":[]})", R"({"choices":{}})",
        R"({"choices":[{}]})", R"({"choices":[{"message":{}}]})",
        R"({"choices":[{"message":{"content":null}}]})",
        R"({"choices":[{"message":{"content":42}}]})",
        R"({"choices":[{"message":{"content":["a"]}}]})",
        R"({"choices":[{"message":{"content":""}}]})",
        R"({"choices":[{"message":{"content":" \n "}}]})",
        "{\"choices\":[{\"message\":{\"content\":\"\xff\"}}]}",
        R"({"choices":[{"message":{"content":"ok"}}]} trailing)"}) {
    p.set_response(200, body);
    auto r = ask(c);
    EXPECT_FALSE(r.ok) << body;
    EXPECT_EQ(r.error, "malformed") << body;
  }
}

TEST(LlmChatClient, OversizedBodyIsMalformed) {
  fake_provider p;
  p.set_mode(mode::oversized);
  auto r = ask_once(options(p));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "malformed");
}

TEST(LlmChatClient, SlowBeyondTheDeadlineIsTimeout) {
  fake_provider p;
  p.set_mode(mode::slow);
  auto r = ask_once(options(p, std::chrono::milliseconds{200}));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "timeout");
}

TEST(LlmChatClient, HungProviderIsTimeout) {
  fake_provider p;
  p.set_mode(mode::hang);
  auto r = ask_once(options(p, std::chrono::milliseconds{200}));
  EXPECT_EQ(r.error, "timeout");
}

TEST(LlmChatClient, ClosedWithoutAnswerIsConnect) {
  fake_provider p;
  p.set_mode(mode::close_now);
  auto r = ask_once(options(p));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "connect");
}

TEST(LlmChatClient, RefusedIsConnect) {
  // A port that was just free: bind, read it, close, nobody listens there.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  client_options o;
  o.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1/chat/completions";
  o.model = "m";
  EXPECT_EQ(ask_once(o).error, "connect");
}

TEST(LlmChatClient, OnlyHttpAndHttpsUrls) {
  for (std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "not a url", ""}) {
    client_options o;
    o.url = url;
    o.model = "m";
    EXPECT_EQ(ask_once(o).error, "connect") << url;
  }
}

TEST(LlmChatClient, InvalidUtf8IsMalformedAndNeverSent) {
  fake_provider p;
  chat_client c{options(p)};
  auto r = ask(c, {{"user", "bad \xc3\x28 bytes"}});
  EXPECT_EQ(r.error, "malformed");
  ASSERT_TRUE(ask(c).ok); // the client still works, and only that request arrived
  EXPECT_EQ(p.requests().size(), 1u);
}

TEST(LlmChatClient, BusyBeyondMaxConcurrencyOnTheCallersThread) {
  fake_provider p;
  p.set_mode(mode::hold);
  auto o = options(p);
  o.max_concurrency = 3;
  chat_client c{o};
  recorder r;
  for (size_t i = 0; i < 3; ++i)
    c.complete(hello(), r.callback(i));
  c.complete(hello(), r.callback(3));
  // The fourth was answered before complete() returned, on this thread.
  EXPECT_EQ(r.calls(3), 1);
  EXPECT_EQ(r.result(3).error, "busy");
  EXPECT_FALSE(r.result(3).ok);
  EXPECT_EQ(r.thread(3), std::this_thread::get_id());
  ASSERT_TRUE(p.wait_for_requests(3));
  c.complete(hello(), r.callback(4)); // still three held: busy again
  EXPECT_EQ(r.result(4).error, "busy");
  p.release();
  ASSERT_TRUE(r.wait(5));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(r.result(i).ok) << i;
    EXPECT_NE(r.thread(i), std::this_thread::get_id());
  }
  EXPECT_TRUE(ask(c).ok); // the slots came back
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(r.calls(i), 1) << i;
}

TEST(LlmChatClient, ZeroConcurrencyIsAlwaysBusy) {
  fake_provider p;
  auto o = options(p);
  o.max_concurrency = 0;
  chat_client c{o};
  recorder r;
  c.complete(hello(), r.callback(0));
  EXPECT_EQ(r.result(0).error, "busy");
  EXPECT_TRUE(p.requests().empty());
}

TEST(LlmChatClient, DoneMayAskAgainWithoutBeingBusy) {
  fake_provider p;
  auto o = options(p);
  o.max_concurrency = 1;
  chat_client c{o};
  recorder r;
  auto second = r.callback(1);
  auto first = r.callback(0);
  c.complete(hello(), [&c, first, second](completion got) {
    first(std::move(got));
    c.complete(hello(), second); // from the client's own thread, slot already free
  });
  ASSERT_TRUE(r.wait(2));
  EXPECT_TRUE(r.result(0).ok);
  EXPECT_TRUE(r.result(1).ok) << r.result(1).error;
}

TEST(LlmChatClient, KeyWithLineBreakIsRefusedWithoutEchoingIt) {
  client_options o;
  o.url = "http://127.0.0.1:1/v1/chat/completions";
  o.api_key = "sk-secret\r\nX-Injected: 1";
  try {
    chat_client c{o};
    FAIL() << "constructed";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string{e.what()}.find("sk-secret"), std::string::npos);
  }
}

TEST(LlmChatClient, EmptyCallbackIsAllowed) {
  fake_provider p;
  auto o = options(p);
  o.max_concurrency = 1;
  chat_client c{o};
  c.complete(hello(), {});
  ASSERT_TRUE(p.wait_for_requests(1));
  c.complete(hello(), {}); // busy (on this thread) or sent: no bad_function_call either way
}

TEST(LlmChatClient, DestructorCancelsHungRequestsOnce) {
  fake_provider p;
  p.set_mode(mode::hang);
  recorder r;
  auto self = std::this_thread::get_id();
  {
    chat_client c{options(p, std::chrono::minutes{10})};
    for (size_t i = 0; i < 4; ++i)
      c.complete(hello(), r.callback(i));
    ASSERT_TRUE(p.wait_for_requests(4));
    EXPECT_EQ(r.total(), 0u);
  } // returns although the provider would hang for 10 minutes
  EXPECT_EQ(r.total(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.calls(i), 1) << i;
    EXPECT_EQ(r.result(i).error, "cancelled") << i;
    EXPECT_NE(r.thread(i), self) << i;
  }
}

TEST(LlmChatClient, DestructorRightAfterSubmitAnswersEachOnce) {
  fake_provider p;
  recorder r;
  {
    chat_client c{options(p)};
    for (size_t i = 0; i < 8; ++i)
      c.complete(hello(), r.callback(i));
  }
  EXPECT_EQ(r.total(), 8u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(r.calls(i), 1) << i;
    auto res = r.result(i);
    EXPECT_TRUE(res.ok || res.error == "cancelled") << res.error;
  }
}

TEST(LlmChatClient, ManyThreadsEachDoneExactlyOnce) {
  fake_provider p;
  auto o = options(p);
  o.max_concurrency = 4;
  recorder r;
  constexpr size_t threads = 4, per_thread = 25;
  {
    chat_client c{o};
    std::vector<std::thread> callers;
    for (size_t t = 0; t < threads; ++t)
      callers.emplace_back([&, t] {
        for (size_t i = 0; i < per_thread; ++i)
          c.complete(hello(), r.callback(t * per_thread + i));
      });
    for (auto& t : callers)
      t.join();
    ASSERT_TRUE(r.wait(threads * per_thread));
  }
  size_t ok = 0;
  for (size_t i = 0; i < threads * per_thread; ++i) {
    EXPECT_EQ(r.calls(i), 1) << i;
    auto res = r.result(i);
    EXPECT_TRUE(res.ok || res.error == "busy") << res.error;
    ok += res.ok ? 1 : 0;
  }
  EXPECT_GE(ok, 1u);
  EXPECT_EQ(p.requests().size(), ok); // a busy request never reached the provider
}

} // namespace
} // namespace haven::llm
