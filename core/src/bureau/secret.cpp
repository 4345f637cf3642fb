#include "onemap/core/bureau/secret.hpp"

#include <sodium.h>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

Secret::Secret() { text_.reserve(kMaxBytes); }

Secret::Secret(std::string_view text) : Secret() {
    if (text.size() > kMaxBytes)
        throw InputError("the password is longer than " + std::to_string(kMaxBytes) + " bytes");
    text_.append(text);
}

Secret::~Secret() { wipe(); }

Secret::Secret(Secret&& other) noexcept : Secret() {
    text_.append(other.text_);
    other.wipe();
}

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        text_.append(other.text_);
        other.wipe();
    }
    return *this;
}

void Secret::wipe() {
    if (text_.capacity() > 0) sodium_memzero(text_.data(), text_.capacity());
    text_.clear();
}

Secret Secret::readLine(std::istream& in) {
    Secret secret;
    char c = 0;
    bool tooLong = false;
    while (in.get(c) && c != '\n') {
        if (secret.text_.size() == kMaxBytes) {
            tooLong = true;
            continue;
        }
        secret.text_.push_back(c);
    }
    c = 0;
    if (tooLong)
        throw InputError("the password is longer than " + std::to_string(kMaxBytes) + " bytes");
    if (!secret.text_.empty() && secret.text_.back() == '\r') secret.text_.pop_back();
    return secret;
}

}  // namespace onemap::core::bureau
