// The plan parser (TOML → layers, rules, styles) on arbitrary text.
#include "fuzz_contract.hpp"
#include "onemap/core/plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return onemap::fuzz::refuseOnlyWithInputError(data, size, [](const std::string& text) {
        (void)onemap::core::Plan::parse(text, "/nonexistent/fuzz/plan.toml");
    });
}
