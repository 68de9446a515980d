# tcpfuzz_add_fuzz_target(NAME SOURCES src... LIBS lib...)
#
# Builds one LLVMFuzzerTestOneInput harness for the configured engine. With the
# "none" engine the harness is linked with a replay main() and ctest replays its
# seed corpus (label fuzz-smoke) and any regression inputs (label regression).
function(tcpfuzz_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  if(TCPFUZZ_FUZZ_ENGINE STREQUAL "libfuzzer")
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  elseif(TCPFUZZ_FUZZ_ENGINE STREQUAL "afl")
    target_link_libraries(${name} PRIVATE ${TCPFUZZ_AFL_DRIVER})
  elseif(TCPFUZZ_FUZZ_ENGINE STREQUAL "external")
    # OSS-Fuzz's $LIB_FUZZING_ENGINE: a flag (-fsanitize=fuzzer) or an archive.
    separate_arguments(engine NATIVE_COMMAND "${TCPFUZZ_ENGINE_LINK}")
    target_link_libraries(${name} PRIVATE ${engine})
  else()
    target_link_libraries(${name} PRIVATE fuzz_replay_main)
    set(corpus ${PROJECT_SOURCE_DIR}/corpus/${name})
    add_test(NAME fuzz-smoke.${name} COMMAND ${name} ${corpus})
    # Seeds and regressions replay with the reference oracle judging them
    # (on unless TCPFUZZ_ORACLE=0; set here so a user's environment cannot
    # switch it off for the tests).
    set_tests_properties(fuzz-smoke.${name} PROPERTIES LABELS fuzz-smoke ENVIRONMENT TCPFUZZ_ORACLE=1)
    set(regressions ${PROJECT_SOURCE_DIR}/corpus/regressions/${name})
    if(EXISTS ${regressions})
      add_test(NAME regression.${name} COMMAND ${name} ${regressions})
      set_tests_properties(regression.${name} PROPERTIES LABELS regression ENVIRONMENT
                                                                       TCPFUZZ_ORACLE=1)
    endif()
  endif()
  set_property(GLOBAL APPEND PROPERTY TCPFUZZ_FUZZ_TARGETS ${name})
endfunction()
