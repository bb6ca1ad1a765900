#pragma once

// A plain libnats client for tests: the "other side" of Haven's bus,
// independent of Haven's own NATS code.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <nats/nats.h>

#include "io/nats/message.hpp"
#include "messages/bus.hpp"

namespace haven::test {

/// A plain libnats connection that reconnects every 10 ms (sooner than the
/// bus, so it does not miss what the bus publishes after a NATS restart).
class raw_nats {
 public:
  explicit raw_nats(const std::string& url) {
    natsOptions* o = nullptr;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, url.c_str());
    natsOptions_SetMaxReconnect(o, -1);
    natsOptions_SetReconnectWait(o, 10);
    natsOptions_SetReconnectJitter(o, 0, 0);
    natsOptions_SetSendAsap(o, true);
    natsOptions_SetMaxPendingMsgs(o, 1000000);
    natsStatus s = natsConnection_Connect(&nc_, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK)
      throw std::runtime_error(std::string{"raw nats connect: "} + natsStatus_GetText(s));
  }
  ~raw_nats() {
    natsConnection_Close(nc_);
    natsConnection_Destroy(nc_);
  }
  raw_nats(const raw_nats&) = delete;
  raw_nats& operator=(const raw_nats&) = delete;

  natsConnection* get() const { return nc_; }
  bool connected() const { return natsConnection_Status(nc_) == NATS_CONN_STATUS_CONNECTED; }

  /// A synchronous subscription (owned by the caller: natsSubscription_Destroy).
  natsSubscription* subscribe(const std::string& subject) {
    natsSubscription* sub = nullptr;
    if (natsConnection_SubscribeSync(&sub, nc_, subject.c_str()) != NATS_OK)
      throw std::runtime_error("raw nats subscribe failed");
    natsSubscription_SetPendingLimits(sub, -1, -1); // never drop in a test
    natsConnection_Flush(nc_);                      // the server knows it before we go on
    return sub;
  }

  static std::optional<bus_message> next(natsSubscription* sub, std::chrono::milliseconds timeout) {
    natsMsg* msg = nullptr;
    if (natsSubscription_NextMsg(&msg, sub, timeout.count()) != NATS_OK)
      return std::nullopt;
    auto m = nats::copy_nats_msg(msg);
    natsMsg_Destroy(msg);
    return m;
  }

  /// Messages stored in the HAVEN_EVENTS stream (-1 if unknown).
  int64_t stream_msgs() {
    jsCtx* js = nullptr;
    int64_t n = -1;
    if (natsConnection_JetStream(&js, nc_, nullptr) == NATS_OK) {
      jsStreamInfo* si = nullptr;
      if (js_GetStreamInfo(&si, js, "HAVEN_EVENTS", nullptr, nullptr) == NATS_OK) {
        n = static_cast<int64_t>(si->State.Msgs);
        jsStreamInfo_Destroy(si);
      }
      jsCtx_Destroy(js);
    }
    return n;
  }

  /// The data of the stream message with sequence `seq`, or nullopt.
  std::optional<bus_message> stream_msg(uint64_t seq) {
    jsCtx* js = nullptr;
    std::optional<bus_message> res;
    if (natsConnection_JetStream(&js, nc_, nullptr) == NATS_OK) {
      natsMsg* msg = nullptr;
      if (js_GetMsg(&msg, js, "HAVEN_EVENTS", seq, nullptr, nullptr) == NATS_OK) {
        res = nats::copy_nats_msg(msg);
        natsMsg_Destroy(msg);
      }
      jsCtx_Destroy(js);
    }
    return res;
  }

  /// The last sequence number in the stream (0 when empty or unknown).
  uint64_t stream_last_seq() {
    jsCtx* js = nullptr;
    uint64_t n = 0;
    if (natsConnection_JetStream(&js, nc_, nullptr) == NATS_OK) {
      jsStreamInfo* si = nullptr;
      if (js_GetStreamInfo(&si, js, "HAVEN_EVENTS", nullptr, nullptr) == NATS_OK) {
        n = si->State.LastSeq;
        jsStreamInfo_Destroy(si);
      }
      jsCtx_Destroy(js);
    }
    return n;
  }

 private:
  natsConnection* nc_ = nullptr;
};

/// One rpc request (API.md section 9) on a fresh connection, the token in the
/// Authorization header when given: the reply's data, "<no message>" or
/// "<no reply>" (no answer within 10 s).
inline std::string rpc_request(const std::string& nats_url, const std::string& subject,
                               const std::string& body, const std::string& token) {
  raw_nats nats{nats_url};
  natsMsg* msg = nullptr;
  natsMsg* answer = nullptr;
  if (natsMsg_Create(&msg, subject.c_str(), nullptr, body.data(), static_cast<int>(body.size())) !=
      NATS_OK)
    return "<no message>";
  if (!token.empty())
    natsMsgHeader_Set(msg, "Authorization", ("Bearer " + token).c_str());
  natsStatus s = natsConnection_RequestMsg(&answer, nats.get(), msg, 10000);
  natsMsg_Destroy(msg);
  if (s != NATS_OK)
    return "<no reply>";
  std::string out{natsMsg_GetData(answer), static_cast<size_t>(natsMsg_GetDataLength(answer))};
  natsMsg_Destroy(answer);
  return out;
}

} // namespace haven::test
