#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: builds every fuzz target of the
# registry (`tcpfuzz targets --names`, fuzz/harness/targets.cc) with the
# environment's compiler, flags and fuzzing engine, and puts into $OUT each
# binary with its seed corpus (<target>_seed_corpus.zip), its .options and
# the dictionaries.
# Environment (OSS-Fuzz's): CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE
# FUZZING_ENGINE SANITIZER SRC OUT WORK. ci/oss-fuzz/check.sh runs it locally.
cd "$SRC/tcpfuzz"
libfuzzer=OFF
if [[ "${FUZZING_ENGINE:-libfuzzer}" == libfuzzer ]]; then libfuzzer=ON; fi
build="$WORK/tcpfuzz-build"
# Coverage edges only in the stack and the state feedback
# (cmake/coverage_allowlist.txt): CMake passes clang's allowlist flag,
# AFL++ reads the list CMake writes from the environment at compile time.
# The coverage build (source-based, for reports) instruments everything.
allowlist="$PWD/cmake/coverage_allowlist.txt"
if [[ "${SANITIZER:-}" == coverage ]]; then allowlist=""; fi
# CMAKE_BUILD_TYPE stays empty: the optimisation and sanitizer flags are the
# environment's.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DTCPFUZZ_FUZZ_ENGINE=external -DTCPFUZZ_ENGINE_LINK="$LIB_FUZZING_ENGINE" \
  -DTCPFUZZ_ENGINE_IS_LIBFUZZER="$libfuzzer" -DTCPFUZZ_TESTS=OFF -DTCPFUZZ_INVARIANTS=ON \
  -DTCPFUZZ_COVERAGE_ALLOWLIST="$allowlist"
# Only now: CMake writes the list while configuring, and afl-clang-fast
# aborts on a list that does not exist yet (CMake's compiler checks).
if [[ "${FUZZING_ENGINE:-}" == afl && -n "$allowlist" ]]; then
  export AFL_LLVM_ALLOWLIST="$build/afl_allowlist.txt"
fi
# The tool first: it lists the targets (built with the same flags, it runs
# here all the same).
cmake --build "$build" -j "$(nproc)" --target tcpfuzz
mapfile -t targets < <("$build/fuzz/tcpfuzz" targets --names)
[[ ${#targets[@]} -gt 0 ]] || { echo "build.sh: tcpfuzz targets listed none" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" $(printf -- '--target %s ' "${targets[@]}")
for target in "${targets[@]}"; do
  cp "$build/fuzz/$target" "$OUT/"
  if [[ -d "corpus/$target" ]]; then
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
  if [[ -f "fuzz/options/$target.options" ]]; then cp "fuzz/options/$target.options" "$OUT/"; fi
done
cp fuzz/dict/*.dict "$OUT/"
