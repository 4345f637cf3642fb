# Every dependency comes from a Debian 12 package (scripts/setup.sh installs them).
find_package(GDAL 3.6 CONFIG REQUIRED)
find_package(GEOS 3.11 CONFIG REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto SSL)  # SHA-256 (audit trail); TLS of onemap serve
find_package(SQLite3 3.40 REQUIRED)  # proving a GeoPackage R-tree matches its table
find_package(PkgConfig REQUIRED)
pkg_check_modules(PROJ REQUIRED IMPORTED_TARGET proj>=9.1)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)  # Argon2id passwords of the bureau's store
find_package(PostgreSQL REQUIRED)  # libpq: the bureau's store shared by several servers (--db)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(TBB REQUIRED)
# Vector tiles are written on protozero (header-only; libprotozero-dev).
find_path(PROTOZERO_INCLUDE_DIR protozero/pbf_writer.hpp REQUIRED)
find_package(Boost 1.74 REQUIRED)  # Beast and Asio (header-only) for `onemap serve`
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)  # gzip for the server's tiles
if(ONEMAP_WITH_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# onemap_program(target): what every onemap program links besides its libraries — the
# allocator. --no-as-needed keeps the link even though no symbol is named: jemalloc
# replaces malloc for the whole process (GDAL, GEOS and Qt included) by interposition.
function(onemap_program target)
  if(ONEMAP_WITH_JEMALLOC)
    target_link_libraries(${target} PRIVATE "-Wl,--no-as-needed" PkgConfig::JEMALLOC "-Wl,--as-needed")
  endif()
endfunction()
if(ONEMAP_BUILD_VIEWER)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Concurrent)
elseif(ONEMAP_WITH_QT)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui)
endif()
if(ONEMAP_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()
