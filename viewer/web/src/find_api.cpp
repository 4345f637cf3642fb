#include "find_api.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/plan/project_brief.hpp"
#include "onemap/core/report/find_report.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;

std::string tomlString(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string tomlKey(const std::string& k) { return tomlString(k); }

std::string tomlValue(const Json& v, const std::string& key) {
    switch (v.type()) {
        case Json::value_t::string:
            return tomlString(v.get<std::string>());
        case Json::value_t::boolean:
            return v.get<bool>() ? "true" : "false";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
            return v.dump();
        case Json::value_t::number_float: {
            std::string d = v.dump();
            if (d.find_first_of(".eE") == std::string::npos) d += ".0";
            return d;
        }
        case Json::value_t::array: {
            std::string out = "[";
            for (const auto& item : v) {
                if (item.is_object() || item.is_array())
                    throw HttpError(400, "brief: '" + key + "' holds a list of lists or objects");
                out += (out.size() > 1 ? ", " : "") + tomlValue(item, key);
            }
            return out + "]";
        }
        default:
            throw HttpError(400, "brief: '" + key + "' is null or not a value a brief holds");
    }
}

}  // namespace

std::string briefTomlFromJson(const std::string& text) {
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception& e) {
        throw HttpError(400, std::string("brief: not JSON: ") + e.what());
    }
    if (!j.is_object()) throw HttpError(400, "brief: the JSON must be an object");
    std::string top, tables;
    for (const auto& [k, v] : j.items()) {
        if (!v.is_object()) {
            top += tomlKey(k) + " = " + tomlValue(v, k) + "\n";
            continue;
        }
        tables += "\n[" + tomlKey(k) + "]\n";
        for (const auto& [k2, v2] : v.items()) {
            if (v2.is_object())
                throw HttpError(400, "brief: '" + k + "." + k2 + "' nests too deep");
            tables += tomlKey(k2) + " = " + tomlValue(v2, k + "." + k2) + "\n";
        }
    }
    return top + tables;
}

ApiResponse FindApi::find(const ApiRequest& request) const {
    request.allowOnly({"as_of", "filename"});
    const std::string asOf = request.date("as_of");
    if (request.body.empty()) throw HttpError(400, "the body is empty: post a project brief");
    std::string name = request.fileName();
    const auto first = request.body.find_first_not_of(" \t\r\n");
    const bool json = request.contentType.find("json") != std::string::npos ||
                      (first != std::string::npos && request.body[first] == '{') ||
                      (name.size() > 5 && name.substr(name.size() - 5) == ".json");
    if (name.empty()) name = json ? "brief.json" : "brief.toml";
    const std::string toml = json ? briefTomlFromJson(request.body) : request.body;
    core::ProjectBrief brief = core::ProjectBrief::parse(toml, name);
    brief.path = name;
    brief.validate(name);
    const core::FindResult result = core::SiteFinder(maps_.map(asOf), brief).find();
    ApiResponse r;
    r.body = core::findJson(result, version_);
    return r;
}

}  // namespace onemap::web
