# Target helpers in the manner of abseil's absl_cc_library: explicit sources, one target per
# module, warnings on, tests discovered by gtest_discover_tests and labelled by tier.

set(CONCLAVE_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)

# conclave_cc_library(NAME n SRCS ... HDRS ... DEPS ...)
function(conclave_cc_library)
  cmake_parse_arguments(CC "" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  if(CC_SRCS)
    add_library(${CC_NAME} STATIC ${CC_SRCS} ${CC_HDRS})
    target_compile_options(${CC_NAME} PRIVATE ${CONCLAVE_WARNINGS})
    target_link_libraries(${CC_NAME} PUBLIC ${CC_DEPS})
    target_include_directories(${CC_NAME} PUBLIC ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/proto)
  else()
    add_library(${CC_NAME} INTERFACE)
    target_link_libraries(${CC_NAME} INTERFACE ${CC_DEPS})
    target_include_directories(${CC_NAME} INTERFACE ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/proto)
  endif()
endfunction()

# conclave_cc_binary(NAME n SRCS ... DEPS ...) -> build/bin/n
function(conclave_cc_binary)
  cmake_parse_arguments(CC "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${CC_NAME} ${CC_SRCS})
  target_compile_options(${CC_NAME} PRIVATE ${CONCLAVE_WARNINGS})
  target_link_libraries(${CC_NAME} PRIVATE ${CC_DEPS})
endfunction()

# conclave_cc_test(NAME n SRCS ... DEPS ... LABEL unit|integration|bench [TIMEOUT s])
# Test binaries go to build/tests so that build/bin holds only what users run.
function(conclave_cc_test)
  cmake_parse_arguments(CC "" "NAME;LABEL;TIMEOUT" "SRCS;DEPS" ${ARGN})
  if(NOT CC_LABEL)
    set(CC_LABEL unit)
  endif()
  if(NOT CC_TIMEOUT)
    set(CC_TIMEOUT 120)
  endif()
  add_executable(${CC_NAME} ${CC_SRCS})
  set_target_properties(${CC_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_options(${CC_NAME} PRIVATE ${CONCLAVE_WARNINGS})
  target_link_libraries(${CC_NAME} PRIVATE ${CC_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${CC_NAME}
    # One variable per property: gtest_discover_tests splits a list value at its ';'.
    PROPERTIES LABELS ${CC_LABEL} TIMEOUT ${CC_TIMEOUT}
               ENVIRONMENT "CONCLAVE_BIN_DIR=${CMAKE_BINARY_DIR}/bin"
               ENVIRONMENT_MODIFICATION "CONCLAVE_SOURCE_DIR=set:${CMAKE_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
