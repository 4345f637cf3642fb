#pragma once
// How much a sites file may expand into, checked BEFORE it is expanded: a 1 MB KMZ, XLSX or
// ODS can inflate to gigabytes (a zip bomb, a sheet of cells repeated or referring to one long
// shared string), and a 国土 TXT or CSV of 10⁷ points holds its lines several times over in
// memory. Every reader asks here first, and a file over a limit is refused as bad input
// (exit 2) naming the limit, in well under a second and without allocating what it asks for.
//
// The limits are generous for real survey data (a city's boundary-point table: thousands of
// parcels of hundreds of points; a district's KMZ: tens of MB) and keep the peak memory of one
// read to about what the largest legitimate file takes (measured figures: docs/reliability.md).
//
// Free functions over the files the caller names; any thread.
#include <cstdint>
#include <string>

namespace onemap::gis::limits {

constexpr std::uint64_t kMiB = 1u << 20;

/// One member of a KMZ, XLSX or ODS, expanded.
constexpr std::uint64_t kMaxZipMemberBytes = 256 * kMiB;
/// All members of one KMZ, XLSX or ODS together, expanded.
constexpr std::uint64_t kMaxZipTotalBytes = 512 * kMiB;
/// Expanded ÷ compressed size of a member larger than kRatioFloorBytes. XML and coordinates
/// compress 3–30×; deflate's ceiling is ~1032×, which bombs approach.
constexpr std::uint64_t kMaxZipRatio = 100;
constexpr std::uint64_t kRatioFloorBytes = 1 * kMiB;
/// Entries in one zip's central directory.
constexpr std::uint64_t kMaxZipMembers = 10000;
/// KML text GDAL's LIBKML driver parses into a document tree (about 10× its size in memory):
/// a .kml file, or the .kml members of a .kmz together.
constexpr std::uint64_t kMaxKmlTextBytes = 128 * kMiB;
/// Cells one spreadsheet expands into (rows × its widest row, every sheet), counting
/// repeated rows and columns and the empty cells a far cell reference implies.
constexpr std::uint64_t kMaxSheetCells = 8'000'000;
/// Cells of a CSV point table (its delimiters and line ends): kMaxPointsPerFile rows of 6
/// columns. A CSV cell costs one short string, a quarter of a spreadsheet cell through GDAL.
constexpr std::uint64_t kMaxCsvCells = 24'000'000;
/// Text held in those cells (a shared string counts once per cell that refers to it).
constexpr std::uint64_t kMaxSheetTextBytes = 256 * kMiB;
/// Boundary points (data rows of a point table, point lines of a 国土 TXT) in one file.
constexpr std::uint64_t kMaxPointsPerFile = 4'000'000;
/// Lines of a 国土 TXT, rows of a CSV point table: counted before any is stored. A file of
/// kMaxPointsPerFile points in rings of 4 has a quarter as many parcel lines besides.
constexpr std::uint64_t kMaxLinesPerPointFile = kMaxPointsPerFile + kMaxPointsPerFile / 4;
/// Boundary points of one parcel (all its rings, as listed: closing repeats count).
constexpr std::uint64_t kMaxPointsPerParcel = 200'000;
/// Rings (parts and holes) of one parcel: how they nest is found pair by pair.
constexpr std::uint64_t kMaxRingsPerParcel = 2'000;

/// "3.1 GB", "512 MiB": a byte count for a message.
std::string sizeText(std::uint64_t bytes);

/// Refuses (InputError) a KMZ, XLSX or ODS (by extension; other zips, such as zipped
/// shapefiles, are read as a stream and are not checked) whose central directory declares
/// more than the limits above, or whose members inflate past what the directory declares.
/// Every member is inflated once, reading at most its declared size plus one byte.
/// `path` may be a file or a GDAL /vsimem/ path; `shown` is the name used in messages.
/// `inflateXml` false leaves the .xml members to checkSheetCells, which inflates them the same
/// bounded way.
void checkZipExpansion(const std::string& path, const std::string& shown, bool inflateXml = true);

/// Refuses an XLSX or ODS whose sheets expand into more than kMaxSheetCells cells or
/// kMaxSheetTextBytes of text. Streams the sheet XML once, holding one tag at a time.
void checkSheetCells(const std::string& path, const std::string& shown);

/// Both checks, for whatever GDAL is about to open: a no-op for anything but a KMZ, XLSX,
/// XLSM or ODS file.
void checkBeforeOpening(const std::string& source);

/// The refusals of the counts below; `where` is "file" or "file:line".
[[noreturn]] void refusePointsPerFile(const std::string& where);
[[noreturn]] void refuseLinesPerPointFile(std::uint64_t lines, const std::string& where);
[[noreturn]] void refusePointsPerParcel(const std::string& where);
[[noreturn]] void refuseRingsPerParcel(const std::string& where);

/// Each check takes `where` as a callable, so the message is only made for a refusal.
template <class Where>
void checkPointsPerFile(std::uint64_t points, Where&& where) {
    if (points > kMaxPointsPerFile) refusePointsPerFile(where());
}
template <class Where>
void checkLinesPerPointFile(std::uint64_t lines, Where&& where) {
    if (lines > kMaxLinesPerPointFile) refuseLinesPerPointFile(lines, where());
}
template <class Where>
void checkPointsPerParcel(std::uint64_t points, Where&& where) {
    if (points > kMaxPointsPerParcel) refusePointsPerParcel(where());
}
template <class Where>
void checkRingsPerParcel(std::uint64_t rings, Where&& where) {
    if (rings > kMaxRingsPerParcel) refuseRingsPerParcel(where());
}

}  // namespace onemap::gis::limits
