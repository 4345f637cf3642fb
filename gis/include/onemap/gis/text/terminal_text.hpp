#pragma once
// Text from user files and from libraries, made safe and short for a terminal or a dialog.
// Pure functions over the caller's strings; any thread.
#include <cstddef>
#include <string>

namespace onemap::gis {

/// Control characters (C0, DEL and the C1 range, which holds the 8-bit CSI) shown as
/// "\x1B" / "\u009B": an id or a name read from a file must not move a terminal's cursor,
/// change its colours or rewrite what was printed. Newlines are kept when keepNewlines.
[[nodiscard]] std::string escapeControl(const std::string& text, bool keepNewlines = false);

/// One line of at most maxBytes: newlines and tabs become spaces, controls are escaped, and
/// a longer text is cut at a character boundary and ends in "…" (a 700-digit number in a
/// message is a fault of the input, not something to print whole).
[[nodiscard]] std::string oneLine(const std::string& text, std::size_t maxBytes = 300);

/// Display width in a terminal: East Asian wide characters (CJK, Hangul, fullwidth forms)
/// count 2, every other code point 1.
[[nodiscard]] std::size_t displayWidth(const std::string& utf8);

/// `text` padded with spaces to `width` terminal columns, on the right (text) or on the left
/// (`right`, for numbers); a wider text is returned whole.
[[nodiscard]] std::string padToWidth(const std::string& text, std::size_t width,
                                     bool right = false);

}  // namespace onemap::gis
