#include "plan/toml_reader.hpp"

#include <cmath>

#include "onemap/gis/base/error.hpp"

namespace onemap::core {

toml::table TomlReader::parse(const std::string& content) const {
    try {
        return toml::parse(content, path_);
    } catch (const toml::parse_error& e) {
        throw InputError(path_ + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
    }
}

void TomlReader::fail(const toml::node* at, int fallbackLine, const std::string& msg) const {
    int line = fallbackLine;
    if (at && at->source().begin.line > 0) line = static_cast<int>(at->source().begin.line);
    throw InputError(path_ + ":" + std::to_string(line) + ": " + msg);
}

int TomlReader::lineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

void TomlReader::allowOnly(const toml::table& t, const std::set<std::string>& keys,
                           const std::string& where) const {
    for (const auto& [k, v] : t) {
        if (!keys.count(std::string(k.str()))) {
            std::string list;
            for (const auto& key : keys) list += (list.empty() ? "" : ", ") + key;
            fail(&v, lineOf(t),
                 where + ": unknown key '" + std::string(k.str()) + "' (expected one of: " + list +
                     ")");
        }
    }
}

std::string TomlReader::text(const toml::table& t, const std::string& key, bool required,
                             const std::string& where) const {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required) fail(&t, lineOf(t), where + ": missing required key '" + key + "'");
        return "";
    }
    if (!n->is_string()) fail(n, lineOf(t), where + ": '" + key + "' must be text");
    return std::string(*n->value<std::string>());
}

std::optional<double> TomlReader::number(const toml::table& t, const std::string& key,
                                         const std::string& where) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_number()) fail(n, lineOf(t), where + ": '" + key + "' must be a number");
    const double v = *n->value<double>();
    if (!std::isfinite(v)) fail(n, lineOf(t), where + ": '" + key + "' must be a finite number");
    return v;
}

}  // namespace onemap::core
