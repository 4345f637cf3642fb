#pragma once
// The contract every fuzz target enforces: hostile input may only ever be refused with an
// InputError (exit 2 in the CLI). Any other exception, a crash, a hang or a sanitizer report
// is a finding: libFuzzer records the input that caused it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "onemap/gis/base/error.hpp"

namespace onemap::fuzz {

template <typename Fn>
int refuseOnlyWithInputError(const std::uint8_t* data, std::size_t size, Fn&& fn) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        fn(text);
    } catch (const InputError&) {
        // the honest answer to bad input
    }
    return 0;  // anything else escapes: std::terminate, which libFuzzer reports
}

}  // namespace onemap::fuzz
