#include "onemap/gis/base/expansion_limits.hpp"

#include <cpl_vsi.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <set>
#include <tuple>

#include "base/zip_members.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::gis::limits {
namespace {

std::string lowerExtension(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    std::string e = path.substr(dot);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return e;
}

[[noreturn]] void refuseBomb(const std::string& message) {
    throw InputError(message + " — refused as a decompression bomb");
}

}  // namespace

std::string sizeText(std::uint64_t bytes) {
    char buf[32];
    if (bytes >= (1u << 30)) {
        std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1u << 30));
    } else if (bytes >= kMiB) {
        std::snprintf(buf, sizeof buf, "%.0f MiB", static_cast<double>(bytes) / kMiB);
    } else if (bytes >= 1024) {
        std::snprintf(buf, sizeof buf, "%.0f KiB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    }
    return buf;
}

void checkZipExpansion(const std::string& path, const std::string& shown, bool inflateXml) {
    const auto members = detail::zipDirectory(path, shown);
    if (members.empty()) return;  // not a zip: GDAL says what it is not
    const bool kmz = lowerExtension(path) == ".kmz" || lowerExtension(path) == ".ovkmz";
    std::uint64_t total = 0, kml = 0;
    for (const auto& m : members) {
        if (m.expanded > kMaxZipMemberBytes)
            refuseBomb(shown + ": member " + m.name + " expands to " + sizeText(m.expanded) +
                       " (limit " + sizeText(kMaxZipMemberBytes) + ")");
        if (m.expanded > kRatioFloorBytes &&
            m.expanded / std::max<std::uint64_t>(m.compressed, 1) > kMaxZipRatio)
            refuseBomb(shown + ": member " + m.name + " expands " +
                       std::to_string(m.expanded / std::max<std::uint64_t>(m.compressed, 1)) +
                       "-fold, to " + sizeText(m.expanded) + " (limit " +
                       std::to_string(kMaxZipRatio) + "-fold)");
        total += m.expanded;  // each ≤ 256 MiB, at most 10 000 of them: no overflow
        if (kmz && lowerExtension(m.name) == ".kml") kml += m.expanded;
    }
    if (total > kMaxZipTotalBytes)
        refuseBomb(shown + ": its members expand to " + sizeText(total) + " (limit " +
                   sizeText(kMaxZipTotalBytes) + ")");
    if (kml > kMaxKmlTextBytes)
        refuseBomb(shown + ": its KML expands to " + sizeText(kml) + " (limit " +
                   sizeText(kMaxKmlTextBytes) + ")");
    // What the directory declares may be a lie: inflate each member as GDAL lists and will
    // read it, and stop one byte past what it declared.
    std::uint64_t inflated = 0;
    detail::forEachListedMember(path, [&](const std::string& name, std::uint64_t declared) {
        if (!inflateXml && lowerExtension(name) == ".xml") return;
        inflated +=
            detail::inflateMember(path, name, std::min(declared, kMaxZipMemberBytes), shown, {});
        if (inflated > kMaxZipTotalBytes)
            refuseBomb(shown + ": its members inflate past " + sizeText(kMaxZipTotalBytes));
    });
}

void checkBeforeOpening(const std::string& source) {
    const std::string ext = lowerExtension(source);
    const bool zipped = ext == ".kmz" || ext == ".xlsx" || ext == ".xlsm" || ext == ".ods";
    const bool kml = ext == ".kml" || ext == ".ovkml";
    if (!zipped && !kml) return;
    // Files and GDAL's in-memory copies; nested virtual paths (/vsizip/a.zip/b.kmz) and
    // connection strings are GDAL's to refuse.
    if (source.rfind("/vsi", 0) == 0 && source.rfind("/vsimem/", 0) != 0) return;
    VSIStatBufL st{};
    if (VSIStatL(source.c_str(), &st) != 0 || !VSI_ISREG(st.st_mode)) return;
    if (kml) {
        if (static_cast<std::uint64_t>(st.st_size) > kMaxKmlTextBytes)
            throw InputError(source + ": " + sizeText(static_cast<std::uint64_t>(st.st_size)) +
                             " of KML (limit " + sizeText(kMaxKmlTextBytes) +
                             "; the reader holds ~10× that in memory) — split it");
        return;
    }
    // GDAL opens a file twice or more per read (its layers, then one layer): a file passed
    // once, unchanged since, is not inflated again. In-memory copies are always checked.
    static std::mutex mutex;
    // The key: path, size, inode and mtime to the nanosecond (a file rewritten within the
    // same second, as a fuzzer does, is a new file).
    using Key = std::tuple<std::string, std::uint64_t, std::uint64_t, std::int64_t, std::int64_t>;
    static std::set<Key> passed;
    struct stat os {};
    const bool stated = ::stat(source.c_str(), &os) == 0;
    const Key key{source, static_cast<std::uint64_t>(os.st_size),
                  static_cast<std::uint64_t>(os.st_ino),
                  static_cast<std::int64_t>(os.st_mtim.tv_sec),
                  static_cast<std::int64_t>(os.st_mtim.tv_nsec)};
    const bool memory = source.rfind("/vsimem/", 0) == 0 || !stated;
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!memory && passed.count(key)) return;
    }
    checkZipExpansion(source, source, ext == ".kmz");
    if (ext != ".kmz") checkSheetCells(source, source);
    if (!memory) {
        const std::lock_guard<std::mutex> lock(mutex);
        passed.insert(key);
    }
}

void refusePointsPerFile(const std::string& where) {
    throw InputError(where + ": more than " + std::to_string(kMaxPointsPerFile) +
                     " boundary points in one file (the limit) — refused; split it");
}

void refuseLinesPerPointFile(std::uint64_t lines, const std::string& where) {
    throw InputError(where + ": over " + std::to_string(lines) + " lines, more than a file of " +
                     std::to_string(kMaxPointsPerFile) +
                     " boundary points (the limit) has — refused; split it");
}

void refusePointsPerParcel(const std::string& where) {
    throw InputError(where + ": more than " + std::to_string(kMaxPointsPerParcel) +
                     " boundary points in one parcel (the limit) — refused");
}

void refuseRingsPerParcel(const std::string& where) {
    throw InputError(where + ": more than " + std::to_string(kMaxRingsPerParcel) +
                     " rings in one parcel (the limit) — refused");
}

}  // namespace onemap::gis::limits
