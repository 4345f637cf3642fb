#include "onemap/gis/layer/layer_snapshot.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "index/box_grid.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/index/spatial_index.hpp"

namespace onemap::gis {
namespace {

constexpr char kMagic[8] = {'O', 'M', 'S', 'N', 'A', 'P', '0', '2'};  // 02: four-lane sums
constexpr std::size_t kHeaderSize = 24;  // magic, file size, checksum of the block sums
// values at, wkb at, arrays at, feature count, block sums at
constexpr std::size_t kTrailerSize = 40;
// Every 1 MiB block of the body has its own sum, so a read that takes a few features
// verifies only the blocks it touches.
constexpr std::size_t kBlock = 1 << 20;

// A 64-bit checksum of one block: multiply-xor over 8-byte words (the tail zero-padded), in
// four lanes of interleaved words so the multiplications overlap (one chain ran at ~1.3 bytes
// a cycle: 5 % of a warm L check). Every step is a bijection of the lane given the word, and
// the lanes are folded in the same way, so a single damaged word always changes the sum. Not
// cryptographic: it catches truncation and damaged bytes, at memory speed.
std::uint64_t blockSum(const unsigned char* p, std::size_t n) {
    constexpr std::uint64_t kPrime = 0x100000001b3ULL;
    std::uint64_t h[4] = {0x9e3779b97f4a7c15ULL ^ n, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL,
                          0x27d4eb2f165667c5ULL};
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        std::uint64_t w[4];
        std::memcpy(w, p + i, 32);
        for (int k = 0; k < 4; ++k) {
            h[k] = (h[k] ^ w[k]) * kPrime;
            h[k] ^= h[k] >> 29;
        }
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h[0] = (h[0] ^ w) * kPrime;
        h[0] ^= h[0] >> 29;
    }
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    std::uint64_t acc = ((h[0] ^ w) * kPrime) ^ (h[0] >> 31);
    for (int k = 1; k < 4; ++k) {
        acc = (acc ^ h[k]) * kPrime;
        acc ^= acc >> 29;
    }
    return acc;
}

std::uint64_t combine(std::uint64_t acc, std::uint64_t block) {
    return (acc ^ block) * 0xff51afd7ed558ccdULL + 0x2545f4914f6cdd1dULL;
}

// The sum of each block of body bytes [begin, end), for the blocks marked (all when empty).
std::vector<std::uint64_t> blockSums(const unsigned char* file, std::size_t begin, std::size_t end,
                                     const std::vector<char>& only = {}) {
    const std::size_t blocks = (end - begin + kBlock - 1) / kBlock;
    std::vector<std::uint64_t> sums(blocks);
    tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
        if (only.empty() || only[b])
            sums[b] =
                blockSum(file + begin + b * kBlock, std::min(kBlock, end - begin - b * kBlock));
    });
    return sums;
}

// The header's checksum: of the block sums and the trailer, in order.
std::uint64_t sumOfSums(const std::vector<std::uint64_t>& sums,
                        const std::vector<std::uint64_t>& trailer) {
    std::uint64_t acc = 0;
    for (const auto s : sums) acc = combine(acc, s);
    for (const auto t : trailer) acc = combine(acc, t);
    return acc;
}

// Bytes appended one after another: in memory (the schema) or into an entry's file.
class Writer {
  public:
    virtual ~Writer() = default;
    void u8(std::uint8_t v) { raw(&v, 1); }
    void u32(std::uint32_t v) { raw(&v, 4); }
    void u64(std::uint64_t v) { raw(&v, 8); }
    void f64(double v) { raw(&v, 8); }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        raw(s.data(), s.size());
    }
    virtual void raw(const void* p, std::size_t n) = 0;
};

class MemoryWriter : public Writer {
  public:
    void raw(const void* p, std::size_t n) override {
        bytes_.append(static_cast<const char*>(p), n);
    }
    std::string& bytes() { return bytes_; }

  private:
    std::string bytes_;
};

// An entry streamed into a temporary file beside its path, each block of the body summed as
// it fills, then renamed into place: the entry is never held whole in memory (200 MB for a
// million parcels, held beside the layer by the viewer's first open of L). Unless committed,
// the temporary file is removed.
class EntryFile : public Writer {
  public:
    explicit EntryFile(std::string path) : path_(std::move(path)), tmp_(temporarySibling(path_)) {
        fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd_ < 0) throw Error(path_ + ": cannot write");
        char header[kHeaderSize] = {};  // size and checksum filled in by commit
        std::memcpy(header, kMagic, 8);
        put(header, kHeaderSize);
        block_.reserve(kBlock);
    }
    ~EntryFile() override {
        if (fd_ < 0) return;
        ::close(fd_);
        ::unlink(tmp_.c_str());
    }
    EntryFile(const EntryFile&) = delete;
    EntryFile& operator=(const EntryFile&) = delete;

    void raw(const void* p, std::size_t n) override {
        const auto* bytes = static_cast<const unsigned char*>(p);
        offset_ += n;
        while (n) {
            const std::size_t take = std::min(n, kBlock - block_.size());
            block_.insert(block_.end(), bytes, bytes + take);
            bytes += take;
            n -= take;
            if (block_.size() == kBlock) flush();
        }
    }
    /// Where the next byte goes in the file.
    [[nodiscard]] std::uint64_t offset() const { return offset_; }
    /// Ends the summed body (what follows is not summed) and returns the blocks' sums.
    const std::vector<std::uint64_t>& endBody() {
        if (!block_.empty()) flush();
        sealed_ = true;
        return sums_;
    }
    void commit(std::uint64_t checksum) {
        if (!block_.empty()) flush();
        const std::uint64_t fields[2] = {offset_, checksum};
        if (::pwrite(fd_, fields, sizeof fields, 8) != static_cast<ssize_t>(sizeof fields))
            throw Error(path_ + ": write failed");
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 || ::rename(tmp_.c_str(), path_.c_str()) != 0) {
            ::unlink(tmp_.c_str());
            throw Error(path_ + ": cannot replace");
        }
    }

  private:
    std::string path_, tmp_;
    int fd_ = -1;
    std::uint64_t offset_ = kHeaderSize;
    std::vector<unsigned char> block_;
    std::vector<std::uint64_t> sums_;
    bool sealed_ = false;

    void flush() {
        if (!sealed_) sums_.push_back(blockSum(block_.data(), block_.size()));
        put(block_.data(), block_.size());
        block_.clear();
    }
    void put(const unsigned char* p, std::size_t n) {
        while (n) {
            const ssize_t w = ::write(fd_, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) throw Error(path_ + ": write failed (disk full?)");
            p += w;
            n -= static_cast<std::size_t>(w);
        }
    }
    void put(const char* p, std::size_t n) { put(reinterpret_cast<const unsigned char*>(p), n); }
};

// Reads from a mapped file; every read is bounds-checked (a damaged file throws Error).
class Reader {
  public:
    Reader(const unsigned char* p, std::size_t size, std::size_t at)
        : p_(p), size_(size), at_(at) {}
    std::uint8_t u8() { return *take(1); }
    std::uint32_t u32() { return get<std::uint32_t>(); }
    std::uint64_t u64() { return get<std::uint64_t>(); }
    std::int64_t i64() { return get<std::int64_t>(); }
    double f64() { return get<double>(); }
    std::string str() {
        const std::uint32_t n = u32();
        const auto* s = take(n);
        return {reinterpret_cast<const char*>(s), n};
    }
    const unsigned char* take(std::size_t n) {
        if (n > size_ || at_ > size_ - n) throw Error("snapshot: truncated");
        const auto* p = p_ + at_;
        at_ += n;
        return p;
    }

  private:
    template <typename T>
    T get() {
        T v;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
    const unsigned char* p_;
    std::size_t size_;
    std::size_t at_;
};

void writeValue(Writer& w, const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        w.u8(1);
        w.raw(i, 8);
    } else if (const auto* d = std::get_if<double>(&v)) {
        w.u8(2);
        w.f64(*d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
        w.u8(3);
        w.str(*s);
    } else {
        w.u8(0);
    }
}

Value readValue(Reader& r) {
    switch (r.u8()) {
        case 0:
            return {};
        case 1:
            return r.i64();
        case 2:
            return r.f64();
        case 3:
            return r.str();
        default:
            throw Error("snapshot: bad value tag");
    }
}

std::string schema(const VectorLayer& layer) {
    MemoryWriter w;
    w.str(layer.name);
    w.str(layer.crs.definition());
    w.str(layer.geometryType);
    w.str(layer.encoding);
    w.u32(static_cast<std::uint32_t>(layer.fields.size()));
    for (const auto& f : layer.fields) {
        w.str(f.name);
        w.u8(static_cast<std::uint8_t>(f.type));
        w.u32(static_cast<std::uint32_t>(f.width));
        w.u32(static_cast<std::uint32_t>(f.precision));
    }
    w.u32(static_cast<std::uint32_t>(layer.notes.size()));
    for (const auto& n : layer.notes) w.str(n);
    w.u8(layer.fullExtent ? 1 : 0);
    const Envelope e = layer.fullExtent.value_or(Envelope{});
    for (const double v : {e.minx, e.miny, e.maxx, e.maxy}) w.f64(v);
    return std::move(w.bytes());
}

void readSchema(Reader& r, VectorLayer& layer) {
    layer.name = r.str();
    const std::string crs = r.str();
    if (!crs.empty()) layer.crs = Crs::fromUserInput(crs);
    layer.geometryType = r.str();
    layer.encoding = r.str();
    layer.fields.resize(r.u32());
    for (auto& f : layer.fields) {
        f.name = r.str();
        const auto type = r.u8();
        if (type > static_cast<std::uint8_t>(FieldType::Date)) throw Error("snapshot: field type");
        f.type = static_cast<FieldType>(type);
        f.width = static_cast<int>(r.u32());
        f.precision = static_cast<int>(r.u32());
    }
    layer.notes.resize(r.u32());
    for (auto& n : layer.notes) n = r.str();
    const bool hasExtent = r.u8() != 0;
    Envelope e;
    e.minx = r.f64();
    e.miny = r.f64();
    e.maxx = r.f64();
    e.maxy = r.f64();
    if (hasExtent) layer.fullExtent = e;
}

// A read-only mapping of a whole file, unmapped when it goes.
struct Mapping {
    const unsigned char* data = nullptr;
    std::size_t size = 0;
    ~Mapping() {
        if (data) ::munmap(const_cast<unsigned char*>(data), size);
    }
};

std::shared_ptr<const Mapping> mapFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return nullptr;
    struct stat st {};
    auto m = std::make_shared<Mapping>();
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::size_t>(st.st_size) >= kHeaderSize + kTrailerSize) {
        void* p =
            ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            m->data = static_cast<const unsigned char*>(p);
            m->size = static_cast<std::size_t>(st.st_size);
        }
    }
    ::close(fd);
    if (!m->data) return nullptr;
    return m;
}

// Features to take: all, or those whose boxes meet a near box (a grid over the near boxes,
// an R-tree for what the grid cannot answer; in parallel).
std::vector<std::size_t> selected(const std::vector<Envelope>& boxes,
                                  const std::vector<Envelope>& near) {
    std::vector<std::size_t> out;
    if (near.empty()) {
        out.resize(boxes.size());
        for (std::size_t i = 0; i < boxes.size(); ++i) out[i] = i;
        return out;
    }
    const SpatialIndex index(near);
    const BoxGrid grid(near);
    std::vector<char> take(boxes.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, boxes.size(), 4096), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            if (boxes[i].isEmpty()) continue;
            bool tooWide = !grid.usable();
            if ((!tooWide && grid.anyMeeting(boxes[i], tooWide)) ||
                (tooWide && index.anyMeeting(boxes[i])))
                take[i] = 1;
        }
    });
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (take[i]) out.push_back(i);
    return out;
}

}  // namespace

void writeLayerSnapshot(const std::string& path, const VectorLayer& layer,
                        const std::string& meta) {
    const std::size_t n = layer.features.size();
    // WKB in parallel (GEOS's writer is the slow part), the rest in order. A geometry still
    // held as WKB (deferred) is written from its bytes, not made again.
    std::vector<std::vector<unsigned char>> wkb(n);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
            const Geometry& g = layer.features[i].geometry;
            if (!g.deferredWkb() && !g.isEmpty()) wkb[i] = g.wkb();
        }
    });
    EntryFile w(path);
    w.str(meta);
    w.str(schema(layer));
    std::vector<std::uint64_t> valueAt(n + 1), wkbAt(n + 1);
    const std::uint64_t valuesAt = w.offset();
    for (std::size_t i = 0; i < n; ++i) {
        valueAt[i] = w.offset();
        const auto& values = layer.features[i].values;
        if (values.size() != layer.fields.size()) throw Error("snapshot: values do not fit");
        for (const auto& v : values) writeValue(w, v);
    }
    valueAt[n] = w.offset();
    const std::uint64_t wkbStart = w.offset();
    for (std::size_t i = 0; i < n; ++i) {
        wkbAt[i] = w.offset();
        if (const auto* ref = layer.features[i].geometry.deferredWkb()) {
            w.raw(ref->data, ref->size);
        } else {
            w.raw(wkb[i].data(), wkb[i].size());
            std::vector<unsigned char>().swap(wkb[i]);
        }
    }
    wkbAt[n] = w.offset();
    const std::uint64_t arraysAt = w.offset();
    for (const auto& f : layer.features) w.raw(&f.fid, 8);
    for (const auto& f : layer.features) {
        const Envelope e = f.geometry.envelope();
        for (const double v : {e.minx, e.miny, e.maxx, e.maxy}) w.f64(v);
    }
    w.raw(valueAt.data(), 8 * (n + 1));
    w.raw(wkbAt.data(), 8 * (n + 1));
    const std::uint64_t sumsAt = w.offset();
    const std::vector<std::uint64_t> sums = w.endBody();
    w.raw(sums.data(), 8 * sums.size());
    const std::vector<std::uint64_t> trailer = {valuesAt, wkbStart, arraysAt, n, sumsAt};
    for (const auto t : trailer) w.u64(t);
    w.commit(sumOfSums(sums, trailer));
}

std::optional<LayerSnapshot> readLayerSnapshot(const std::string& path,
                                               const std::vector<Envelope>& near) {
    const auto m = mapFile(path);
    if (!m) return std::nullopt;
    try {
        Reader head(m->data, m->size, 0);
        if (std::memcmp(head.take(8), kMagic, 8) != 0) return std::nullopt;
        if (head.u64() != m->size) return std::nullopt;
        const std::uint64_t headerSum = head.u64();
        Reader tail(m->data, m->size, m->size - kTrailerSize);
        const std::uint64_t valuesAt = tail.u64();
        const std::uint64_t wkbAt = tail.u64();
        const std::uint64_t arraysAt = tail.u64();
        const std::uint64_t n = tail.u64();
        const std::uint64_t sumsAt = tail.u64();
        // The pieces must follow one another and fill the file exactly.
        const std::uint64_t blocks = (sumsAt - kHeaderSize + kBlock - 1) / kBlock;
        if (sumsAt < kHeaderSize || sumsAt > m->size || arraysAt > sumsAt ||
            n > (sumsAt - arraysAt) / 56 || arraysAt + n * 56 + 16 != sumsAt ||
            sumsAt + blocks * 8 + kTrailerSize != m->size || valuesAt > wkbAt || wkbAt > arraysAt ||
            valuesAt < kHeaderSize)
            return std::nullopt;
        std::vector<std::uint64_t> sums(blocks);
        std::memcpy(sums.data(), m->data + sumsAt, 8 * blocks);
        if (sumOfSums(sums, {valuesAt, wkbAt, arraysAt, n, sumsAt}) != headerSum)
            return std::nullopt;
        // Verifies the blocks holding body bytes [from, to) (marked in `need` first).
        std::vector<char> need(blocks, 0);
        const auto mark = [&](std::uint64_t from, std::uint64_t to) {
            if (to <= from) return;
            for (auto b = (from - kHeaderSize) / kBlock; b <= (to - 1 - kHeaderSize) / kBlock; ++b)
                need[b] = 1;
        };
        const auto verified = [&] {
            const auto got = blockSums(m->data, kHeaderSize, sumsAt, need);
            for (std::uint64_t b = 0; b < blocks; ++b)
                if (need[b] && got[b] != sums[b]) return false;
            return true;
        };
        mark(kHeaderSize, valuesAt);  // metadata and schema
        mark(arraysAt, sumsAt);       // fids, boxes, offsets
        if (!verified()) return std::nullopt;
        LayerSnapshot snap;
        snap.meta = head.str();
        {
            const std::string s = head.str();
            Reader r(reinterpret_cast<const unsigned char*>(s.data()), s.size(), 0);
            readSchema(r, snap.layer);
        }
        Reader arrays(m->data, m->size, arraysAt);
        std::vector<std::int64_t> fids(n);
        for (auto& f : fids) f = arrays.i64();
        std::vector<Envelope> boxes(n);
        for (auto& b : boxes) {
            b.minx = arrays.f64();
            b.miny = arrays.f64();
            b.maxx = arrays.f64();
            b.maxy = arrays.f64();
        }
        std::vector<std::uint64_t> valueOff(n + 1), wkbOff(n + 1);
        for (auto& v : valueOff) v = arrays.u64();
        for (auto& v : wkbOff) v = arrays.u64();
        for (std::uint64_t i = 0; i < n; ++i)
            if (valueOff[i] > valueOff[i + 1] || wkbOff[i] > wkbOff[i + 1]) return std::nullopt;
        if (valueOff[0] != valuesAt || valueOff[n] != wkbAt || wkbOff[0] != wkbAt ||
            wkbOff[n] != arraysAt)
            return std::nullopt;
        snap.total = n;
        const auto take = selected(boxes, near);
        std::fill(need.begin(), need.end(), 0);
        if (take.size() == n) {
            mark(valuesAt, arraysAt);
        } else {
            for (const auto i : take) {
                mark(valueOff[i], valueOff[i + 1]);
                mark(wkbOff[i], wkbOff[i + 1]);
            }
        }
        if (!verified()) return std::nullopt;
        if (!near.empty()) {
            Envelope all;
            for (const auto& b : boxes) all.expand(b);
            snap.layer.fullExtent = snap.layer.fullExtent.value_or(all);
        }
        auto& features = snap.layer.features;
        features.resize(take.size());
        const std::size_t fields = snap.layer.fields.size();
        std::atomic<bool> damaged{false};
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, take.size(), 1024), [&](const auto&
                                                                                         r) {
            try {
                std::vector<Geometry::WkbRef> refs;
                std::vector<std::size_t> at;
                for (std::size_t k = r.begin(); k != r.end(); ++k) {
                    const std::size_t i = take[k];
                    Feature& f = features[k];
                    f.fid = fids[i];
                    Reader values(m->data, valueOff[i + 1], valueOff[i]);
                    f.values.reserve(fields);
                    for (std::size_t j = 0; j < fields; ++j) f.values.push_back(readValue(values));
                    if (wkbOff[i + 1] > wkbOff[i]) {
                        refs.push_back({m->data + wkbOff[i], wkbOff[i + 1] - wkbOff[i], boxes[i]});
                        at.push_back(k);
                    }
                }
                // GEOS reads each parcel only when something looks inside it; the
                // mapping stays while any of them lives.
                auto geometries = Geometry::deferred(m, refs);
                for (std::size_t q = 0; q < at.size(); ++q)
                    features[at[q]].geometry = std::move(geometries[q]);
            } catch (const std::exception&) {
                damaged = true;
            }
        });
        if (damaged) return std::nullopt;
        return snap;
    } catch (const std::exception&) {
        return std::nullopt;  // damaged: the caller reads the source instead
    }
}

}  // namespace onemap::gis
