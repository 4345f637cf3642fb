#include "layer/geopackage/rtree_proof.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <vector>

#include "geom/wkb_walk.hpp"
#include "layer/sql_identifier.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/file_identity.hpp"

namespace onemap::gis::detail {
namespace fs = std::filesystem;

namespace {

// Bumped whenever what the proof checks changes.
constexpr int kProofFormat = 1;

struct DbClose {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// A doubt raised while proving: the reason, in words a --verbose reader understands.
struct Doubt {
    std::string why;
    bool lasting = true;  // false: the file could not be read now (busy, no memory)
};

StmtPtr prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
        throw Doubt{std::string("cannot query it: ") + sqlite3_errmsg(db), false};
    return StmtPtr(s);
}

// Steps a statement: true for a row, false at the end; a Doubt for an error (a damaged page).
bool step(sqlite3* db, sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw Doubt{std::string("cannot read it: ") + sqlite3_errmsg(db), false};
}

// Lower case, every white space a blank: SQL as written by any tool, compared by words.
std::string lower(std::string s) {
    for (auto& c : s)
        c = std::isspace(static_cast<unsigned char>(c))
                ? ' '
                : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The R-tree is an rtree virtual table, and the triggers that keep it in step are there.
void requireRtreeAndTriggers(sqlite3* db, const std::string& table, const std::string& rtree) {
    auto q = prepare(db, "SELECT type, tbl_name, sql FROM sqlite_master WHERE name = ?");
    const auto definition = [&](const std::string& name) -> std::pair<std::string, std::string> {
        sqlite3_reset(q.get());
        sqlite3_bind_text(q.get(), 1, name.c_str(), static_cast<int>(name.size()),
                          SQLITE_TRANSIENT);
        if (!step(db, q.get())) return {};
        const auto text = [&](int i) {
            const auto* t = sqlite3_column_text(q.get(), i);
            return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
        };
        return {text(0) + " " + text(1), lower(text(2))};
    };
    const auto [kind, sql] = definition(rtree);
    if (sql.find("create virtual table") != 0 || sql.find("using rtree") == std::string::npos)
        throw Doubt{"'" + rtree + "' is not an R-tree virtual table"};
    // On the feature table, and writing the R-tree in its body (its name holds the R-tree's
    // name too, so only what follows BEGIN counts).
    const auto present = [&](const std::string& suffix) {
        const auto [what, body] = definition(rtree + "_" + suffix);
        const auto begin = body.find(" begin ");
        return what == "trigger " + table && begin != std::string::npos &&
               body.find(lower(rtree), begin) != std::string::npos;
    };
    for (const char* suffix : {"insert", "update2", "update4", "delete"})
        if (!present(suffix))
            throw Doubt{"its trigger '" + rtree + "_" + suffix + "' is missing or altered"};
    if (!(present("update1") && present("update3")) && !(present("update6") && present("update7")))
        throw Doubt{"its update triggers ('" + rtree + "_update1/3' or '_update6/7') are missing"};
}

struct Box {
    std::int64_t id;
    double minx, maxx, miny, maxy;
};

// Every R-tree entry, by id; a Doubt for an id given twice.
std::vector<Box> rtreeBoxes(sqlite3* db, const std::string& rtree) {
    std::vector<Box> boxes;
    auto q = prepare(db, "SELECT id, minx, maxx, miny, maxy FROM " + sqlIdentifier(rtree));
    while (step(db, q.get()))
        boxes.push_back({sqlite3_column_int64(q.get(), 0), sqlite3_column_double(q.get(), 1),
                         sqlite3_column_double(q.get(), 2), sqlite3_column_double(q.get(), 3),
                         sqlite3_column_double(q.get(), 4)});
    std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < boxes.size(); ++i)
        if (boxes[i].id == boxes[i - 1].id)
            throw Doubt{"its R-tree gives id " + std::to_string(boxes[i].id) + " twice"};
    return boxes;
}

double readDouble(const unsigned char* p, bool little) {
    std::uint64_t u;
    std::memcpy(&u, p, 8);
    if (!little) u = __builtin_bswap64(u);
    double v;
    std::memcpy(&v, &u, 8);
    return v;
}

// The real envelope of one GeoPackage geometry blob, and the header's (minx, maxx, miny,
// maxy; all NaN when the header has none). A Doubt for anything a whole read could treat
// differently from a near one.
struct Envelopes {
    double real[4];
    double header[4];
};
Envelopes envelopesOf(const unsigned char* blob, std::size_t size, std::int64_t fid,
                      std::vector<double>& buffer) {
    const auto feature = [fid] { return "feature " + std::to_string(fid); };
    if (!blob) throw Doubt{feature() + " has no geometry"};
    if (size < 8 || blob[0] != 'G' || blob[1] != 'P')
        throw Doubt{feature() + "'s geometry is not GeoPackage binary"};
    const unsigned flags = blob[3];
    const unsigned indicator = (flags >> 1) & 7;
    if (flags & 0x20) throw Doubt{feature() + "'s geometry is of an extended type"};
    if (flags & 0x10) throw Doubt{feature() + "'s geometry is empty"};
    if (indicator > 4) throw Doubt{feature() + "'s geometry header is malformed"};
    static constexpr std::size_t kEnvelopeDoubles[] = {0, 4, 6, 6, 8};
    const std::size_t headerSize = 8 + 8 * kEnvelopeDoubles[indicator];
    if (size < headerSize) throw Doubt{feature() + "'s geometry header is cut short"};
    Envelopes e{};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int i = 0; i < 4; ++i)
        e.header[i] = indicator ? readDouble(blob + 8 + 8 * i, flags & 1) : nan;
    const double inf = std::numeric_limits<double>::infinity();
    double minx = inf, maxx = -inf, miny = inf, maxy = -inf;
    bool finite = true;
    WkbWalk walk(blob + headerSize, size - headerSize);
    const bool walked = walk.coordinates(buffer, [&](const double* xy, std::size_t n, bool) {
        for (std::size_t i = 0; i < n; ++i) {
            const double x = xy[2 * i], y = xy[2 * i + 1];
            finite = finite && std::isfinite(x) && std::isfinite(y);
            minx = std::min(minx, x), maxx = std::max(maxx, x);
            miny = std::min(miny, y), maxy = std::max(maxy, y);
        }
    });
    if (!walked) throw Doubt{feature() + "'s geometry is a curve or malformed"};
    if (!finite) throw Doubt{feature() + " has a coordinate that is not a finite number"};
    if (minx > maxx) throw Doubt{feature() + "'s geometry is empty"};
    e.real[0] = minx, e.real[1] = maxx, e.real[2] = miny, e.real[3] = maxy;
    return e;
}

// Whether a box (minx, maxx, miny, maxy) holds an envelope; false for NaN.
bool holds(const double* box, const double* e) {
    return box[0] <= e[0] && box[1] >= e[1] && box[2] <= e[2] && box[3] >= e[3];
}

// Rows 2 to 4 of the proof; returns the number of rows.
std::int64_t checkEveryRow(sqlite3* db, const std::string& table, const std::string& fidColumn,
                           const std::string& geometryColumn, const std::string& rtree) {
    const std::vector<Box> boxes = rtreeBoxes(db, rtree);
    auto q =
        prepare(db, "SELECT " + sqlIdentifier(fidColumn) + ", " + sqlIdentifier(geometryColumn) +
                        " FROM " + sqlIdentifier(table) + " ORDER BY " + sqlIdentifier(fidColumn));
    std::vector<double> buffer;
    std::int64_t rows = 0;
    std::size_t next = 0;  // the R-tree entry for the next row: both go by id
    while (step(db, q.get())) {
        const std::int64_t fid = sqlite3_column_int64(q.get(), 0);
        const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(q.get(), 1));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 1));
        const Envelopes e = envelopesOf(blob, size, fid, buffer);
        if (next < boxes.size() && boxes[next].id < fid)
            throw Doubt{"its R-tree has an entry for id " + std::to_string(boxes[next].id) +
                        ", which no feature has"};
        if (next == boxes.size() || boxes[next].id != fid)
            throw Doubt{"feature " + std::to_string(fid) + " has no R-tree entry"};
        const Box& b = boxes[next++];
        const double box[4] = {b.minx, b.maxx, b.miny, b.maxy};
        if (!holds(box, e.real))
            throw Doubt{"the R-tree box of feature " + std::to_string(fid) +
                        " does not hold its geometry"};
        if (!std::isnan(e.header[0]) && !holds(e.header, e.real))
            throw Doubt{"the header envelope of feature " + std::to_string(fid) +
                        " does not hold its geometry"};
        ++rows;
    }
    if (next < boxes.size())
        throw Doubt{"its R-tree has an entry for id " + std::to_string(boxes[next].id) +
                    ", which no feature has"};
    return rows;
}

RtreeProof prove(const std::string& path, const std::string& table, const std::string& fidColumn,
                 const std::string& geometryColumn) {
    const std::string rtree = "rtree_" + table + "_" + geometryColumn;
    RtreeProof out;
    try {
        if (fidColumn.empty() || geometryColumn.empty())
            throw Doubt{"the layer has no fid or no geometry column"};
        sqlite3* raw = nullptr;
        // One thread uses the connection: no mutex around each call (a tenth of the time).
        const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                       SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
        DbPtr db(raw);
        if (rc != SQLITE_OK)
            throw Doubt{
                std::string("cannot open it: ") + (raw ? sqlite3_errmsg(raw) : "out of memory"),
                false};
        sqlite3_busy_timeout(db.get(), 2000);
        // One snapshot for every query: a writer in another process cannot slip in between.
        sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr);
        requireRtreeAndTriggers(db.get(), table, rtree);
        out.rows = checkEveryRow(db.get(), table, fidColumn, geometryColumn, rtree);
    } catch (const Doubt& d) {
        out = RtreeProof{-1, d.why, d.lasting};
    } catch (const std::bad_alloc&) {
        out = RtreeProof{-1, "not enough memory to verify it", false};
    }
    return out;
}

}  // namespace

RtreeProof proveRtree(const std::string& path, const std::string& table,
                      const std::string& fidColumn, const std::string& geometryColumn,
                      const std::string& keepIn) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(path, ec);
    if (keepIn.empty() || ec) return prove(path, table, fidColumn, geometryColumn);
    const std::string wal = canonical.string() + "-wal";
    const long long started = nowNs();
    const FileIdentity file = fileIdentity(canonical.string());
    const FileIdentity walFile = fileIdentity(wal);
    const std::string key = "onemap rtree proof " + std::to_string(kProofFormat) + "\n" +
                            canonical.string() + "\n" + table + "\n" + geometryColumn + "\n" +
                            fidColumn + "\n" + file.text + "\n" +
                            (walFile.known() ? walFile.text : "-") + "\n";
    const std::string entry =
        (fs::path(keepIn) / "rtree-proofs" / (sha256(key).substr(0, 32) + ".proof")).string();
    if (const auto kept = recallKept(entry, key)) {
        if (kept->rfind("proven ", 0) == 0) {
            try {
                return RtreeProof{std::stoll(kept->substr(7)), ""};
            } catch (const std::exception&) {
            }
        } else if (kept->rfind("doubt ", 0) == 0) {
            return RtreeProof{-1, kept->substr(6)};
        }
    }
    RtreeProof proof = prove(path, table, fidColumn, geometryColumn);
    if (proof.lasting && settled(file, started, canonical.string()) &&
        (!walFile.known() || settled(walFile, started, wal)))
        keepLine(keepIn, entry, key,
                 proof.proven() ? "proven " + std::to_string(proof.rows) : "doubt " + proof.doubt);
    return proof;
}

}  // namespace onemap::gis::detail
