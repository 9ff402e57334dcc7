# Warnings for our own targets. SEI_WERROR turns them into errors (CI and
# `make test` set it).
function(sei_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
    -Wimplicit-fallthrough
    # Result structs give every member a default; brace-initialising the
    # leading ones and leaving the rest at their defaults is intended.
    -Wno-missing-field-initializers)
  if(SEI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Declares a unit-test executable from sources that sit next to the code they
# test, and registers its cases with CTest. POSTGRES: the cases use the
# run's PostgreSQL test cluster (tests/testing/pg_cluster.h), started once by
# the pg_cluster fixture.
function(sei_add_test name)
  cmake_parse_arguments(ARG "POSTGRES" "" "SOURCES;LIBS" ${ARGN})
  if(NOT SEI_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  sei_target_warnings(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(ARG_POSTGRES)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES FIXTURES_REQUIRED pg_cluster)
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
