#pragma once
// A signed-in session as data (server-side sessions, issue 36): the store keeps only the SHA-256
// of its token and of its CSRF token, so a copy of the store opens no session. Tokens are 32
// random bytes (libsodium), base64url without padding. Plain values; any thread.
#include <string>

#include "onemap/core/bureau/user.hpp"

namespace onemap::core::bureau {

struct Session {
    std::string id;  ///< hex SHA-256 of the token: what the store keeps (and audit records name)
    User user;       ///< the user as they are now (role, cities)
    std::string created;   ///< UTC, "2026-12-07T11:04:05.123Z"
    std::string expires;   ///< UTC; after it the token opens nothing
    std::string from;      ///< the address the login came from
    std::string csrfHash;  ///< hex SHA-256 of the CSRF token given at login
};

/// What openSession gives once: the two tokens in clear, for the client, and the session.
struct OpenedSession {
    std::string token;      ///< the cookie's value
    std::string csrfToken;  ///< sent back by the client as X-CSRF-Token
    Session session;
};

/// 32 bytes from libsodium's randombytes_buf, base64url without padding (43 characters).
[[nodiscard]] std::string randomToken();
/// Whether `token` has the shape randomToken gives (43 base64url characters): anything else is
/// refused before it reaches a store.
[[nodiscard]] bool looksLikeToken(const std::string& token);
/// Compares two strings in time that depends on their lengths only (sodium_memcmp).
[[nodiscard]] bool sameSecret(const std::string& a, const std::string& b);

}  // namespace onemap::core::bureau
