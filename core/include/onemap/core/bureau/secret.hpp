#pragma once
// A password (or other secret text) held in memory: the bytes live in one buffer reserved up
// front (never reallocated, so no stale copies are left behind) and are wiped with
// sodium_memzero when the Secret dies. Move-only; one thread at a time.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace onemap::core::bureau {

class Secret {
  public:
    /// The longest secret accepted, in bytes.
    static constexpr std::size_t kMaxBytes = 1024;

    Secret();
    /// Takes `text` (copied into the reserved buffer); the caller wipes its own copy.
    explicit Secret(std::string_view text);
    ~Secret();
    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;

    /// One line from `in` (without its "\n" or "\r\n"), read a character at a time into the
    /// reserved buffer. InputError when the line is longer than kMaxBytes.
    static Secret readLine(std::istream& in);

    [[nodiscard]] std::string_view view() const { return text_; }
    [[nodiscard]] std::size_t size() const { return text_.size(); }
    [[nodiscard]] bool empty() const { return text_.empty(); }

  private:
    void wipe();
    std::string text_;
};

}  // namespace onemap::core::bureau
