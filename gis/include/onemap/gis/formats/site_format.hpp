#pragma once
// SiteFormat: one file format of sites that OGR does not read as planners need (国土 TXT, KML,
// CAD, boundary-point tables), as a driver: its name, extensions, how it knows its files, how it
// reads them (and maybe writes), and what its callers must know about the coordinates it gives.
// Formats are immutable singletons owned by SiteFormatRegistry; any thread may call them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

/// What a format says of a file from its path and first bytes, as GDAL's Identify does.
enum class Identified {
    No,      ///< not this format's
    Unsure,  ///< maybe: read() decides, and may give the file back (nullopt)
    Yes,     ///< this format's: read() reads it or refuses it (InputError)
};

/// What a reader is told: the layer (sheet, CAD layer) chosen, "" = the only one; and
/// --sites-crs as the user wrote it, "" = nothing said.
struct SiteReadOptions {
    std::string table;
    std::string sitesCrs;
};

/// A file read. `layer.notes` keep what is about one feature ("… of feature N …"); `fileNotes`
/// what is about the whole file (its encoding, a CRS guessed, rows left out), in order.
struct SiteRead {
    VectorLayer layer;
    std::vector<std::string> fileNotes;
};

/// What a writer is told: the text encoding ("" = the format's default).
struct SiteWriteOptions {
    std::string encoding;
};

/// The coordinates a file may hold although the format says otherwise: `from` "gcj02" or
/// "bd09" when the file suggests a web-map offset, "" when nothing does; `evidence` what was seen.
struct WebMapOrigin {
    std::string from;
    std::string evidence;
};

/// What callers must know about a format's coordinates, declared once by the format.
struct SiteFormatTraits {
    /// read() applies SiteReadOptions::sitesCrs itself (a 国土 TXT takes a datum-shift
    /// pipeline and returns CGCS2000): the caller must not apply --sites-crs again.
    bool appliesSitesCrs = false;
    /// The format means WGS84, yet files drawn on a Chinese web map may hold GCJ-02 or BD-09:
    /// webMapOrigin() says what a file suggests.
    bool mayHoldWebMapOffset = false;
};

class SiteFormat {
  public:
    virtual ~SiteFormat() = default;

    /// "guotu-txt", "kml", "cad", "point-table": the name `export --format` takes.
    [[nodiscard]] virtual std::string_view name() const = 0;
    /// One line for people: what the files are.
    [[nodiscard]] virtual std::string_view description() const = 0;
    /// Lower case, with the dot (".txt"): the files it may claim, and (for a writer) the
    /// outputs it writes by default.
    [[nodiscard]] virtual std::vector<std::string> extensions() const = 0;
    [[nodiscard]] virtual SiteFormatTraits traits() const { return {}; }

    /// Whether the file is this format's. `head`: its first bytes (up to 64 KiB; empty when it
    /// is no regular file or cannot be read).
    [[nodiscard]] virtual Identified identify(const std::string& path,
                                              std::string_view head) const = 0;
    /// Reads the sites; nullopt gives the file back (only after Identified::Unsure). Throws
    /// InputError "file:LINE: …" (or naming the sheet, layer or entity) for bad input.
    [[nodiscard]] virtual std::optional<SiteRead> read(const std::string& path,
                                                       const SiteReadOptions& options) const = 0;
    /// What the file suggests about web-map offsets (traits().mayHoldWebMapOffset).
    [[nodiscard]] virtual WebMapOrigin webMapOrigin(const std::string& path) const;

    /// Whether write() does anything; then writeEncodings() lists what it writes, the first
    /// being the default.
    [[nodiscard]] virtual bool canWrite() const { return false; }
    [[nodiscard]] virtual std::vector<std::string> writeEncodings() const { return {}; }
    /// Writes the layer's polygons (atomically) and reads the file back, refusing (InputError
    /// naming `path`) what did not survive. Throws Error for a format that does not write.
    virtual void write(const std::string& path, const VectorLayer& layer,
                       const SiteWriteOptions& options) const;
};

}  // namespace onemap::gis
