#include "onemap/core/bureau/session.hpp"

#include <sodium.h>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

std::string randomToken() {
    if (sodium_init() < 0) throw Error("libsodium could not be initialised");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    return text;
}

bool looksLikeToken(const std::string& token) {
    if (token.size() != 43) return false;
    for (const char c : token)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

bool sameSecret(const std::string& a, const std::string& b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace onemap::core::bureau
