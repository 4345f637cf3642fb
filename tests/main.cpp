#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdlib>

#include "scratch.hpp"

int main(int argc, char* argv[]) {
    // Each test process starts with an empty prepared-layer cache of its own: tests never see
    // each other's entries, nor the user's.
    setenv("XDG_CACHE_HOME", onemap::test::scratch("cache").c_str(), 1);
    return Catch::Session().run(argc, argv);
}
