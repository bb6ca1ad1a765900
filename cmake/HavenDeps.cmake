# Finds every system dependency (all from Debian's packages) and exposes each
# as one imported target, so the per-folder CMakeLists only name targets.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# CAF 0.17.6 ships neither a CMake config nor a pkg-config file.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(caf::core UNKNOWN IMPORTED)
set_target_properties(caf::core PROPERTIES IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}" INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(caf::io UNKNOWN IMPORTED)
set_target_properties(caf::io PROPERTIES IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
  INTERFACE_LINK_LIBRARIES caf::core)

find_package(PostgreSQL REQUIRED)
pkg_check_modules(hiredis REQUIRED IMPORTED_TARGET hiredis)
# Debian's cnats-config.cmake points at a missing static library: use pkg-config.
pkg_check_modules(nats REQUIRED IMPORTED_TARGET libnats)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium)
find_package(simdjson REQUIRED)
# Boost.Beast's HTTP parser is header-only.
find_package(Boost 1.74 REQUIRED)
# fastText 0.9.2: the crisis detector's learned second opinion (library at run time, CLI at
# build time to train the model, tools/CMakeLists.txt).
pkg_check_modules(fasttext REQUIRED IMPORTED_TARGET fasttext)
find_program(FASTTEXT_EXECUTABLE fasttext REQUIRED)
set(HAVEN_CRISIS_MODEL_FILE ${CMAKE_BINARY_DIR}/crisis_model/crisis_model.bin)

if(HAVEN_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(HAVEN_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
