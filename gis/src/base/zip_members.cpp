#include "base/zip_members.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/expansion_limits.hpp"

namespace onemap::gis::detail {
namespace {

struct VsiFileCloser {
    void operator()(VSILFILE* f) const { VSIFCloseL(f); }
};
using VsiFile = std::unique_ptr<VSILFILE, VsiFileCloser>;

std::uint32_t le16(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8u);
}
std::uint32_t le32(const unsigned char* p) { return le16(p) | (le16(p + 2) << 16u); }
std::uint64_t le64(const unsigned char* p) {
    return le32(p) | (static_cast<std::uint64_t>(le32(p + 4)) << 32u);
}

bool readAt(VSILFILE* f, std::uint64_t at, void* into, std::size_t n) {
    return VSIFSeekL(f, static_cast<vsi_l_offset>(at), SEEK_SET) == 0 &&
           VSIFReadL(into, 1, n, f) == n;
}

constexpr std::uint32_t kSaturated32 = 0xFFFFFFFFu;

// A zip64 entry keeps its true sizes in extra field 0x0001: the expanded size, then the
// compressed one, each only when its 32-bit field is saturated.
void zip64Sizes(const unsigned char* extra, std::size_t length, ZipMember& m,
                bool expandedSaturated, bool compressedSaturated) {
    for (std::size_t at = 0; at + 4 <= length;) {
        const std::uint32_t id = le16(extra + at), size = le16(extra + at + 2);
        const std::size_t end = at + 4 + size;
        if (end > length) return;
        if (id == 1) {
            std::size_t p = at + 4;
            if (expandedSaturated && p + 8 <= end) m.expanded = le64(extra + p), p += 8;
            if (compressedSaturated && p + 8 <= end) m.compressed = le64(extra + p);
            return;
        }
        at = end;
    }
}

// Where the central directory starts and ends, from the end-of-central-directory record
// (and its zip64 twin). Offsets are taken back from the record itself, so a zip with bytes
// in front (a self-extractor) is read as GDAL reads it.
struct DirectorySpan {
    std::uint64_t start = 0, size = 0, entries = 0;
};

std::optional<DirectorySpan> findDirectory(VSILFILE* f, const std::string& shown) {
    VSIFSeekL(f, 0, SEEK_END);
    const std::uint64_t fileSize = VSIFTellL(f);
    const std::uint64_t tail = std::min<std::uint64_t>(fileSize, 65535 + 22);
    std::vector<unsigned char> buf(static_cast<std::size_t>(tail));
    if (tail < 22 || !readAt(f, fileSize - tail, buf.data(), buf.size())) return std::nullopt;
    std::size_t eocd = buf.size() - 22 + 1;
    while (eocd-- > 0)
        if (le32(&buf[eocd]) == 0x06054b50u) break;
    if (eocd == static_cast<std::size_t>(-1)) return std::nullopt;
    const std::uint64_t eocdAt = fileSize - tail + eocd;
    DirectorySpan span;
    span.entries = le16(&buf[eocd + 10]);
    span.size = le32(&buf[eocd + 12]);
    std::uint64_t endOfDirectory = eocdAt;
    if (span.entries == 0xFFFF || span.size == kSaturated32 ||
        le32(&buf[eocd + 16]) == kSaturated32) {
        unsigned char locator[20], record[56];
        if (eocdAt < 20 || !readAt(f, eocdAt - 20, locator, sizeof locator) ||
            le32(locator) != 0x07064b50u)
            throw InputError(shown + ": a zip64 archive without its zip64 directory record");
        const std::uint64_t recordAt = le64(locator + 8);
        if (!readAt(f, recordAt, record, sizeof record) || le32(record) != 0x06064b50u)
            throw InputError(shown + ": its zip64 directory record cannot be read");
        span.entries = le64(record + 32);
        span.size = le64(record + 40);
        endOfDirectory = recordAt;
    }
    if (span.size > endOfDirectory)
        throw InputError(shown + ": its zip directory claims more bytes than the file holds");
    span.start = endOfDirectory - span.size;
    return span;
}

}  // namespace

std::vector<ZipMember> zipDirectory(const std::string& path, const std::string& shown) {
    VsiFile f(VSIFOpenL(path.c_str(), "rb"));
    if (!f) return {};
    const auto span = findDirectory(f.get(), shown);
    if (!span) return {};
    if (span->entries > limits::kMaxZipMembers)
        throw InputError(shown + ": holds " + std::to_string(span->entries) +
                         " zip members (limit " + std::to_string(limits::kMaxZipMembers) +
                         ") — refused as a decompression bomb");
    // Each entry takes 46 bytes and its names: the declared count bounds the directory.
    if (span->size > span->entries * (46 + 3 * 65535u))
        throw InputError(shown + ": its zip directory is larger than its entries can be");
    std::vector<unsigned char> dir(static_cast<std::size_t>(span->size));
    if (!readAt(f.get(), span->start, dir.data(), dir.size()))
        throw InputError(shown + ": its zip directory cannot be read");
    std::vector<ZipMember> members;
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < span->entries; ++i) {
        if (at + 46 > dir.size() || le32(&dir[at]) != 0x02014b50u)
            throw InputError(shown + ": its zip directory is damaged (entry " +
                             std::to_string(i + 1) + ")");
        const std::size_t nameLength = le16(&dir[at + 28]);
        const std::size_t extraLength = le16(&dir[at + 30]);
        const std::size_t commentLength = le16(&dir[at + 32]);
        const std::size_t next = at + 46 + nameLength + extraLength + commentLength;
        if (next > dir.size())
            throw InputError(shown + ": its zip directory is damaged (entry " +
                             std::to_string(i + 1) + ")");
        ZipMember m;
        m.compressed = le32(&dir[at + 20]);
        m.expanded = le32(&dir[at + 24]);
        m.name.assign(reinterpret_cast<const char*>(&dir[at + 46]), nameLength);
        zip64Sizes(&dir[at + 46 + nameLength], extraLength, m, m.expanded == kSaturated32,
                   m.compressed == kSaturated32);
        members.push_back(std::move(m));
        at = next;
    }
    return members;
}

std::uint64_t inflateMember(const std::string& path, const std::string& name, std::uint64_t allowed,
                            const std::string& shown,
                            const std::function<void(std::string_view)>& sink) {
    const std::string inside = "/vsizip/" + path + "/" + name;
    VsiFile f(VSIFOpenL(inside.c_str(), "rb"));
    if (!f) return 0;  // GDAL cannot open it either
    std::vector<char> block(1 << 16);
    std::uint64_t total = 0;
    while (const std::size_t n = VSIFReadL(block.data(), 1, block.size(), f.get())) {
        total += n;
        if (total > allowed)
            throw InputError(shown + ": member " + name + " inflates past the " +
                             limits::sizeText(allowed) +
                             " allowed (its zip directory declares less, or it is over the "
                             "limit) — refused as a decompression bomb");
        if (sink) sink(std::string_view(block.data(), n));
    }
    return total;
}

void forEachListedMember(const std::string& path,
                         const std::function<void(const std::string&, std::uint64_t)>& fn) {
    struct Listing {
        char** names;
        ~Listing() { CSLDestroy(names); }
    } listed{VSIReadDirRecursive(("/vsizip/" + path).c_str())};
    for (char** e = listed.names; e && *e; ++e) {
        const std::string name = *e;
        if (name.empty() || name.back() == '/') continue;
        VSIStatBufL st{};
        if (VSIStatL(("/vsizip/" + path + "/" + name).c_str(), &st) != 0 || VSI_ISDIR(st.st_mode))
            continue;
        fn(name, static_cast<std::uint64_t>(st.st_size));
    }
}

}  // namespace onemap::gis::detail
