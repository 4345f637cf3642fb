#pragma once
// Text whose encoding a file declares (a KML's XML declaration, a DXF's $DWGCODEPAGE, a
// shapefile's .cpg or DBF language driver) and text that should be in one encoding (a 国土
// TXT). A GBK declaration over UTF-8 bytes is common (an editor saved as UTF-8 and kept the
// header), and UTF-8 Chinese is mostly valid GBK byte-wise, so decoding by the declaration
// gives fluent-looking nonsense: 湖州工业用地 → 婀栧窞宸ヤ笟鐢ㄥ湴. Which reading is right
// shows in the characters: mis-decoded text is full of kana, bopomofo, Greek, Latin letters
// with accents, private-use and rare ideographs. Internal to gis/src.
#include <cstddef>
#include <string>
#include <string_view>

namespace onemap::gis::text {

/// GBK, GB2312, GB18030, CP936, 936, ANSI_936 (any case): the encodings read as GBK.
[[nodiscard]] bool isGbkName(std::string name);
/// Single-byte code pages (ANSI_1252, CP1252, ISO-8859-1, Latin-1, CP437, CP850): any bytes
/// are valid in them, and their non-ASCII text is hardly ever valid UTF-8 by chance.
[[nodiscard]] bool isSingleByteName(std::string name);

/// Characters Chinese planning text hardly holds, in valid UTF-8 text: everything beyond
/// ASCII but the CJK ideographs (U+4E00–U+9FFF), CJK and fullwidth punctuation, and the
/// signs surveys use (° ± × ² ³ · ℃ ㎡ ①, dashes, quotes).
[[nodiscard]] std::size_t rareCharacters(std::string_view utf8);

/// Whether bytes said to be in one encoding are UTF-8 in truth, fed piece by piece (field
/// values, lines): every piece valid UTF-8, some of it not ASCII, and for a GBK declaration
/// read as UTF-8 fewer rare characters than read as GBK, or as many and some CJK ideographs
/// (GBK that is valid UTF-8 by chance reads as Latin letters with accents, Greek or
/// Cyrillic). At most the first MB of non-ASCII pieces is compared; validity is checked on
/// every piece.
class Utf8Evidence {
  public:
    void add(std::string_view bytes);
    /// `strict`: UTF-8 only with strictly fewer rare characters than GBK (for text that
    /// declares nothing); otherwise a tie goes to UTF-8 when it reads as Chinese.
    [[nodiscard]] bool saysUtf8(bool strict = false) const;
    [[nodiscard]] bool invalid() const { return invalid_; }
    [[nodiscard]] bool nonAscii() const { return nonAscii_; }

  private:
    bool invalid_ = false;
    bool nonAscii_ = false;
    std::string sample_;  ///< non-ASCII pieces, '\n' apart
};

/// The pieces in one: whether `bytes` declared `declared` (a GBK or single-byte name) are
/// UTF-8 in truth. False for any other declaration (UTF-8 itself, Big5, Shift-JIS…).
[[nodiscard]] bool isUtf8Despite(std::string_view bytes, const std::string& declared);

}  // namespace onemap::gis::text
