#include "onemap/core/bureau/password_hasher.hpp"

#include <sodium.h>

#include <mutex>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

void initialiseSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw Error("libsodium could not be initialised");
    });
}

}  // namespace

Argon2Cost Argon2Cost::production() { return {3, std::size_t{32} << 20}; }

Argon2Cost Argon2Cost::fastForTests() {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(Argon2Cost cost) : cost_(cost) { initialiseSodium(); }

std::string PasswordHasher::hash(const Secret& password) const {
    if (password.size() < kMinPasswordBytes)
        throw InputError("the password is shorter than " + std::to_string(kMinPasswordBytes) +
                         " bytes");
    char out[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(out, password.view().data(), password.size(), cost_.opsLimit,
                              cost_.memLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw Error("Argon2id ran out of memory hashing a password");
    return out;
}

bool PasswordHasher::verify(const std::string& stored, const Secret& password) const {
    if (stored.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(stored.c_str(), password.view().data(), password.size()) == 0;
}

bool PasswordHasher::needsRehash(const std::string& stored) const {
    if (stored.rfind("$argon2id$", 0) != 0) return true;
    return crypto_pwhash_str_needs_rehash(stored.c_str(), cost_.opsLimit, cost_.memLimitBytes) != 0;
}

}  // namespace onemap::core::bureau
