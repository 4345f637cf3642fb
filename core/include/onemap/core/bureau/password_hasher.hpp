#pragma once
// Argon2id password hashes through libsodium (crypto_pwhash_str and friends). A PasswordHasher is
// an immutable value holding its cost; any thread may call it. Passwords come in as Secrets and
// are never copied out, logged or stored; only the "$argon2id$…" string is kept.
#include <cstddef>
#include <string>

#include "onemap/core/bureau/secret.hpp"

namespace onemap::core::bureau {

/// Argon2id's cost: passes over memory and the memory itself.
struct Argon2Cost {
    unsigned long long opsLimit = 0;
    std::size_t memLimitBytes = 0;

    /// The cost stored passwords are hashed with: 3 passes over 32 MiB (parallelism 1, which is
    /// what libsodium uses). Chosen so one verify stays within the login budget of 300 ms: measured
    /// 163–187 ms per verify on the 2-core build machine while it ran 4 parallel builds (load 9);
    /// OWASP's floor for Argon2id is 2 passes over 19 MiB. Raise it here and the next login of
    /// each user rehashes (needsRehash).
    static Argon2Cost production();
    /// libsodium's minimum (1 pass, 8 KiB): only for tests, where hashing speed matters and
    /// strength does not.
    static Argon2Cost fastForTests();
};

class PasswordHasher {
  public:
    explicit PasswordHasher(Argon2Cost cost = Argon2Cost::production());

    /// "$argon2id$v=19$m=…,t=…,p=1$salt$hash" with a fresh random salt. InputError when the
    /// password is shorter than kMinPasswordBytes; Error when memory runs out.
    [[nodiscard]] std::string hash(const Secret& password) const;
    /// Whether `password` matches the stored string; false (never an exception) for a stored
    /// string that is not a hash libsodium knows.
    [[nodiscard]] bool verify(const std::string& stored, const Secret& password) const;
    /// Whether `stored` was made with another cost (or another algorithm) than this hasher's,
    /// so it should be replaced on the next successful login.
    [[nodiscard]] bool needsRehash(const std::string& stored) const;

    [[nodiscard]] const Argon2Cost& cost() const { return cost_; }

    static constexpr std::size_t kMinPasswordBytes = 8;

  private:
    Argon2Cost cost_;
};

}  // namespace onemap::core::bureau
