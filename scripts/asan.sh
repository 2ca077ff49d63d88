#!/usr/bin/env bash
# Builds the native addon (the whole C++ pipeline and the Node-API binding) under AddressSanitizer
# and UndefinedBehaviorSanitizer into build/asan/, then runs the engine tests and the fuzz harness
# against it: a heap overflow, use-after-free or undefined behaviour in native code stops the run
# with a report instead of passing silently.
#   scripts/asan.sh                 # build, engine tests, 60 s of fuzzing
#   FUZZ_SECONDS=600 scripts/asan.sh
# Needs gcc's libasan/libubsan (Debian: part of gcc-12). Not in the default test run: the build
# takes minutes and sanitized inference is several times slower.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/asan
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g"
npx cmake-js compile --out "$OUT" \
  --CDCMAKE_CXX_FLAGS="$SAN" --CDCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
npm run build:ts >/dev/null

# Node itself is not instrumented: the sanitizer runtimes are preloaded so they come first.
export LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
# Leaks: V8 and ONNX Runtime keep process-lifetime allocations; report errors, not leaks.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:allocator_may_return_null=1:handle_segv=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export OCR_NATIVE_ADDON="$PWD/$OUT/Release/ocr_native.node"

status=0
echo "# engine tests under ASan/UBSan ($OCR_NATIVE_ADDON)"
node --test --test-concurrency=1 dist/test/native/engine.test.js dist/test/native/errors.test.js dist/test/native/tiling.test.js dist/test/native/threads.test.js dist/test/native/fuse.test.js dist/test/native/widen.test.js dist/test/native/scheduler.test.js || status=1

echo "# fuzz harness under ASan/UBSan for ${FUZZ_SECONDS:-60} s"
node scripts/fuzz-api.mjs --seconds "${FUZZ_SECONDS:-60}" --seed "${FUZZ_SEED:-1}" --job-seconds 300 --max-rss-mb 6000 || status=1
exit $status
