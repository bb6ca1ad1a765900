// deploy/nats-server.conf (API.md section 9, audit M6), against a real
// nats-server started with that very file: rpc clients cannot read other
// callers' requests nor speak for the nodes, and a node with the `haven`
// user still does everything it needs (JetStream stream, rpc answers).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nats/nats.h>

#include "tests/integration/auth_test_support.hpp"
#include "tests/integration/safety_test_support.hpp"
#include "tests/integration/support/node_test.hpp"

namespace haven::test {
namespace {

using namespace std::chrono_literals;

const char* const haven_password = "node-secret";
const char* const rpc_password = "rpc-secret";
const char* const notifier_password = "notifier-secret";

// The shipped file for one server on `port`: the cluster block (routes to
// hosts that do not exist here) removed, JetStream stored under `dir`.
std::string local_config(uint16_t port, const std::string& dir) {
  std::ifstream in(std::string{HAVEN_SOURCE_DIR} + "/deploy/nats-server.conf");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string conf = buf.str();
  auto cluster = conf.find("\ncluster {");
  if (cluster == std::string::npos)
    throw std::runtime_error("deploy/nats-server.conf: no cluster block");
  conf.erase(cluster, conf.find("\n}", cluster) + 2 - cluster);
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = conf.find(from);
    if (at == std::string::npos)
      throw std::runtime_error("deploy/nats-server.conf: no " + from);
    conf.replace(at, from.size(), to);
  };
  replace("port: 4222", "port: " + std::to_string(port) + "\nhost: 127.0.0.1");
  replace("store_dir: /data/jetstream", "store_dir: \"" + dir + "/js\"");
  return conf;
}

class nats_server {
 public:
  explicit nats_server(const std::string& dir) : port_(free_ports(1).front()) {
    std::string path = dir + "/nats-server.conf";
    std::ofstream(path) << local_config(port_, dir);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setenv("HAVEN_NATS_PASSWORD", haven_password, 1);
      ::setenv("HAVEN_RPC_NATS_PASSWORD", rpc_password, 1);
      ::setenv("NOTIFIER_NATS_PASSWORD", notifier_password, 1);
      ::setenv("CONSUMER_NATS_PASSWORD", "consumer-secret", 1);
      std::string log = dir + "/nats.log";
      ::execlp("nats-server", "nats-server", "-c", path.c_str(), "-l", log.c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~nats_server() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  uint16_t port() const { return port_; }
  std::string url(const std::string& user, const std::string& password) const {
    return "nats://" + user + ":" + password + "@127.0.0.1:" + std::to_string(port_);
  }

 private:
  uint16_t port_;
  pid_t pid_ = -1;
};

// A client of one user; rpc clients use the inbox prefix the file requires.
class client {
 public:
  client(const nats_server& server, const std::string& user, const std::string& password,
         const char* inbox_prefix = nullptr) {
    natsOptions* o = nullptr;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, server.url(user, password).c_str());
    if (inbox_prefix != nullptr)
      natsOptions_SetCustomInboxPrefix(o, inbox_prefix);
    natsStatus s = NATS_NO_SERVER;
    for (int i = 0; i < 100 && s != NATS_OK; ++i) {
      s = natsConnection_Connect(&nc_, o);
      if (s != NATS_OK)
        std::this_thread::sleep_for(50ms);
    }
    natsOptions_Destroy(o);
    if (s != NATS_OK)
      throw std::runtime_error("connect as " + user + ": " + natsStatus_GetText(s));
  }
  ~client() {
    natsConnection_Close(nc_);
    natsConnection_Destroy(nc_);
  }
  natsConnection* get() const { return nc_; }

  natsSubscription* subscribe(const char* subject) {
    natsSubscription* sub = nullptr;
    natsConnection_SubscribeSync(&sub, nc_, subject);
    natsConnection_Flush(nc_);
    return sub;
  }
  void publish(const char* subject, const char* data) {
    natsConnection_PublishString(nc_, subject, data);
    natsConnection_Flush(nc_);
  }

 private:
  natsConnection* nc_ = nullptr;
};

// True when `sub` gets a message within `wait`.
bool receives(natsSubscription* sub, std::chrono::milliseconds wait = 500ms) {
  if (sub == nullptr)
    return false;
  natsMsg* m = nullptr;
  bool got = natsSubscription_NextMsg(&m, sub, static_cast<int64_t>(wait.count())) == NATS_OK;
  natsMsg_Destroy(m);
  return got;
}

class NatsPermissions : public node_test {};

TEST_F(NatsPermissions, EachRoleStaysInsideItsSubjects) {
  nats_server server(the_stack().dir());
  client node(server, "haven", haven_password);
  client rpc(server, "rpc", rpc_password, "_INBOX.rpc");
  client notifier(server, "notifier", notifier_password);

  // An rpc client cannot read the requests of others (tokens, message text).
  client other(server, "rpc", rpc_password, "_INBOX.rpc");
  auto* node_rpc = node.subscribe("haven.rpc.>");
  auto* spy = rpc.subscribe("haven.rpc.>");
  other.publish("haven.rpc.crisis.detect", "{\"text\":\"someone else's message\"}");
  EXPECT_TRUE(receives(node_rpc)) << "control: the node user reads rpc requests";
  EXPECT_FALSE(receives(spy)) << "an rpc client read another caller's request";
  // Nor answers outside its own inbox prefix (one NATS user per rpc client,
  // each with its own prefix: deploy/nats-server.conf).
  auto* wide_inbox = rpc.subscribe("_INBOX.>");
  node.publish("_INBOX.other.x", "{}");
  EXPECT_FALSE(receives(wide_inbox, 200ms)) << "an rpc client read outside _INBOX.rpc.";

  // An rpc client cannot speak for the nodes: cluster messages and events.
  auto* cluster = node.subscribe("haven.cluster.>");
  auto* events = node.subscribe("haven.events.>");
  rpc.publish("haven.cluster.revoke", "[]");
  rpc.publish("haven.events.crisis.detected", "{}");
  EXPECT_FALSE(receives(cluster)) << "an rpc client published a cluster message";
  EXPECT_FALSE(receives(events)) << "an rpc client published an event";
  rpc.publish("haven.rpc.safety.validate", "{}");
  EXPECT_TRUE(receives(node_rpc)) << "control: an rpc client sends requests";

  // Reset tokens: the notifier reads them, nobody else.
  auto* node_notify = node.subscribe("haven.notify.>");
  auto* rpc_notify = rpc.subscribe("haven.notify.>");
  auto* notify = notifier.subscribe("haven.notify.>");
  node.publish("haven.notify.auth.password_reset", "{\"token\":\"t\"}");
  EXPECT_TRUE(receives(notify));
  EXPECT_FALSE(receives(node_notify, 200ms));
  EXPECT_FALSE(receives(rpc_notify, 200ms));

  for (auto* s : {node_rpc, spy, wide_inbox, cluster, events, node_notify, rpc_notify, notify})
    natsSubscription_Destroy(s);
}

// A node with only the `haven` user's rights starts (JetStream stream, cluster
// subjects) and answers an rpc client that has only the `rpc` user's rights.
TEST_F(NatsPermissions, NodeServesRpcClientsUnderTheShippedUsers) {
  nats_server server(the_stack().dir());
  start_node({{"HAVEN_NATS_URL", server.url("haven", haven_password)}});
  auto u = auth::register_account(port());
  client rpc(server, "rpc", rpc_password, "_INBOX.rpc");
  const std::string body = "{\"text\":\"I had a calm day\"}";
  natsMsg* msg = nullptr;
  natsMsg* answer = nullptr;
  ASSERT_EQ(natsMsg_Create(&msg, "haven.rpc.crisis.detect", nullptr, body.data(),
                           static_cast<int>(body.size())),
            NATS_OK);
  natsMsgHeader_Set(msg, "Authorization", ("Bearer " + u.access).c_str());
  natsStatus s = NATS_TIMEOUT;
  for (int i = 0; i < 20 && s != NATS_OK; ++i) // the node subscribes once connected
    s = natsConnection_RequestMsg(&answer, rpc.get(), msg, 1000);
  natsMsg_Destroy(msg);
  ASSERT_EQ(s, NATS_OK) << node_->log_text();
  std::string reply{natsMsg_GetData(answer), static_cast<size_t>(natsMsg_GetDataLength(answer))};
  natsMsg_Destroy(answer);
  EXPECT_NE(reply.find("\"status\":200"), std::string::npos) << reply;
  EXPECT_EQ(node_->log_text().find("Permissions Violation"), std::string::npos)
      << node_->log_text();
}

} // namespace
} // namespace haven::test
