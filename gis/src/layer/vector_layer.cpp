#include "onemap/gis/layer/vector_layer.hpp"

#include <charconv>
#include <cmath>

namespace onemap::gis {

std::string toString(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) {
        // 15 significant digits, with a dot whatever the process locale.
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::general, 15);
        return std::string(buf, r.ptr);
    }
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return "";
}

std::optional<double> toNumber(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* s = std::get_if<std::string>(&v)) {
        double out = 0;
        const char* end = s->data() + s->size();
        auto [ptr, ec] = std::from_chars(s->data(), end, out);
        if (ec == std::errc() && ptr == end && !s->empty()) return out;
    }
    return std::nullopt;
}

std::optional<std::size_t> VectorLayer::fieldIndex(const std::string& fieldName) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == fieldName) return i;
    return std::nullopt;
}

Envelope VectorLayer::extent() const {
    Envelope e;
    for (const auto& f : features) e.expand(f.geometry.envelope());
    return e;
}

Value VectorLayer::value(std::size_t feature, const std::string& field) const {
    const auto i = fieldIndex(field);
    if (!i || feature >= features.size()) return {};
    return features[feature].values[*i];
}

}  // namespace onemap::gis
