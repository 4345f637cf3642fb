// Argon2id passwords: right and wrong passwords, the stored form, the rehash rule, the cost.
#include <catch2/catch.hpp>
#include <sstream>

#include "onemap/core/bureau/password_hasher.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
using namespace onemap::core::bureau;

TEST_CASE("A password hash verifies the right password and no other", "[bureau][password]") {
    const PasswordHasher hasher(Argon2Cost::fastForTests());
    const std::string stored = hasher.hash(Secret("correct horse battery"));
    CHECK(stored.rfind("$argon2id$", 0) == 0);
    CHECK(stored.find("correct") == std::string::npos);
    CHECK(hasher.verify(stored, Secret("correct horse battery")));
    CHECK_FALSE(hasher.verify(stored, Secret("correct horse batterz")));
    CHECK_FALSE(hasher.verify(stored, Secret("")));
    CHECK_FALSE(hasher.verify("not a hash", Secret("correct horse battery")));
    // A fresh salt each time: the same password never gives the same string.
    CHECK(hasher.hash(Secret("correct horse battery")) != stored);
}

TEST_CASE("A hash made at another cost needs a rehash", "[bureau][password]") {
    const PasswordHasher fast(Argon2Cost::fastForTests());
    const PasswordHasher production;
    const std::string weak = fast.hash(Secret("correct horse battery"));
    CHECK_FALSE(fast.needsRehash(weak));
    CHECK(production.needsRehash(weak));
    CHECK(production.needsRehash("$2y$10$bcrypt-is-not-argon2id"));
}

TEST_CASE("The production cost hashes with Argon2id over 32 MiB, 3 passes", "[bureau][password]") {
    const PasswordHasher production;
    const std::string stored = production.hash(Secret("correct horse battery"));
    CHECK(stored.rfind("$argon2id$v=19$m=32768,t=3,p=1$", 0) == 0);
    CHECK(production.verify(stored, Secret("correct horse battery")));
    CHECK_FALSE(production.needsRehash(stored));
}

TEST_CASE("Short passwords are refused, and a password line loses only its line end",
          "[bureau][password]") {
    const PasswordHasher hasher(Argon2Cost::fastForTests());
    CHECK_THROWS_AS(hasher.hash(Secret("short")), InputError);
    std::istringstream crlf("pass word 1\r\nnext line\n");
    CHECK(Secret::readLine(crlf).view() == "pass word 1");
    std::istringstream bare("no newline at the end");
    CHECK(Secret::readLine(bare).view() == "no newline at the end");
    std::istringstream huge(std::string(Secret::kMaxBytes + 1, 'x') + "\n");
    CHECK_THROWS_AS(Secret::readLine(huge), InputError);
}
