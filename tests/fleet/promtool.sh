#!/bin/sh
# Checks the Prometheus and Alertmanager files of docs/fleet with the tools that load them.
# Exit 77 (skipped) when the tool is not installed.
#   usage: promtool.sh check-config|check-rules|test-rules|amtool-check-config FLEET_DIR
#     check-config         promtool check config prometheus.yml (rule files included), from a
#                          temporary copy with stub secret files: promtool stats the bearer
#                          token file the config names, and the docs ship no secrets
#     check-rules          promtool check rules rules/*.yml
#     test-rules           promtool test rules tests/*.test.yml (the alerting logic)
#     amtool-check-config  amtool check-config alertmanager.yml, and the severity routes
set -eu
if [ $# -ne 2 ]; then
  echo "usage: promtool.sh check-config|check-rules|test-rules|amtool-check-config FLEET_DIR" >&2
  exit 64
fi
mode=$1
fleet=$2
case "$mode" in
  check-config|check-rules|test-rules) tool=promtool package=prometheus ;;
  amtool-check-config) tool=amtool package=prometheus-alertmanager ;;
  *) echo "promtool.sh: unknown mode '$mode'" >&2; exit 64 ;;
esac
if ! command -v "$tool" >/dev/null 2>&1; then
  echo "promtool.sh: $tool not installed (apt-get install --no-install-recommends $package; or scripts/deps.sh test): skipped"
  exit 77
fi
if [ ! -f "$fleet/prometheus.yml" ]; then
  echo "promtool.sh: $fleet/prometheus.yml not found" >&2
  exit 1
fi

case "$mode" in
  check-config)
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-fleet.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' HUP INT TERM
    cp "$fleet/prometheus.yml" "$tmp/"
    cp -R "$fleet/rules" "$tmp/"
    # The secret files the config names, relative to its directory: stubs with the right shape.
    mkdir "$tmp/secrets"
    sed -n 's/^[[:space:]]*\(credentials_file\|ca_file\|cert_file\|key_file\|bearer_token_file\):[[:space:]]*\([^[:space:]#]*\).*/\2/p' \
      "$tmp/prometheus.yml" | sort -u | while read -r f; do
      case "$f" in
        /*|*..*) echo "promtool.sh: $f: example paths must be relative, below the config's directory" >&2; exit 1 ;;
      esac
      mkdir -p "$tmp/$(dirname "$f")"
      printf 'stub-not-a-secret\n' >"$tmp/$f"
    done
    promtool check config "$tmp/prometheus.yml"
    ;;
  check-rules)
    promtool check rules "$fleet"/rules/*.yml
    ;;
  test-rules)
    promtool test rules "$fleet"/tests/*.test.yml
    ;;
  amtool-check-config)
    amtool check-config "$fleet/alertmanager.yml"
    # Severity routing: critical pages on-call, warning goes to the team, anything else too.
    route() {
      expected=$1
      shift
      amtool config routes test --config.file="$fleet/alertmanager.yml" \
        --verify.receivers="$expected" "$@" 2>/dev/null \
        || { echo "promtool.sh: alert {$*} is not routed to $expected" >&2; exit 1; }
      echo "route {$*} -> $expected"
    }
    route oncall severity=critical alertname=ServeWatchEndpointDownConfirmed
    route team severity=warning alertname=ServeWatchEndpointDown
    route team alertname=Other
    ;;
esac
echo "promtool.sh: $mode passed"
