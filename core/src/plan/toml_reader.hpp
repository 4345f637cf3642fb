#pragma once
// A TOML document read with the positions of its values: typed getters that fail with the
// one line a planner needs, "file:line: what" (an InputError). Private to core/src/plan: the
// plan reader and the project-brief reader share it. A reader holds only the file's name.
#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>

namespace onemap::core {

class TomlReader {
  public:
    explicit TomlReader(std::string path) : path_(std::move(path)) {}

    [[nodiscard]] const std::string& path() const { return path_; }

    /// The document; a syntax error is "file:line: what toml++ says".
    [[nodiscard]] toml::table parse(const std::string& content) const;

    /// Throws "file:line: msg", the line of `at`, else `fallbackLine`.
    [[noreturn]] void fail(const toml::node* at, int fallbackLine, const std::string& msg) const;
    [[nodiscard]] static int lineOf(const toml::node& n);

    /// "where: unknown key 'k' (expected one of: a, b, ...)" for a key not in `keys`.
    void allowOnly(const toml::table& t, const std::set<std::string>& keys,
                   const std::string& where) const;
    /// The text at `key`, "" if absent and not required.
    [[nodiscard]] std::string text(const toml::table& t, const std::string& key, bool required,
                                   const std::string& where) const;
    /// The finite number at `key`, if there is one.
    [[nodiscard]] std::optional<double> number(const toml::table& t, const std::string& key,
                                               const std::string& where) const;

  private:
    std::string path_;
};

}  // namespace onemap::core
