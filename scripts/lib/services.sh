# shellcheck shell=bash
# Sourced by scripts/up.sh and scripts/test.sh. Makes PostgreSQL, Redis (and, for tests, Chromium)
# available: an already configured DATABASE_URL/REDIS_URL that answers is used as is; otherwise the
# Debian packages are installed when missing and local instances run with data under $DATA_DIR.
# Each function prints progress to stderr.

: "${DATA_DIR:=$ROOT/.data}"
PG_BIN=""
# "postgres:NAME" / "redis:NAME" for each server these functions started in this shell, so a script
# can stop exactly those (stop_started_services) and leave alone the ones that were already running.
STARTED_SERVICES=()

log() { printf '\033[36m▸\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m✖ %s\033[0m\n' "$*" >&2; exit 1; }

apt_updated=""
apt_install() {
  command -v apt-get >/dev/null \
    || die "$* missing and apt-get not found: install it by hand, or point DATABASE_URL/REDIS_URL (TEST_DATABASE_URL/TEST_REDIS_URL for npm test) and CHROMIUM_PATH at existing ones"
  [ "$(id -u)" = 0 ] || die "$* missing: installing it needs root (sudo apt-get install -y $*), or point DATABASE_URL/REDIS_URL/CHROMIUM_PATH at existing ones"
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    apt_updated=1
  fi
  log "Installing $* with apt (once)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}

# Free TCP port check via bash's /dev/tcp (no extra tools needed).
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# find_pg_bin [CLUSTER_DIR]: the binaries of the cluster's own major version when it has one (a newer
# pg_ctl refuses an older cluster), else of the newest installed version.
find_pg_bin() {
  local version="" d
  [ -n "${1:-}" ] && [ -s "$1/PG_VERSION" ] && version=$(cat "$1/PG_VERSION")
  if [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/postgres" ]; then
    PG_BIN="/usr/lib/postgresql/$version/bin"
    return 0
  fi
  PG_BIN=""
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [ -x "$d/postgres" ] && PG_BIN="$d"
  done
  [ -n "$PG_BIN" ]
}

# Runs a PostgreSQL binary as the postgres OS user when we are root (postgres refuses root).
as_pg() {
  # From / so that a working directory the postgres user cannot enter causes no warning.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster directory of NAME. As root the server runs as the postgres user, which cannot enter a
# checkout under a private home (/root is mode 700); such clusters live under /var/lib instead.
pg_dir() {
  local probe=$DATA_DIR
  [ -d "$probe" ] || probe=$(dirname "$probe")
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && [ ! -d "$DATA_DIR/$1" ] \
    && ! runuser -u postgres -- test -x "$probe" 2>/dev/null; then
    echo "/var/lib/postgresql/vstrecha-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)/$1"
  else
    echo "$DATA_DIR/$1"
  fi
}

# ensure_postgres NAME PORT: exports DATABASE_URL for a local instance in $DATA_DIR/NAME unless one is configured.
ensure_postgres() {
  local name=$1 port=$2
  if [ -n "${DATABASE_URL:-}" ]; then
    node "$ROOT/scripts/wait-for.ts" postgres "$DATABASE_URL" >&2 || die "DATABASE_URL is set but PostgreSQL does not answer"
    log "Using PostgreSQL at DATABASE_URL"
    return 0
  fi
  find_pg_bin || { apt_install postgresql; find_pg_bin || die "PostgreSQL binaries not found after install"; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  local dir; dir=$(pg_dir "$name")
  find_pg_bin "$dir"
  mkdir -p "$(dirname "$dir")"
  if [ ! -s "$dir/PG_VERSION" ]; then
    log "Creating a PostgreSQL cluster in $dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    local pw; pw=$(mktemp); echo vstrecha >"$pw"; chmod 644 "$pw"
    as_pg "$PG_BIN/initdb" -D "$dir" -U vstrecha --pwfile="$pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
      || { rm -f "$pw"; die "initdb failed"; }
    rm -f "$pw"
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "Starting PostgreSQL on 127.0.0.1:$port"
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    STARTED_SERVICES+=("postgres:$name")
  fi
  export DATABASE_URL="postgres://vstrecha:vstrecha@127.0.0.1:$port/vstrecha"
  node "$ROOT/scripts/wait-for.ts" postgres "postgres://vstrecha:vstrecha@127.0.0.1:$port/postgres" --create vstrecha >&2 \
    || die "PostgreSQL on port $port does not answer"
}

stop_postgres() {
  local dir; dir=$(pg_dir "$1")
  find_pg_bin "$dir" && [ -s "$dir/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

# ensure_redis NAME PORT: exports REDIS_URL for a local instance in $DATA_DIR/NAME unless one is configured.
ensure_redis() {
  local name=$1 port=$2
  if [ -n "${REDIS_URL:-}" ]; then
    node "$ROOT/scripts/wait-for.ts" redis "$REDIS_URL" >&2 || die "REDIS_URL is set but Redis does not answer"
    log "Using Redis at REDIS_URL"
    return 0
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  local dir="$DATA_DIR/$name"
  mkdir -p "$dir"
  if ! port_open 127.0.0.1 "$port"; then
    log "Starting Redis on 127.0.0.1:$port"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save 60 1000 --appendonly yes >/dev/null \
      || die "Redis did not start"
    STARTED_SERVICES+=("redis:$name")
  fi
  export REDIS_URL="redis://127.0.0.1:$port"
  node "$ROOT/scripts/wait-for.ts" redis "$REDIS_URL" >&2 || die "Redis on port $port does not answer"
}

stop_redis() {
  local pidfile="$DATA_DIR/$1/redis.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  # A stale pid file (Redis killed hard) may name an unrelated process by now.
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ] && kill "$pid" 2>/dev/null || true
}

# Stops the servers ensure_postgres/ensure_redis started in this shell (newest first).
stop_started_services() {
  local i entry
  for ((i = ${#STARTED_SERVICES[@]} - 1; i >= 0; i--)); do
    entry=${STARTED_SERVICES[i]}
    log "Stopping ${entry%%:*} ${entry#*:}"
    case $entry in
      postgres:*) stop_postgres "${entry#*:}" ;;
      redis:*) stop_redis "${entry#*:}" ;;
    esac
  done
  STARTED_SERVICES=()
}

ensure_chromium() {
  if [ -z "${CHROMIUM_PATH:-}" ]; then
    CHROMIUM_PATH=$(command -v chromium || command -v chromium-browser || true)
  fi
  if [ -z "$CHROMIUM_PATH" ]; then
    apt_install chromium fonts-dejavu-core
    CHROMIUM_PATH=$(command -v chromium) || die "chromium not found after install"
  fi
  export CHROMIUM_PATH
}

# tcpdump and tshark for the test that proves media is encrypted on the wire.
ensure_capture_tools() {
  local missing=()
  command -v tcpdump >/dev/null || missing+=(tcpdump)
  command -v tshark >/dev/null || missing+=(tshark)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# npm ci when node_modules is missing or older than the lockfile. MEDIASOUP_WORKER_BIN keeps
# mediasoup's own postinstall from trying to download or build its worker.
ensure_node_modules() {
  command -v npm >/dev/null || die "npm not found: install Node.js 20+ with npm 11 first"
  if [ ! -x "$ROOT/node_modules/.bin/node" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "Installing npm dependencies (npm ci)"
    (cd "$ROOT" && MEDIASOUP_WORKER_BIN=/nonexistent npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed"
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

ensure_mediasoup_worker() {
  # The compilers are needed only when the worker is not cached yet (same key as the build script).
  local version cached
  version=$(node -p "require('$ROOT/node_modules/mediasoup/package.json').version")
  cached="${VSTRECHA_CACHE_DIR:-$HOME/.cache/vstrecha}/mediasoup-worker-$version/mediasoup-worker"
  if [ ! -x "$cached" ] && ! { command -v make && command -v g++ && command -v python3; } >/dev/null; then
    apt_install build-essential python3
  fi
  MEDIASOUP_WORKER_BIN=$(bash "$ROOT/scripts/build-mediasoup-worker.sh") || die "mediasoup worker build failed"
  export MEDIASOUP_WORKER_BIN
}

# Builds the app (build/) with `remix vite:build` unless build/server/index.js is newer than every
# file and folder it is made from. The Remix build bundles app/ and what it imports from core/ and
# server/; folders are listed too, because deleting or renaming a file only touches its folder.
# This skips the 30-60 s build on an unchanged tree and rebuilds after any edit, git checkout or pull
# (git gives checked-out files the current time); a dependency change shows as package-lock.json.
ensure_app_build() {
  local stamp="$ROOT/build/server/index.js" buildlog="$DATA_DIR/build.log" start=$SECONDS lock
  mkdir -p "$DATA_DIR"
  # up.sh and test.sh share build/: a second build emptying it mid-way breaks the first one.
  exec {lock}>"$DATA_DIR/build.lock"
  flock -n "$lock" || { log "Waiting for another build of the app to finish"; flock "$lock"; }
  if [ -f "$stamp" ] && [ -z "$(cd "$ROOT" && find app core server public vite.config.ts tsconfig.json \
    package.json package-lock.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    log "App build is up to date (build/)"
  else
    log "Building the app (remix vite:build, 30-60 s; log: $buildlog)"
    if ! (cd "$ROOT" && npx remix vite:build) >"$buildlog" 2>&1; then
      tail -n 40 "$buildlog" >&2
      die "App build failed (full log: $buildlog)"
    fi
    log "Built the app in $((SECONDS - start))s"
  fi
  exec {lock}>&- # unlocks; the servers started later must not inherit the lock
}
