# SPDX-License-Identifier: Apache-2.0
# Precompiled headers, for build time on small machines (CI has 2 cores).
#
# nlohmann/json reaches nearly every translation unit through scanner/core/model.h (facts carry
# JSON), and GoogleTest every test file. Parsed from text they cost ~4.5 s and ~3 s per file,
# more than most of our own sources; precompiled once and reused, they cost a fraction of a
# second.
#
# One header is compiled for the libraries and tools, one for the tests (the same plus
# GoogleTest), and every C++ target reuses one of them: call imageprobe_precompile_headers() once,
# after every add_subdirectory(). A target that cannot use the precompiled header (different
# flags) still builds: GCC then reads the headers from text and -Winvalid-pch says so.
option(IMAGEPROBE_PCH "Precompile the standard, JSON and GoogleTest headers" ON)

set(IMAGEPROBE_PCH_HEADERS
  <algorithm> <array> <chrono> <cstddef> <cstdint> <expected> <filesystem> <fstream> <map>
  <memory> <optional> <set> <span> <sstream> <string> <string_view> <vector>
  <nlohmann/json.hpp>)

function(imageprobe_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    imageprobe_collect_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# A target is a test when it links GoogleTest, directly or through test_support.
function(imageprobe_is_test target out)
  get_target_property(libs ${target} LINK_LIBRARIES)
  set(result OFF)
  if(libs AND ("GTest::gtest" IN_LIST libs OR "GTest::gtest_main" IN_LIST libs
               OR "test_support" IN_LIST libs))
    set(result ON)
  endif()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

function(imageprobe_precompile_headers)
  if(NOT IMAGEPROBE_PCH)
    return()
  endif()
  set(anchor ${CMAKE_BINARY_DIR}/pch_anchor.cc)
  file(CONFIGURE OUTPUT ${anchor} CONTENT "// Compiles the precompiled header only.\n")

  add_library(imageprobe_pch OBJECT ${anchor})
  target_link_libraries(imageprobe_pch PRIVATE nlohmann_json::nlohmann_json Threads::Threads)
  target_precompile_headers(imageprobe_pch PRIVATE ${IMAGEPROBE_PCH_HEADERS})
  set(pch_targets imageprobe_pch)
  if(TARGET GTest::gtest)
    add_library(imageprobe_test_pch OBJECT ${anchor})
    target_link_libraries(imageprobe_test_pch PRIVATE nlohmann_json::nlohmann_json GTest::gtest)
    target_precompile_headers(imageprobe_test_pch PRIVATE ${IMAGEPROBE_PCH_HEADERS}
                              <gtest/gtest.h>)
  endif()

  imageprobe_collect_targets(${CMAKE_SOURCE_DIR} targets)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(t MATCHES "^imageprobe(_test)?_pch$"
       OR NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      continue()
    endif()
    imageprobe_is_test(${t} is_test)
    if(is_test AND TARGET imageprobe_test_pch)
      target_precompile_headers(${t} REUSE_FROM imageprobe_test_pch)
    else()
      target_precompile_headers(${t} REUSE_FROM imageprobe_pch)
    endif()
  endforeach()
endfunction()
