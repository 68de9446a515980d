# Compiler flags shared by every target of the build, chosen by the preset's cache variables.

add_compile_options(-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wno-sign-conversion)

if(TCPFUZZ_SANITIZERS)
  add_compile_options(-fsanitize=${TCPFUZZ_SANITIZERS} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${TCPFUZZ_SANITIZERS})
endif()

if(TCPFUZZ_FUZZ_ENGINE STREQUAL "libfuzzer")
  # Every object gets coverage edges; only fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
  add_compile_definitions(TCPFUZZ_LIBFUZZER=1)
endif()

if(TCPFUZZ_FUZZ_ENGINE STREQUAL "external" AND TCPFUZZ_ENGINE_IS_LIBFUZZER)
  add_compile_definitions(TCPFUZZ_LIBFUZZER=1)
endif()

if(TCPFUZZ_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate -fcoverage-mapping)
endif()

if(TCPFUZZ_INVARIANTS)
  add_compile_definitions(TCPFUZZ_INVARIANTS=1)
endif()
