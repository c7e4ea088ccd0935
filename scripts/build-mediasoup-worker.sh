#!/usr/bin/env bash
# Builds mediasoup 3.8.4's C++ worker offline (its npm tarball vendors every dependency) into a cache
# keyed by version, so later runs skip the ~5 minute build. Prints the binary's path on stdout.
# Two fixes make 3.8.4 build with today's toolchain: see docs/decisions/0003-mediasoup-3.8.4-offline.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/node_modules/mediasoup/worker"
version=$(node -p "require('$root/node_modules/mediasoup/package.json').version")
cache="${VSTRECHA_CACHE_DIR:-$HOME/.cache/vstrecha}/mediasoup-worker-$version"
bin="$cache/mediasoup-worker"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
[ -d "$src" ] || { echo "mediasoup is not installed (run npm ci first)" >&2; exit 1; }

for tool in make g++ python3; do
  command -v "$tool" >/dev/null || { echo "building the mediasoup worker needs $tool (apt-get install -y build-essential python3)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$src" "$work/worker"

# gyp in 3.8.4 uses collections.MutableSet etc., removed in Python 3.10.
mkdir -p "$work/pyshim"
cat > "$work/pyshim/sitecustomize.py" <<'PY'
import collections, collections.abc
for _n in ("MutableSet", "Mapping", "MutableMapping", "Sequence", "Iterable", "Set", "Callable"):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))
PY
# glibc >= 2.34 made SIGSTKSZ a runtime value; abseil's std::max needs one type.
sed -i 's/std::max(SIGSTKSZ, 65536)/std::max<size_t>(SIGSTKSZ, 65536)/' \
  "$work/worker/deps/libwebrtc/deps/abseil-cpp/abseil-cpp/absl/debugging/failure_signal_handler.cc"

log="$work/build.log"
echo "Building mediasoup-worker $version (about 5 minutes on 2 cores, once; log: $cache.log)" >&2
start=$(date +%s)
(
  export PYTHONPATH="$work/pyshim${PYTHONPATH:+:$PYTHONPATH}" PYTHON=python3 MEDIASOUP_MAX_CORES="$(nproc)"
  make -C "$work/worker" >"$log" 2>&1
) &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 15
  printf '  … still compiling (%ss, %s objects)\n' "$(( $(date +%s) - start ))" \
    "$(find "$work/worker/out" -name '*.o' 2>/dev/null | wc -l)" >&2
done
mkdir -p "$(dirname "$cache")"
cp "$log" "$cache.log"
if ! wait "$pid"; then
  tail -n 30 "$log" >&2
  echo "mediasoup worker build failed; full log: $cache.log" >&2
  exit 1
fi
mkdir -p "$cache"
install -m 755 "$work/worker/out/Release/mediasoup-worker" "$bin"
echo "Built mediasoup-worker in $(( $(date +%s) - start ))s" >&2
echo "$bin"
