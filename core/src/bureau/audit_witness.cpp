#include "onemap/core/bureau/audit_witness.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include "bureau/store_fields.hpp"
#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

std::string systemError(const std::string& path, const std::string& what) {
    return "audit witness " + path + ": " + what + ": " + std::strerror(errno);
}

/// Syncs the folder holding `path`, so that a file just created survives a crash.
void syncFolderOf(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    const int fd =
        ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // the line itself is synced; the folder entry is a best effort
    (void)::fsync(fd);
    ::close(fd);
}

WitnessAnchor parseLine(const std::string& path, int lineNumber, const std::string& text) {
    static const std::regex kLine(
        "([0-9]{1,18}) ([0-9a-f]{64}) "
        "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z)");
    std::smatch m;
    if (!std::regex_match(text, m, kLine))
        throw InputError(path + ":" + std::to_string(lineNumber) +
                         ": not a witness anchor (want \"SEQ HASH TIME\": a record number, its "
                         "64-digit lower-case hex hash and a UTC time such as "
                         "2026-12-07T11:04:05Z)");
    WitnessAnchor anchor;
    anchor.head.seq = std::stoll(m[1].str());
    anchor.head.hash = m[2].str();
    anchor.time = m[3].str();
    anchor.line = lineNumber;
    return anchor;
}

}  // namespace

std::string appendWitnessAnchor(const std::string& path, const AuditHead& head) {
    const bool existed = std::filesystem::exists(path);
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw InputError(systemError(path, "cannot open it to append"));
    const std::string line = std::to_string(head.seq) + " " + head.hash + " " + utcNow();
    // A line torn by a crash stays as it is (verify names it) and the anchor starts a new line.
    std::string bytes = line + "\n";
    const off_t size = ::lseek(fd, 0, SEEK_END);
    char last = '\n';
    if (size > 0 && ::pread(fd, &last, 1, size - 1) == 1 && last != '\n') bytes = "\n" + bytes;
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written != static_cast<ssize_t>(bytes.size()) || ::fsync(fd) != 0) {
        const std::string why = systemError(path, "cannot write the anchor");
        ::close(fd);
        throw InputError(why);
    }
    if (::close(fd) != 0) throw InputError(systemError(path, "cannot close it"));
    if (!existed) syncFolderOf(path);
    return line;
}

std::vector<WitnessAnchor> readWitnessAnchors(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(systemError(path, "cannot read it"));
    std::vector<WitnessAnchor> out;
    std::string text;
    int lineNumber = 0;
    while (std::getline(in, text)) out.push_back(parseLine(path, ++lineNumber, text));
    if (in.bad()) throw InputError(systemError(path, "cannot read it"));
    return out;
}

std::optional<WitnessAnchor> lastWitnessAnchor(const std::string& path) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    auto anchors = readWitnessAnchors(path);
    if (anchors.empty()) return std::nullopt;
    return anchors.back();
}

AuditVerdict checkAgainstWitness(const AuditVerdict& chain,
                                 const std::vector<WitnessAnchor>& anchors, BureauStore& store) {
    if (!chain.intact || anchors.empty()) return chain;
    std::vector<const WitnessAnchor*> bySeq;
    for (const auto& a : anchors) bySeq.push_back(&a);
    std::stable_sort(bySeq.begin(), bySeq.end(),
                     [](const auto* a, const auto* b) { return a->head.seq < b->head.seq; });
    AuditVerdict out = chain;
    const std::int64_t end = chain.head.seq;
    // Pages start at an anchor; the anchors falling inside a page are judged from it.
    constexpr std::int64_t kPage = 4096;
    std::size_t next = 0;
    while (next < bySeq.size() && bySeq[next]->head.seq <= end) {
        const std::int64_t from = bySeq[next]->head.seq;
        std::vector<AuditRecord> page;
        if (from > 0) page = store.records(from, kPage);
        for (; next < bySeq.size() && bySeq[next]->head.seq < from + kPage &&
               bySeq[next]->head.seq <= end;
             ++next) {
            const WitnessAnchor& a = *bySeq[next];
            const auto offset = static_cast<std::size_t>(a.head.seq - from);
            const std::string& actual =
                a.head.seq == 0
                    ? kGenesisHash
                    : (offset < page.size() && page[offset].seq == a.head.seq ? page[offset].hash
                                                                              : std::string());
            if (actual != a.head.hash) {
                out.intact = false;
                out.badSeq = a.head.seq;
                out.why = "record " + std::to_string(a.head.seq) +
                          " differs from the witness anchored at " + a.time +
                          " (the trail was rewritten up to it)";
                return out;
            }
        }
    }
    const WitnessAnchor& last = *bySeq.back();
    if (last.head.seq > end) {
        out.intact = false;
        out.badSeq = end + 1;
        out.why = "the trail ends at " + std::to_string(end) + " but the witness saw " +
                  std::to_string(last.head.seq) + " (anchored at " + last.time +
                  "): records were cut off its end";
    }
    return out;
}

}  // namespace onemap::core::bureau
