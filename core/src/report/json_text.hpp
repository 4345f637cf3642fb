#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace onemap::core {

/// Writes JSON text straight into a string, byte for byte as nlohmann's `dump(2)` would
/// write the same tree, indented as if nested `baseLevel` levels deep. A report of 10,000
/// sites built as a tree first cost more than checking them (docs/performance.md).
/// Strings must be valid UTF-8 (nlohmann refuses anything else); `NotUtf8` says one was
/// not, so the caller can take the tree path and get nlohmann's own error.
class JsonText {
  public:
    struct NotUtf8 : std::runtime_error {
        NotUtf8() : std::runtime_error("not UTF-8") {}
    };

    JsonText(std::string& out, int baseLevel) : out_(out), base_(baseLevel) {}

    void beginObject() { open('{', true); }
    void endObject() { close('}'); }
    void beginArray() { open('[', false); }
    void endArray() { close(']'); }
    /// The next member's key; its value follows.
    void key(std::string_view k);

    void string(std::string_view s);
    void number(double v);  ///< shortest round trip, "null" when not finite
    void integer(std::int64_t v);
    void unsignedInteger(std::uint64_t v);
    void boolean(bool v) { beforeValue(), out_ += v ? "true" : "false"; }
    void null() { beforeValue(), out_ += "null"; }
    void strings(const std::vector<std::string>& items);

  private:
    struct Level {
        bool object = false;
        std::size_t members = 0;
    };
    void open(char bracket, bool object);
    void close(char bracket);
    void beforeValue();  ///< the separator and indent an array element needs
    void newLine(std::size_t depth);
    void escaped(std::string_view s);

    std::string& out_;
    int base_ = 0;
    std::vector<Level> levels_;
    bool afterKey_ = false;
};

}  // namespace onemap::core
