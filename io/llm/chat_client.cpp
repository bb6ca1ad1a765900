#include "io/llm/chat_client.hpp"

#include <curl/curl.h>
#include <pthread.h>

#include <atomic>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "io/llm/chat_wire.hpp"
#include "io/llm/curl_result.hpp"

namespace haven::llm {

namespace {

// One request from complete() to done(). The body is built on the caller's
// thread (microseconds of JSON writing); everything else belongs to the loop.
struct request {
  std::string body;
  std::function<void(completion)> done;
  std::string preset_error; // set when the request must not be sent
  std::string response;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<request*>(user);
  size_t n = size * count;
  if (r->response.size() + n > max_response_bytes) {
    r->too_large = true;
    return 0; // anything but n aborts the transfer (CURLE_WRITE_ERROR)
  }
  r->response.append(data, n);
  return n;
}

void global_init() {
  static std::once_flag once;
  // Never cleaned up: other libraries in the process may use libcurl too.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

// One thread drives every transfer with libcurl's multi interface: bounded
// (max_concurrency transfers, one thread) and cancellable (wakeup + remove).
struct chat_client::loop {
  explicit loop(client_options o) : opts{std::move(o)} {
    global_init();
    if (opts.timeout < std::chrono::milliseconds{1})
      opts.timeout = std::chrono::milliseconds{1}; // 0 would mean "no timeout" to libcurl
    multi = curl_multi_init();
    if (multi == nullptr)
      throw std::bad_alloc{};
    // "Expect:" turns off 100-continue: providers answer at once, and a
    // server that ignores it would cost a one-second wait per request.
    bool ok = true;
    auto add = [&](const std::string& h) {
      curl_slist* longer = ok ? curl_slist_append(headers, h.c_str()) : nullptr;
      ok = longer != nullptr; // on failure the old list is intact: freed below
      headers = ok ? longer : headers;
    };
    for (const char* h : {"Content-Type: application/json", "Accept: application/json", "Expect:"})
      add(h);
    if (!opts.api_key.empty())
      add("Authorization: Bearer " + opts.api_key);
    if (!ok) {
      curl_slist_free_all(headers);
      curl_multi_cleanup(multi);
      throw std::bad_alloc{};
    }
    thread = std::thread{[this] { run(); }};
  }

  ~loop() {
    {
      std::lock_guard<std::mutex> guard{mtx};
      stopping = true;
    }
    curl_multi_wakeup(multi);
    thread.join();
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
  }

  void submit(std::unique_ptr<request> r) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (!stopping) {
        incoming.push_back(std::move(r));
        r = nullptr;
      }
    }
    if (r != nullptr) { // complete() raced the destructor (a caller bug): still answer once
      finish(*r, {false, {}, "cancelled"});
      return;
    }
    curl_multi_wakeup(multi);
  }

  void run() {
    pthread_setname_np(pthread_self(), "haven-llm");
    for (;;) {
      std::vector<std::unique_ptr<request>> fresh;
      bool stop = false;
      {
        std::lock_guard<std::mutex> guard{mtx};
        fresh.swap(incoming);
        stop = stopping;
      }
      if (stop) {
        cancel_all(fresh);
        return;
      }
      for (auto& r : fresh)
        start(std::move(r));
      int still_running = 0;
      curl_multi_perform(multi, &still_running);
      collect_finished();
      // Sleeps until a socket is ready, libcurl's next timer, or a wakeup
      // from submit() or the destructor; 1 s is only an upper bound.
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }

  void start(std::unique_ptr<request> r) {
    if (!r->preset_error.empty()) {
      finish(*r, {false, {}, r->preset_error});
      return;
    }
    CURL* e = curl_easy_init();
    if (e == nullptr) {
      finish(*r, {false, {}, "connect"});
      return;
    }
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
      if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, option, value);
    };
    long timeout_ms = static_cast<long>(opts.timeout.count());
    set(CURLOPT_URL, opts.url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https"); // no file://, gopher://, …
    set(CURLOPT_FOLLOWLOCATION, 0L);          // a redirect is "http_3xx", not followed
    set(CURLOPT_SSL_VERIFYPEER, 1L);          // libcurl's defaults, stated: never off
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_NOSIGNAL, 1L);           // no SIGALRM for DNS timeouts in a threaded process
    set(CURLOPT_TIMEOUT_MS, timeout_ms); // the whole transfer, connect included
    set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    set(CURLOPT_HTTPHEADER, headers);
    set(CURLOPT_USERAGENT, "haven");
    set(CURLOPT_POST, 1L);
    set(CURLOPT_POSTFIELDS, r->body.data()); // not copied: r outlives the transfer
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r->body.size()));
    set(CURLOPT_WRITEFUNCTION, &on_body);
    set(CURLOPT_WRITEDATA, static_cast<void*>(r.get()));
    if (rc != CURLE_OK || curl_multi_add_handle(multi, e) != CURLM_OK) {
      curl_easy_cleanup(e);
      finish(*r, {false, {}, "connect"});
      return;
    }
    active.emplace(e, std::move(r));
  }

  void collect_finished() {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE)
        continue;
      CURL* e = m->easy_handle;
      CURLcode code = m->data.result; // m is invalid once the handle is removed
      auto it = active.find(e);
      long status = 0;
      if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
        status = 0;
      curl_multi_remove_handle(multi, e);
      curl_easy_cleanup(e);
      if (it == active.end())
        continue;
      auto r = std::move(it->second);
      active.erase(it);
      finish(*r, to_completion({code, status, r->too_large, r->response}));
    }
  }

  void cancel_all(std::vector<std::unique_ptr<request>>& fresh) {
    for (auto& [e, r] : active) {
      curl_multi_remove_handle(multi, e);
      curl_easy_cleanup(e);
      finish(*r, {false, {}, "cancelled"});
    }
    active.clear();
    for (auto& r : fresh)
      finish(*r, {false, {}, "cancelled"});
  }

  void finish(request& r, completion c) {
    // The slot is free before done runs, so a done that asks again is not "busy".
    running.fetch_sub(1);
    auto done = std::move(r.done);
    if (done) // an empty callback is the caller's choice: nothing to call
      done(std::move(c));
  }

  client_options opts;
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  std::atomic<size_t> running{0}; // reserved by complete(), released by finish()

  std::mutex mtx;
  std::vector<std::unique_ptr<request>> incoming; // guarded by mtx
  bool stopping = false;                          // guarded by mtx

  std::unordered_map<CURL*, std::unique_ptr<request>> active; // loop thread only
  std::thread thread;
};

namespace {

// A line break in the key would let it write extra request headers (a
// configuration mistake, or worse); the message names the problem, never the key.
client_options checked(client_options o) {
  if (o.api_key.find_first_of(std::string_view{"\r\n\0", 3}) != std::string::npos)
    throw std::invalid_argument{"llm api key contains a line break or NUL"};
  return o;
}

} // namespace

chat_client::chat_client(client_options opts)
    : loop_{std::make_unique<loop>(checked(std::move(opts)))} {}

chat_client::~chat_client() = default;

void chat_client::complete(std::vector<chat_message> messages,
                           std::function<void(completion)> done) {
  auto& l = *loop_;
  size_t n = l.running.load();
  do {
    if (n >= l.opts.max_concurrency) {
      if (done)
        done({false, {}, "busy"});
      return;
    }
  } while (!l.running.compare_exchange_weak(n, n + 1));
  std::unique_ptr<request> r;
  try {
    r = std::make_unique<request>();
    if (valid_messages(messages))
      r->body = request_body(l.opts.model, messages);
    else
      r->preset_error = "malformed"; // never sent: the JSON writer needs valid UTF-8
  } catch (...) {
    l.running.fetch_sub(1); // out of memory: give the slot back, let the caller see it
    throw;
  }
  r->done = std::move(done);
  l.submit(std::move(r));
}

} // namespace haven::llm
