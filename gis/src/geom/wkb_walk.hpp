#pragma once
// Walking WKB in place, without building a geometry: what a geometry read lazily from the
// layer cache can answer before GEOS ever sees it (its kind, vertex count, rings).
// ISO and EWKB (Z, M, SRID flags), either byte order; anything else, or a byte out of
// bounds, makes the walk fail and the caller builds the GEOS geometry instead.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace onemap::gis::detail {

/// What a walk found: the ISO base type of the outermost geometry (1 Point … 7 Collection),
/// its parts as GEOS counts them (1 unless a multi-geometry or collection), and every
/// coordinate (closing ones included, as GEOSGetNumCoordinates counts).
struct WkbSummary {
    std::uint32_t type = 0;
    std::uint32_t parts = 0;  // a WKB count is 32-bit; 32-bit fields keep deferred ones small
    std::size_t vertices = 0;
};

class WkbWalk {
  public:
    WkbWalk(const unsigned char* data, std::size_t size) : p_(data), end_(data + size) {}

    /// Visits every ring of every polygon, exterior first, as visit(xy, n, isExterior) with
    /// n points (closing point included) copied to `buffer` as x, y pairs. False when the
    /// WKB cannot be walked.
    template <class Visit>
    bool rings(std::vector<double>& buffer, const Visit& visit) {
        WkbSummary s;
        return geometry(s, 0, &buffer,
                        [&](const double* xy, std::size_t n, bool exterior) {
                            visit(xy, n, exterior);
                        }) &&
               p_ == end_;
    }

    /// Visits the coordinates of every point, line and ring, whatever the geometry's kind, as
    /// visit(xy, n, isExterior) (an empty point is no coordinate). False when the WKB cannot
    /// be walked.
    template <class Visit>
    bool coordinates(std::vector<double>& buffer, const Visit& visit) {
        everyPoint_ = true;
        const bool ok = rings(buffer, visit);
        everyPoint_ = false;
        return ok;
    }

    /// Counts only (coordinates are skipped, not read).
    bool summary(WkbSummary& s) {
        return geometry(s, 0, nullptr, [](const double*, std::size_t, bool) {}) && p_ == end_;
    }

  private:
    const unsigned char* p_;
    const unsigned char* end_;
    bool little_ = true;
    bool everyPoint_ = false;  // points and lines are visited too, not only rings

    bool u32(std::uint32_t& v) {
        if (end_ - p_ < 4) return false;
        std::memcpy(&v, p_, 4);
        if (!little_) v = __builtin_bswap32(v);
        p_ += 4;
        return true;
    }
    bool f64(double& v) {
        if (end_ - p_ < 8) return false;
        std::uint64_t u;
        std::memcpy(&u, p_, 8);
        if (!little_) u = __builtin_bswap64(u);
        std::memcpy(&v, &u, 8);
        p_ += 8;
        return true;
    }

    // n points of `dims` doubles: copied as x, y to buffer, or skipped.
    bool points(std::uint32_t n, unsigned dims, std::vector<double>* buffer) {
        const std::size_t bytes = static_cast<std::size_t>(n) * dims * 8;
        if (static_cast<std::size_t>(end_ - p_) < bytes) return false;
        if (!buffer) {
            p_ += bytes;
            return true;
        }
        buffer->resize(2 * static_cast<std::size_t>(n));
        for (std::uint32_t i = 0; i < n; ++i) {
            const unsigned char* at = p_;
            if (!f64((*buffer)[2 * i]) || !f64((*buffer)[2 * i + 1])) return false;
            p_ = at + dims * 8;
        }
        return true;
    }

    template <class Visit>
    bool geometry(WkbSummary& s, int depth, std::vector<double>* buffer, const Visit& visit) {
        if (depth > 32 || p_ == end_ || *p_ > 1) return false;
        little_ = *p_++ == 1;
        std::uint32_t code = 0;
        if (!u32(code)) return false;
        unsigned dims = 2;
        if (code & 0x80000000u) ++dims;  // EWKB Z
        if (code & 0x40000000u) ++dims;  // EWKB M
        if (code & 0x20000000u) {        // EWKB SRID
            std::uint32_t srid = 0;
            if (!u32(srid)) return false;
        }
        code &= 0x0fffffffu;
        const unsigned iso = code / 1000, type = code % 1000;
        if (iso > 3 || (iso && dims != 2) || type < 1 || type > 7) return false;
        dims += iso == 3 ? 2 : (iso ? 1 : 0);
        if (depth == 0) {
            s.type = type;
            s.parts = 1;
        }
        std::uint32_t n = 0;
        switch (type) {
            case 1: {  // an empty point is NaN, NaN and has no coordinate
                const unsigned char* at = p_;
                double x = 0, y = 0;
                if (!f64(x) || !f64(y)) return false;
                p_ = at;
                const bool empty = std::isnan(x) && std::isnan(y);
                if (!points(1, dims, everyPoint_ ? buffer : nullptr)) return false;
                if (!empty) ++s.vertices;
                if (everyPoint_ && buffer && !empty) visit(buffer->data(), 1, false);
                return true;
            }
            case 2:
                if (!u32(n) || !points(n, dims, everyPoint_ ? buffer : nullptr)) return false;
                s.vertices += n;
                if (everyPoint_ && buffer)
                    visit(buffer->data(), static_cast<std::size_t>(n), false);
                return true;
            case 3: {
                std::uint32_t rings = 0;
                if (!u32(rings)) return false;
                for (std::uint32_t r = 0; r < rings; ++r) {
                    // GEOS refuses rings of 1 to 3 points; so does the walk.
                    if (!u32(n) || (n > 0 && n < 4) || !points(n, dims, buffer)) return false;
                    s.vertices += n;
                    if (buffer) visit(buffer->data(), static_cast<std::size_t>(n), r == 0);
                }
                return true;
            }
            default: {
                if (!u32(n)) return false;
                if (depth == 0) s.parts = n;
                for (std::uint32_t i = 0; i < n; ++i) {
                    const bool little = little_;
                    if (!geometry(s, depth + 1, buffer, visit)) return false;
                    little_ = little;
                }
                return true;
            }
        }
    }
};

}  // namespace onemap::gis::detail
