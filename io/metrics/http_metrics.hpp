#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace haven::metrics {

/// Request counters and latency histograms by route, method and status,
/// owned by the HTTP edge (one thread: no atomics on the hot path).
/// Routes are the router's patterns, so label cardinality stays bounded.
class http_metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds (Prometheus `le`).
  static constexpr std::array<double, 14> bounds{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  /// `route` must outlive this object (a router pattern or a string literal).
  void observe(std::string_view route, std::string_view method, int status, double seconds);

  /// Appends the Prometheus text exposition of every series.
  void render(std::string& out) const;

  uint64_t total() const { return total_; }

 private:
  struct key {
    const char* route;
    size_t route_len;
    const char* method; // a string literal from http::to_string(method)
    int status;
    bool operator==(const key& o) const {
      return route == o.route && method == o.method && status == o.status;
    }
  };
  struct key_hash {
    size_t operator()(const key& k) const {
      return std::hash<const void*>()(k.route) ^ (std::hash<const void*>()(k.method) << 1) ^
             (static_cast<size_t>(k.status) << 7);
    }
  };
  struct series {
    uint64_t count = 0;
    double sum = 0;
    std::array<uint64_t, bounds.size()> buckets{};
  };
  std::unordered_map<key, series, key_hash> series_;
  uint64_t total_ = 0;
};

/// Appends one gauge or counter sample with optional labels ("a=\"b\"").
void append_sample(std::string& out, std::string_view name, std::string_view labels, double value);

/// Appends a `# HELP` and `# TYPE` header.
void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help);

/// The header and the one unlabelled sample of a gauge or counter: the name
/// is written once, so the two cannot disagree.
void append_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, double value);

} // namespace haven::metrics
