#include "audit_api.hpp"

#include <nlohmann/json.hpp>

#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;

std::int64_t number(const ApiRequest& request, const std::string& name, std::int64_t fallback,
                    std::int64_t low, std::int64_t high) {
    const auto text = request.param(name);
    if (!text) return fallback;
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || v < low || v > high)
        throw HttpError(400, "?" + name + "=" + *text + ": a whole number from " +
                                 std::to_string(low) + " to " + std::to_string(high));
    return v;
}

/// A time bound: YYYY-MM-DD or a UTC time as records carry it ("2026-12-07T11:04:05Z").
std::string timeBound(const ApiRequest& request, const std::string& name) {
    const std::string text = request.param(name).value_or("");
    if (text.empty()) return "";
    const bool ok = text.size() >= 10 && text.size() <= 24 &&
                    text.find_first_not_of("0123456789-T:.Z") == std::string::npos &&
                    text[4] == '-' && text[7] == '-';
    if (!ok) throw HttpError(400, "?" + name + "=" + text + ": write YYYY-MM-DD or a UTC time");
    return text;
}

}  // namespace

std::string csvField(const std::string& text) {
    std::string t = text;
    if (!t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@' || t[0] == '\t'))
        t.insert(0, "'");
    if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
    std::string out = "\"";
    for (const char c : t) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

ApiResponse AuditApi::list(const ApiRequest& request) const {
    request.allowOnly({"actor", "action", "since", "until", "before", "limit", "format"});
    core::bureau::AuditFilter f;
    f.actor = request.param("actor").value_or("");
    f.action = request.param("action").value_or("");
    f.since = timeBound(request, "since");
    f.until = timeBound(request, "until");
    f.beforeSeq = number(request, "before", 0, 0, INT64_MAX);
    f.limit = number(request, "limit", 100, 1, kMaxLimit);
    const std::string format = request.param("format").value_or("json");
    if (format != "json" && format != "csv")
        throw HttpError(400, "?format=" + format + ": json or csv");
    writer_.flush();
    const auto records = store_->findRecords(f);
    ApiResponse r;
    r.headers.emplace_back("Cache-Control", "no-store");
    if (format == "csv") {
        r.contentType = "text/csv; charset=utf-8";
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit.csv\"");
        r.body = "\xEF\xBB\xBF";  // a BOM: spreadsheets then read the Chinese as UTF-8
        r.body +=
            "seq,time,actor,action,subject,detail,inputs_sha256,answer_sha256,prev_hash,"
            "hash\r\n";
        for (const auto& rec : records) {
            const auto& e = rec.entry;
            for (const std::string& field :
                 {std::to_string(rec.seq), rec.time, e.actor, e.action, e.subject, e.detail,
                  e.inputsSha256, e.answerSha256, rec.previousHash, rec.hash})
                r.body += csvField(field) + ",";
            r.body.back() = '\r';
            r.body += "\n";
        }
        return r;
    }
    Json list = Json::array();
    for (const auto& rec : records) {
        const auto& e = rec.entry;
        list.push_back({{"seq", rec.seq},
                        {"time", rec.time},
                        {"actor", e.actor},
                        {"action", e.action},
                        {"subject", e.subject},
                        {"detail", e.detail},
                        {"inputs_sha256", e.inputsSha256},
                        {"answer_sha256", e.answerSha256},
                        {"prev_hash", rec.previousHash},
                        {"hash", rec.hash}});
    }
    r.body = Json{{"records", list}}.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

ApiResponse AuditApi::verify(const ApiRequest& request) const {
    request.allowOnly({});
    writer_.flush();
    const auto v = store_->verify(std::nullopt);
    Json j{{"intact", v.intact}, {"records", v.records}, {"head", v.head.text()}};
    if (!v.intact) {
        j["first_bad"] = v.badSeq;
        j["reason"] = v.why;
    }
    ApiResponse r;
    r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace onemap::web
