#pragma once
#include <string>

namespace onemap::sample {

/// The plan file written beside the generated data (sample-data/g60.toml).
std::string planText();

}  // namespace onemap::sample
