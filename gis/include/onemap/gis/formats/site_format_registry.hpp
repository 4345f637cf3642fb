#pragma once
// SiteFormatRegistry: the site formats onemap reads beside OGR's drivers, in their order of
// precedence (gis/src/formats/site_format_registry.cpp lists them, one line each). Built once,
// then read-only: any thread may call it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onemap/gis/formats/site_format.hpp"

namespace onemap::gis {

/// A file some format read: which one, and what it gave.
struct ClaimedSites {
    const SiteFormat* format = nullptr;
    SiteRead sites;
};

class SiteFormatRegistry {
  public:
    [[nodiscard]] static const SiteFormatRegistry& instance();

    /// Every format once, in order of precedence.
    [[nodiscard]] const std::vector<const SiteFormat*>& formats() const { return formats_; }
    /// The format of that name, or nullptr.
    [[nodiscard]] const SiteFormat* find(std::string_view name) const;
    /// The first format saying Yes or Unsure of the file, or nullptr.
    [[nodiscard]] const SiteFormat* identify(const std::string& path) const;
    /// The file read by the first format that claims it (Yes, or Unsure and read), in order
    /// of precedence; nullopt when none does (the file is OGR's to read).
    [[nodiscard]] std::optional<ClaimedSites> read(const std::string& path,
                                                   const SiteReadOptions& options) const;
    /// The writing format whose extensions hold the output's, or nullptr.
    [[nodiscard]] const SiteFormat* writerFor(const std::string& outputPath) const;

    /// A file's first bytes as identify() takes them: up to 64 KiB of a regular file, else "".
    [[nodiscard]] static std::string head(const std::string& path);
    /// The extension of a path in lower case, with its dot: "a/B.TXT" → ".txt".
    [[nodiscard]] static std::string extensionOf(const std::string& path);

  private:
    SiteFormatRegistry() = default;
    std::vector<const SiteFormat*> formats_;
};

}  // namespace onemap::gis
