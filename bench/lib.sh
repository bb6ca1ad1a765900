# Shared by the bench/run-* scripts: the nginx ceiling, wrk runs, the two
# Haven configurations every script reports.
#
#   production defaults: what a node runs with when nothing is set (info level,
#                        JSON access log to stderr -> a file, default workers),
#                        against nginx with its buffered JSON access log;
#   stripped:            HAVEN_LOG_LEVEL=warn HAVEN_WORKERS=1 (no access log),
#                        against nginx with `access_log off`.

# Environment of each configuration (the benchmark's own settings come on top).
haven_prod_env=(HAVEN_LOG_FORMAT=json)
haven_stripped_env=(HAVEN_LOG_FORMAT=json HAVEN_LOG_LEVEL=warn HAVEN_WORKERS=1)

# start_nginx WORK PORT on|off: nginx pinned to CPU 1.
start_nginx() {
  local work=$1 port=$2 log=$3 line
  if [ "$log" = on ]; then
    line="access_log $work/nginx-access.log haven_json buffer=64k;"
  else
    line="access_log off;"
  fi
  sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" -e "s#@ACCESS_LOG@#$line#" \
    bench/nginx.conf.in >"$work/nginx.conf"
  taskset -c 1 nginx -c "$work/nginx.conf" -p "$work" &
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && return; sleep 0.1; done
  echo "nginx did not start" >&2
  cat "$work/nginx-error.log" >&2
  exit 1
}

stop_nginx() { # WORK
  if [ -f "$1/nginx.pid" ]; then
    kill -QUIT "$(cat "$1/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$1/nginx.pid" ] || break; sleep 0.1; done
    rm -f "$1/nginx.pid"
  fi
}

# wrk_stats FILE -> "rps p50 p99 non2xx"
wrk_stats() {
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$1")
  p50=$(awk '$1=="50%" {print $2}' "$1")
  p99=$(awk '$1=="99%" {print $2}' "$1")
  bad=$(awk '/Non-2xx/ {print $NF}' "$1")
  echo "$rps $p50 $p99 ${bad:-0}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
