#pragma once
// ASCII case for names that are ASCII by contract (file extensions, driver, type and CRS names,
// XML declarations): only A-Z change, so UTF-8 or GBK bytes pass untouched whatever the
// process's locale. Pure functions; any thread.
#include <string>

namespace onemap::gis {

/// s with A-Z made a-z.
[[nodiscard]] std::string asciiLower(std::string s);
/// The extension of the path's file name with its dot, A-Z made a-z (".shp"); "" when it has
/// none, as std::filesystem::path::extension says (".profile" has none).
[[nodiscard]] std::string lowerExtension(const std::string& path);

}  // namespace onemap::gis
