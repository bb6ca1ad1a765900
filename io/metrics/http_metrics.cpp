#include "io/metrics/http_metrics.hpp"

#include <cstdio>
#include <map>
#include <tuple>

namespace haven::metrics {

void http_metrics::observe(std::string_view route, std::string_view method, int status,
                           double seconds) {
  auto& s = series_[key{route.data(), route.size(), method.data(), status}];
  ++s.count;
  ++total_;
  s.sum += seconds;
  for (size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) {
      ++s.buckets[i]; // stored per bucket, made cumulative when rendered
      break;
    }
}

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += "# HELP ";
  out.append(name);
  out += ' ';
  out.append(help);
  out += "\n# TYPE ";
  out.append(name);
  out += ' ';
  out.append(type);
  out += '\n';
}

void append_sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out.append(name);
  if (!labels.empty()) {
    out += '{';
    out.append(labels);
    out += '}';
  }
  char buf[40];
  auto n = std::snprintf(buf, sizeof(buf), " %.17g\n", value);
  out.append(buf, static_cast<size_t>(n));
}

void http_metrics::render(std::string& out) const {
  // Sorted output keeps scrapes stable and diffable.
  std::map<std::tuple<std::string_view, std::string_view, int>, const series*> sorted;
  for (auto& [k, s] : series_)
    sorted.emplace(std::make_tuple(std::string_view{k.route, k.route_len},
                                   std::string_view{k.method}, k.status),
                   &s);
  append_header(out, "haven_http_requests_total", "counter",
                "HTTP requests by route, method and status.");
  for (auto& [k, s] : sorted) {
    char labels[256];
    std::snprintf(labels, sizeof(labels), "route=\"%.*s\",method=\"%.*s\",status=\"%d\"",
                  static_cast<int>(std::get<0>(k).size()), std::get<0>(k).data(),
                  static_cast<int>(std::get<1>(k).size()), std::get<1>(k).data(), std::get<2>(k));
    append_sample(out, "haven_http_requests_total", labels, static_cast<double>(s->count));
  }
  append_header(out, "haven_http_request_duration_seconds", "histogram",
                "HTTP request latency by route, method and status.");
  for (auto& [k, s] : sorted) {
    char base[256];
    std::snprintf(base, sizeof(base), "route=\"%.*s\",method=\"%.*s\",status=\"%d\"",
                  static_cast<int>(std::get<0>(k).size()), std::get<0>(k).data(),
                  static_cast<int>(std::get<1>(k).size()), std::get<1>(k).data(), std::get<2>(k));
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds.size(); ++i) {
      cumulative += s->buckets[i];
      char labels[300];
      std::snprintf(labels, sizeof(labels), "%s,le=\"%g\"", base, bounds[i]);
      append_sample(out, "haven_http_request_duration_seconds_bucket", labels,
                    static_cast<double>(cumulative));
    }
    char labels[300];
    std::snprintf(labels, sizeof(labels), "%s,le=\"+Inf\"", base);
    append_sample(out, "haven_http_request_duration_seconds_bucket", labels,
                  static_cast<double>(s->count));
    append_sample(out, "haven_http_request_duration_seconds_sum", base, s->sum);
    append_sample(out, "haven_http_request_duration_seconds_count", base,
                  static_cast<double>(s->count));
  }
}

void append_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, double value) {
  append_header(out, name, type, help);
  append_sample(out, name, "", value);
}

} // namespace haven::metrics
