#include "session_api.hpp"

#include <nlohmann/json.hpp>

#include "gate.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;
namespace bureau = core::bureau;

std::string cookie(const std::string& value, long long maxAge, bool secure) {
    return std::string(Gate::kCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; " +
           "Max-Age=" + std::to_string(maxAge) + (secure ? "; Secure" : "");
}

Json userJson(const bureau::User& u) {
    return {{"user", u.name},
            {"role", bureau::roleName(u.role)},
            {"role_label", bureau::roleLabel(u.role)},
            {"cities", u.cities}};
}

ApiResponse jsonAnswer(const Json& j) {
    ApiResponse r;
    r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

SessionApi::SessionApi(std::shared_ptr<bureau::BureauStore> store, LoginThrottle::Limits limits,
                       std::chrono::seconds lifetime)
    : store_(std::move(store)), throttle_(limits), lifetime_(lifetime) {}

ApiResponse SessionApi::login(const ApiRequest& request) {
    request.allowOnly({});
    if (request.body.size() > 4096) throw HttpError(413, "a login is a short JSON object");
    Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("user") || !body.contains("password") ||
        !body["user"].is_string() || !body["password"].is_string())
        throw HttpError(400, "send {\"user\": \"…\", \"password\": \"…\"}");
    const std::string name = body["user"].get<std::string>();
    bureau::Secret password(body["password"].get_ref<const std::string&>());
    // The parsed copy of the password is wiped, as Secret wipes its own.
    auto& typed = body["password"].get_ref<std::string&>();
    std::fill(typed.begin(), typed.end(), '\0');
    if (name.empty() || name.size() > 128 || password.size() > bureau::Secret::kMaxBytes)
        throw HttpError(401, "wrong user name or password");

    if (const auto wait = throttle_.take(name, request.remoteAddress); wait.count() > 0) {
        ApiResponse r = jsonError(
            429, "too many sign-in attempts; try again in " + std::to_string(wait.count()) + " s");
        r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
        return r;
    }
    const auto user = store_->authenticate(name, password, request.remoteAddress);
    if (!user) throw HttpError(401, "wrong user name or password");
    throttle_.succeeded(name);
    // A session the client already held (set by whoever) ends here: the new one is fresh.
    if (const std::string old = Gate::sessionToken(request.cookie); !old.empty())
        store_->closeSession(old);
    const auto opened = store_->openSession(*user, request.remoteAddress, lifetime_);
    Json j = userJson(*user);
    j["expires"] = opened.session.expires;
    j["csrf_token"] = opened.csrfToken;
    ApiResponse r = jsonAnswer(j);
    r.headers.emplace_back("Set-Cookie", cookie(opened.token, lifetime_.count(), request.secure));
    return r;
}

ApiResponse SessionApi::logout(const ApiRequest& request) {
    request.allowOnly({"everywhere"});
    const bool everywhere = request.param("everywhere").value_or("false") == "true";
    int closed = 1;
    if (everywhere)
        closed = store_->closeSessions(request.caller.name(), request.caller.name());
    else
        store_->closeSession(Gate::sessionToken(request.cookie));
    ApiResponse r = jsonAnswer({{"signed_out", true}, {"sessions_closed", closed}});
    r.headers.emplace_back("Set-Cookie", cookie("", 0, request.secure));
    return r;
}

ApiResponse SessionApi::whoAmI(const ApiRequest& request) const {
    request.allowOnly({});
    const auto& session = request.caller.session;
    if (!session)
        return jsonAnswer({{"signed_in", false}, {"role", "public"}, {"role_label", "公众"}});
    Json j = userJson(session->user);
    j["signed_in"] = true;
    j["expires"] = session->expires;
    return jsonAnswer(j);
}

}  // namespace onemap::web
