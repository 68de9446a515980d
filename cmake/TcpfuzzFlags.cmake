# Compiler flags shared by every target of the build, chosen by the preset's cache variables.

add_compile_options(-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wno-sign-conversion)

if(TCPFUZZ_SANITIZERS)
  add_compile_options(-fsanitize=${TCPFUZZ_SANITIZERS} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${TCPFUZZ_SANITIZERS})
endif()

if(TCPFUZZ_FUZZ_ENGINE STREQUAL "libfuzzer")
  # Every object is built for coverage (the allowlist below picks the
  # functions that get edges); only fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
  add_compile_definitions(TCPFUZZ_LIBFUZZER=1)
endif()

# Coverage edges only where the engine learns something: the stack and the
# state feedback (cmake/coverage_allowlist.txt says why).
if(TCPFUZZ_COVERAGE_ALLOWLIST AND NOT TCPFUZZ_FUZZ_ENGINE STREQUAL "none")
  # Neither ninja nor ccache knows that the list's content changes objects:
  # its digest on every command line does (and CMake re-runs on an edit).
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TCPFUZZ_COVERAGE_ALLOWLIST})
  file(MD5 ${TCPFUZZ_COVERAGE_ALLOWLIST} allowlist_digest)
  add_compile_definitions(TCPFUZZ_COVERAGE_ALLOWLIST_MD5=${allowlist_digest})
  if(TCPFUZZ_FUZZ_ENGINE STREQUAL "libfuzzer"
     OR (TCPFUZZ_FUZZ_ENGINE STREQUAL "external" AND CMAKE_CXX_COMPILER_ID MATCHES "Clang"))
    add_compile_options(-fsanitize-coverage-allowlist=${TCPFUZZ_COVERAGE_ALLOWLIST})
  endif()
  # AFL++'s own instrumentation pass reads AFL_LLVM_ALLOWLIST when each file
  # is compiled, one path pattern a line: the src: lines without "src:*/".
  # Written for the external engine too (ci/oss-fuzz/build.sh exports it
  # when OSS-Fuzz builds with AFL++).
  if(TCPFUZZ_FUZZ_ENGINE MATCHES "^(afl|external)$")
    file(STRINGS ${TCPFUZZ_COVERAGE_ALLOWLIST} allowlist REGEX "^src:")
    list(TRANSFORM allowlist REPLACE "^src:\\*/" "")
    list(JOIN allowlist "\n" allowlist)
    file(WRITE ${CMAKE_BINARY_DIR}/afl_allowlist.txt "${allowlist}\n")
  endif()
  if(TCPFUZZ_FUZZ_ENGINE STREQUAL "afl")
    # Through the launcher, so every compile sees it.
    set(list ${CMAKE_BINARY_DIR}/afl_allowlist.txt)
    foreach(lang C CXX)
      set(CMAKE_${lang}_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env AFL_LLVM_ALLOWLIST=${list}
                                          ${CMAKE_${lang}_COMPILER_LAUNCHER})
    endforeach()
  endif()
endif()

if(TCPFUZZ_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate -fcoverage-mapping)
endif()

if(TCPFUZZ_INVARIANTS)
  add_compile_definitions(TCPFUZZ_INVARIANTS=1)
endif()
