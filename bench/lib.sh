# shellcheck shell=bash
# Helpers shared by the bench scripts (sourced, not run): a free loopback port, and the probed
# server — nginx on 127.0.0.1 with its own temporary config (one worker, access log off, a fixed
# JSON answer to any request, optionally a stub_status server so probes can be counted).

# bench_install WHO PACKAGE...: installs the Debian packages given (apt-get, through sudo when
# not root), nothing when none is given. Their own services (nginx on port 80, blackbox_exporter)
# are kept from starting while they install: only the instances the scripts start run.
bench_install() {
  local who=$1 policy_added=0
  shift
  [ $# -gt 0 ] || return 0
  echo "$who: installing $*" >&2
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$@" >/dev/null
  [ "$policy_added" -eq 0 ] || "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
}

# bench_free_port: prints a port nothing listens on at 127.0.0.1 (random, 20000-49999).
bench_free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  echo "bench: no free port found on 127.0.0.1" >&2
  return 1
}

# bench_nginx_start DIR PORT BODY [STATUS_PORT] [KEEPALIVE]
# Writes DIR/nginx.conf and starts nginx in the background on 127.0.0.1:PORT, answering BODY
# (application/json, as an nginx quoted string) to everything; with STATUS_PORT, stub_status
# there. KEEPALIVE is nginx's keepalive_timeout (default 0: the server closes after each
# answer, so every probe is a fresh connection). Sets BENCH_NGINX_PID (the caller stops it) and
# BENCH_NGINX_VERSION; returns 1 (error log on stderr) when nginx does not answer within 10 s.
bench_nginx_start() {
  local dir=$1 port=$2 body=$3 status_port=${4:-} keepalive=${5:-0} bin status_server=
  bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$dir"
  if [ -n "$status_port" ]; then
    status_server="server { listen 127.0.0.1:$status_port; location / { stub_status; } }"
  fi
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_timeout $keepalive;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type application/json; return 200 '$body'; }
  }
  $status_server
}
EOF
  "$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx.log" 2>&1 &
  BENCH_NGINX_PID=$!
  # shellcheck disable=SC2034 # read by the scripts that source this
  BENCH_NGINX_VERSION=$("$bin" -v 2>&1 | sed 's/.*nginx\///')
  for _ in $(seq 100); do
    if curl -s --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$port/"; then
      return 0
    fi
    kill -0 "$BENCH_NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: nginx did not start on 127.0.0.1:$port:" >&2
  cat "$dir/error.log" "$dir/nginx.log" >&2 2>/dev/null || true
  kill "$BENCH_NGINX_PID" 2>/dev/null || true
  wait "$BENCH_NGINX_PID" 2>/dev/null || true
  BENCH_NGINX_PID=
  return 1
}

# bench_blackbox_start DIR PORT: starts prometheus-blackbox-exporter on 127.0.0.1:PORT with
# DIR/blackbox.yml holding one module, http_2xx (IPv4, 5 s timeout), its log in DIR/blackbox.log.
# Sets BENCH_BLACKBOX_PID (the caller stops it); returns 1 (log on stderr) when it does not
# answer within 10 s.
bench_blackbox_start() {
  local dir=$1 port=$2
  cat >"$dir/blackbox.yml" <<'EOF'
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
EOF
  /usr/bin/prometheus-blackbox-exporter --config.file="$dir/blackbox.yml" \
    --web.listen-address="127.0.0.1:$port" >"$dir/blackbox.log" 2>&1 &
  BENCH_BLACKBOX_PID=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$BENCH_BLACKBOX_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: blackbox_exporter did not start on 127.0.0.1:$port" >&2
  cat "$dir/blackbox.log" >&2
  return 1
}
