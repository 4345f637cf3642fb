#pragma once
// When a GeoPackage's R-tree may answer "which features are near these boxes" for a whole
// read: only when it is proven to name every feature a whole read would find there.
//
// GDAL's spatial filter on a GeoPackage reads the rows whose ids the R-tree gives for the box,
// and nothing else. The R-tree is a table of its own, kept in step with the feature table by
// triggers (GeoPackage 1.3, F.3); a tool that drops or disables them, or an edit by hand in
// sqlite3, can leave it holding the right number of rows with the wrong boxes, or the right
// boxes under ids that no longer exist. Then a near read silently misses features.
//
// The proof, on the file as it is (its own read-only SQLite connection):
//  1. the R-tree is an SQLite rtree virtual table, and the spec's triggers that keep it in
//     step (insert, update2, update4, delete, and update1+update3 or GeoPackage 1.4's
//     update6+update7) are there, on the feature table, writing that R-tree;
//  2. every row has a geometry, not empty, in standard GeoPackage binary, whose every
//     coordinate is finite;
//  3. every row's id has exactly one R-tree entry, and that box holds the geometry's real
//     envelope (from its coordinates, not the blob's header), as does the header's envelope
//     when there is one (GDAL may skip a feature by it);
//  4. every R-tree entry belongs to a row.
// Anything else (a NULL geometry, a curve, a damaged page, a busy database) is a doubt, and
// the caller reads the layer whole, which is never wrong and reports damage feature by feature.
//
// Proving reads every geometry (about a second for a million parcels), so the verdict is kept
// between runs against the file's identity (file_identity.hpp), and its -wal's, under
// `keepIn`/rtree-proofs when `keepIn` is not empty.
#include <cstdint>
#include <string>

namespace onemap::gis::detail {

struct RtreeProof {
    std::int64_t rows = -1;  ///< the table's rows when proven, else -1
    std::string doubt;       ///< why not proven ("" when proven)
    bool lasting = true;     ///< false: a doubt of the moment (busy, no memory), never kept

    [[nodiscard]] bool proven() const { return rows >= 0; }
};

/// Proves (or doubts) the R-tree of `table`.`geometryColumn` in the GeoPackage at `path`,
/// whose feature ids are `fidColumn`. Never throws on what the file holds.
[[nodiscard]] RtreeProof proveRtree(const std::string& path, const std::string& table,
                                    const std::string& fidColumn, const std::string& geometryColumn,
                                    const std::string& keepIn);

}  // namespace onemap::gis::detail
