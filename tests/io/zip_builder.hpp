#pragma once
// Zips made in the test, small on disk however much they expand to: a member is a head, a
// chunk repeated n times and a tail. Each part is deflated on its own and ends on a full
// flush (byte-aligned, no back-references), so the chunk's deflate bytes are simply repeated:
// a 1 GiB member costs ~1 MB and a millisecond. Sizes can be declared falsely (a directory
// that lies), as a hostile file would.
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace onemap::test {

class ZipBuilder {
  public:
    struct Member {
        std::string name;
        std::string head, chunk, tail;
        std::uint64_t repeat = 0;
        /// The expanded size written into the headers; the true one when unset.
        std::uint64_t declared = UINT64_MAX;
        bool stored = false;  ///< no compression (e.g. an ODS mimetype)
    };

    ZipBuilder& add(Member m) {
        members_.push_back(std::move(m));
        return *this;
    }
    ZipBuilder& add(const std::string& name, const std::string& text) {
        return add(Member{name, text, "", "", 0});
    }

    /// Writes the zip; members must stay under 4 GiB (no zip64 here).
    void write(const std::string& path) const {
        std::string out, directory;
        for (const auto& m : members_) {
            std::string data;
            std::uint32_t crc = 0;
            std::uint64_t size = 0;
            for (const std::string* part : {&m.head, &m.chunk, &m.tail}) {
                const std::uint64_t times = part == &m.chunk ? m.repeat : 1;
                if (part->empty() || times == 0) continue;
                const std::string packed = m.stored ? *part : deflated(*part, Z_FULL_FLUSH);
                const auto partCrc = static_cast<std::uint32_t>(
                    crc32(0, reinterpret_cast<const Bytef*>(part->data()),
                          static_cast<uInt>(part->size())));
                for (std::uint64_t i = 0; i < times; ++i) {
                    data += packed;
                    crc = static_cast<std::uint32_t>(
                        crc32_combine(crc, partCrc, static_cast<z_off_t>(part->size())));
                    size += part->size();
                }
            }
            if (!m.stored) data += deflated("", Z_FINISH);  // the final block
            const std::uint64_t declared = m.declared == UINT64_MAX ? size : m.declared;
            const auto offset = static_cast<std::uint32_t>(out.size());
            const std::uint16_t method = m.stored ? 0 : 8;
            out += le32(0x04034b50) + le16(20) + le16(0) + le16(method) + le32(0) + le32(crc) +
                   le32(static_cast<std::uint32_t>(data.size())) +
                   le32(static_cast<std::uint32_t>(declared)) +
                   le16(static_cast<std::uint16_t>(m.name.size())) + le16(0) + m.name + data;
            directory += le32(0x02014b50) + le16(20) + le16(20) + le16(0) + le16(method) + le32(0) +
                         le32(crc) + le32(static_cast<std::uint32_t>(data.size())) +
                         le32(static_cast<std::uint32_t>(declared)) +
                         le16(static_cast<std::uint16_t>(m.name.size())) + le16(0) + le16(0) +
                         le16(0) + le16(0) + le32(0) + le32(offset) + m.name;
        }
        const auto count = static_cast<std::uint16_t>(members_.size());
        const auto at = static_cast<std::uint32_t>(out.size());
        out += directory + le32(0x06054b50) + le16(0) + le16(0) + le16(count) + le16(count) +
               le32(static_cast<std::uint32_t>(directory.size())) + le32(at) + le16(0);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << out;
    }

  private:
    static std::string le16(std::uint16_t v) {
        return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
    }
    static std::string le32(std::uint32_t v) {
        return le16(static_cast<std::uint16_t>(v & 0xFFFF)) +
               le16(static_cast<std::uint16_t>(v >> 16));
    }
    // Raw deflate of `text` in a fresh stream, ended by `flush`.
    static std::string deflated(const std::string& text, int flush) {
        z_stream z{};
        deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
        std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 64, '\0');
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
        z.avail_in = static_cast<uInt>(text.size());
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        deflate(&z, flush);
        out.resize(out.size() - z.avail_out);
        deflateEnd(&z);
        return out;
    }

    std::vector<Member> members_;
};

}  // namespace onemap::test
