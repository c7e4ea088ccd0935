#!/usr/bin/env bash
# npm start (built app) / npm run dev (Vite dev server with HMR): provisions whatever this machine
# lacks (npm packages, PostgreSQL, Redis, the mediasoup worker), migrates and seeds the database,
# then runs web, media-node and workers in the foreground until Ctrl-C, which stops them all.
#
#   --dev     Vite dev server with HMR instead of the production build
#   --https   self-signed TLS (server/tls.ts) and LAN URLs, for testing on phones
#
# Environment (all optional):
#   HOST, PORT                 where web listens (0.0.0.0, 3000)
#   DATABASE_URL, REDIS_URL    use these servers instead of the local ones under .data/
#   DEV_PG_PORT, DEV_REDIS_PORT  ports of those local ones (54329, 63790)
#   SMTP_URL                   a real mail server: no dev mail catcher, and `npm start` runs with
#                              NODE_ENV=production
#   MAIL_CATCHER_PORT          port of the dev mail catcher (2525)
#   MEDIA_HTTP_PORT            media-node's HTTP port (4443)
#   SEED_DEMO=0                skip the demo organization and users
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh

dev=false https=false
for arg in "$@"; do
  case $arg in
    --dev) dev=true ;;
    --https) https=true ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "Unknown option $arg (see: bash scripts/up.sh --help)" ;;
  esac
done

# ── Children and shutdown ───────────────────────────────────────────────────────────────────────
# Each child runs in its own session (setsid), so Ctrl-C reaches only this script, which then stops
# the children in order (SIGTERM, their own graceful shutdown, SIGKILL to the whole process group
# after 12 s, which also takes mediasoup-worker or esbuild grandchildren along).
names=() pids=()
cleaning=false

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

stop_children() {
  local i pid waited=0 any
  stop_failed=false
  [ ${#pids[@]} -gt 0 ] || return 0
  log "Stopping ${names[*]}"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  while [ $waited -lt 120 ]; do # each process force-exits 10 s after SIGTERM by itself
    any=false
    for pid in "${pids[@]}"; do alive "$pid" && any=true; done
    $any || break
    sleep 0.1
    waited=$((waited + 1))
  done
  for i in "${!pids[@]}"; do
    if alive "${pids[i]}"; then
      log "${names[i]} did not stop within 12 s: killing it"
      stop_failed=true
    fi
    kill -KILL -- "-${pids[i]}" 2>/dev/null || true
  done
  sleep 0.2 # let the output filters print the last lines
}

cleanup() {
  local code=$1
  $cleaning && return 0
  cleaning=true
  trap '' INT TERM HUP # a second Ctrl-C must not cut the orderly stop short
  stop_children
  # Only what this run started: servers that were already running or configured stay up.
  stop_started_services
  if [ "$code" = requested ]; then
    # A requested stop (Ctrl-C, SIGTERM) is the normal way out: success when everything stopped.
    $stop_failed && exit 1
    log "Stopped"
    exit 0
  fi
  exit "$code"
}
stop_failed=false
trap 'cleanup $?' EXIT
trap 'echo >&2; cleanup requested' INT
trap 'cleanup requested' TERM HUP

# Prefixes each line of a child's output with its name. With a terminal, pino's JSON lines are made
# readable by pino-pretty (a dev dependency; plain lines pass through it unchanged). The filter gets
# its own session too, so Ctrl-C does not kill it before the child's last words.
pretty=false
[ -t 1 ] && [ -x node_modules/.bin/pino-pretty ] && pretty=true
start_child() {
  local name=$1 color=$2
  shift 2
  local tag="[$name]"
  [ -t 1 ] && tag=$'\033['"${color}m[$name]"$'\033[0m'
  if $pretty; then
    setsid "$@" > >(exec setsid sh -c 'pino-pretty --colorize --singleLine --ignore pid,hostname,name \
      --translateTime SYS:HH:MM:ss | sed -u "s/^/$1 /"' filter "$tag") 2>&1 &
  else
    setsid "$@" > >(exec setsid sed -u "s/^/$tag /") 2>&1 &
  fi
  pids+=($!)
  names+=("$name")
}

# The name of the first child that is no longer running, if any.
dead_child() {
  local i
  for i in "${!pids[@]}"; do
    alive "${pids[i]}" || { echo "${names[i]}"; return 0; }
  done
  return 1
}

# ── Configuration ───────────────────────────────────────────────────────────────────────────────
started_at=$SECONDS
export HOST=${HOST:-0.0.0.0} PORT=${PORT:-3000}
scheme=http
if $https; then
  export HTTPS=true
  scheme=https
fi
lan_ips=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' || true)
if $https && [ -n "$lan_ips" ]; then
  # Phones reach media at the machine's LAN address, not at 127.0.0.1.
  export MEDIA_LISTEN_IP=${MEDIA_LISTEN_IP:-0.0.0.0}
  export MEDIA_ANNOUNCED_IP=${MEDIA_ANNOUNCED_IP:-$(head -n 1 <<<"$lan_ips")}
fi

# Mail: without SMTP_URL there is no mail server here, so web runs the dev SMTP catcher (emails show
# at /dev/mail) and workers deliver to it. server/main.ts starts the catcher only when NODE_ENV is
# not production, so the built app (`npm start`) runs with NODE_ENV=production only when SMTP_URL
# is configured, and otherwise with NODE_ENV=development: still the production build (server/main.ts
# without --dev serves build/), with the catcher and Remix's development error pages.
catcher=false
if [ -z "${SMTP_URL:-}" ]; then
  catcher=true
  export MAIL_CATCHER_PORT=${MAIL_CATCHER_PORT:-2525}
  export SMTP_URL="smtp://127.0.0.1:$MAIL_CATCHER_PORT"
fi
if $dev || $catcher; then node_env=development; else node_env=production; fi

# Fail early and clearly on a busy port (typically another `npm start`) instead of a crashed child.
check_port() { ! port_open 127.0.0.1 "$2" || die "Port $2 ($1) is already in use: stop what holds it or set $3"; }
check_port web "$PORT" PORT
check_port media-node "${MEDIA_HTTP_PORT:-4443}" MEDIA_HTTP_PORT
$catcher && check_port "mail catcher" "$MAIL_CATCHER_PORT" MAIL_CATCHER_PORT
$dev && check_port "Vite HMR" "${HMR_PORT:-24678}" HMR_PORT

# ── Provisioning ────────────────────────────────────────────────────────────────────────────────
ensure_node_modules

# Random secrets per checkout (sessions, web → media-node RPC), kept across runs so sessions survive
# restarts; a value already in the environment wins. A secret added in a later version is appended.
secrets="$DATA_DIR/secrets.env"
mkdir -p "$DATA_DIR"
touch "$secrets" && chmod 600 "$secrets"
for name in AUTH_SECRET MEDIA_RPC_SECRET; do
  if ! grep -q "^$name=" "$secrets"; then
    log "Generating $name in $secrets"
    node -e 'console.log(process.argv[1] + "=" + require("node:crypto").randomBytes(36).toString("base64url"))' "$name" >>"$secrets"
  fi
done
declare -A from_env=()
for name in AUTH_SECRET MEDIA_RPC_SECRET; do
  [ -n "${!name:-}" ] && from_env[$name]=${!name}
done
set -a
# shellcheck source=/dev/null
source "$secrets"
set +a
for name in "${!from_env[@]}"; do export "$name=${from_env[$name]}"; done

ensure_postgres pg-dev "${DEV_PG_PORT:-54329}"
ensure_redis redis-dev "${DEV_REDIS_PORT:-63790}"
ensure_mediasoup_worker

log "Migrating the database"
node scripts/migrate.ts >&2
demo_logins=""
if [ "${SEED_DEMO:-1}" != 0 ]; then
  log "Seeding the demo organization"
  demo_logins=$(node scripts/seed.ts) || die "Seeding failed"
fi

if $dev; then
  web_cmd=(node server/main.ts --dev)
else
  ensure_app_build
  web_cmd=(node server/main.ts)
fi

# ── Run ─────────────────────────────────────────────────────────────────────────────────────────
log "Starting web ($scheme, NODE_ENV=$node_env$($dev && echo ', Vite dev server')), media-node and workers"
web_env=(NODE_ENV="$node_env")
$catcher && web_env+=(MAIL_CATCHER_PORT="$MAIL_CATCHER_PORT")
start_child web 35 env "${web_env[@]}" "${web_cmd[@]}"
start_child media 33 env NODE_ENV="$node_env" node media-node/main.ts
start_child workers 32 env NODE_ENV="$node_env" node workers/main.ts

# The web process answers once it has loaded the build (or Vite) and listens.
probe='fetch(process.argv[1], { redirect: "manual" }).then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))'
deadline=$((SECONDS + 180))
until NODE_TLS_REJECT_UNAUTHORIZED=0 node -e "$probe" "$scheme://localhost:$PORT/login" 2>/dev/null; do
  if name=$(dead_child); then
    die "$name exited during startup (its output is above)"
  fi
  [ $SECONDS -lt $deadline ] || die "web did not answer on $scheme://localhost:$PORT/login within 180 s"
  sleep 0.5
done

{
  bold=$'\033[1m' off=$'\033[0m'
  [ -t 2 ] || bold="" off=""
  line="────────────────────────────────────────────────────────────────────"
  echo
  echo "$line"
  echo "  ${bold}Vstrecha is running${off}  ($($dev && echo 'dev server with HMR' || echo 'built app'), NODE_ENV=$node_env, ready in $((SECONDS - started_at)) s)"
  echo
  echo "  Open        ${bold}$scheme://localhost:$PORT${off}"
  if $https; then
    for ip in $lan_ips; do echo "  On the LAN  $scheme://$ip:$PORT"; done
    echo "              (self-signed certificate: accept the browser's warning once)"
  fi
  if $catcher; then
    echo "  Dev mail    $scheme://localhost:$PORT/dev/mail  (every email the app sends lands here)"
  fi
  if [ -n "$demo_logins" ]; then
    echo
    sed 's/^/  /' <<<"$demo_logins"
  fi
  echo
  echo "  ${bold}Ctrl-C stops everything${off}"
  echo "$line"
  echo
} >&2

# Run until Ctrl-C (the traps above) or until a child exits, which stops the rest.
while :; do
  status=0
  wait -n "${pids[@]}" || status=$?
  if name=$(dead_child); then
    printf '\033[31m✖ %s exited (status %s): stopping the others\033[0m\n' "$name" "$status" >&2
    exit 1
  fi
done
