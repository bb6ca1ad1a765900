#include "io/nats/message.hpp"

#include <cstdlib>

namespace haven::nats {

const std::string* find_header(const bus_message& m, std::string_view name) {
  for (const auto& h : m.headers)
    if (h.name == name)
      return &h.value;
  return nullptr;
}

natsStatus make_nats_msg(natsMsg** out, const bus_message& m, const char* reply, bool dedupe_id) {
  *out = nullptr;
  const char* rep = reply != nullptr ? reply : (m.reply.empty() ? nullptr : m.reply.c_str());
  natsStatus s =
      natsMsg_Create(out, m.subject.c_str(), rep, m.data.data(), static_cast<int>(m.data.size()));
  // Add, not Set: a header may legitimately appear more than once.
  for (size_t i = 0; s == NATS_OK && i < m.headers.size(); ++i)
    s = natsMsgHeader_Add(*out, m.headers[i].name.c_str(), m.headers[i].value.c_str());
  if (s == NATS_OK && dedupe_id)
    if (const auto* id = find_header(m, header_event_id); id != nullptr && !id->empty())
      s = natsMsgHeader_Set(*out, header_msg_id, id->c_str());
  if (s != NATS_OK) {
    natsMsg_Destroy(*out);
    *out = nullptr;
  }
  return s;
}

bus_message copy_nats_msg(natsMsg* msg) {
  bus_message m;
  m.subject = natsMsg_GetSubject(msg);
  if (const char* r = natsMsg_GetReply(msg); r != nullptr)
    m.reply = r;
  if (const char* d = natsMsg_GetData(msg); d != nullptr)
    m.data.assign(d, static_cast<size_t>(natsMsg_GetDataLength(msg)));
  const char** keys = nullptr;
  int nkeys = 0;
  if (natsMsgHeader_Keys(msg, &keys, &nkeys) == NATS_OK) {
    for (int i = 0; i < nkeys; ++i) {
      const char** values = nullptr;
      int nvalues = 0;
      if (natsMsgHeader_Values(msg, keys[i], &values, &nvalues) != NATS_OK)
        continue;
      for (int j = 0; j < nvalues; ++j)
        m.headers.push_back({keys[i], values[j]});
      std::free(static_cast<void*>(values)); // the array is ours, the strings are the message's
    }
    std::free(static_cast<void*>(keys));
  }
  return m;
}

} // namespace haven::nats
