#include "user_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "onemap/core/bureau/password_hasher.hpp"
#include "onemap/core/check/plan_cities.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;
namespace bureau = core::bureau;

Json userJson(const bureau::User& u) {
    return {{"name", u.name},
            {"role", bureau::roleName(u.role)},
            {"role_label", bureau::roleLabel(u.role)},
            {"cities", u.cities},
            {"enabled", !u.disabled},
            {"created", u.created},
            {"changed", u.changed}};
}

ApiResponse jsonAnswer(const Json& j) {
    ApiResponse r;
    r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

/// The body as a JSON object of only `allowed` keys, each of the right type; HttpError 400.
Json objectBody(const ApiRequest& request, std::initializer_list<const char*> allowed,
                const std::string& shape) {
    if (request.body.size() > 16384) throw HttpError(413, "send a short JSON object: " + shape);
    Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object()) throw HttpError(400, "send a JSON object: " + shape);
    for (auto item = body.begin(); item != body.end(); ++item) {
        const std::string& key = item.key();
        const Json& value = item.value();
        if (std::none_of(allowed.begin(), allowed.end(),
                         [&key](const char* a) { return key == a; }))
            throw HttpError(400, "unknown key \"" + key.substr(0, 40) + "\"; send " + shape);
        const bool ok = key == "cities" ? value.is_array() : value.is_string();
        if (!ok)
            throw HttpError(
                400, "\"" + key + "\" must be " + (key == "cities" ? "a list of names" : "text"));
    }
    return body;
}

std::string requiredText(const Json& body, const char* key, const std::string& shape) {
    if (!body.contains(key))
        throw HttpError(400, std::string("\"") + key + "\" is missing; send " + shape);
    return body.at(key).get<std::string>();
}

bureau::Role roleIn(const Json& body, const std::string& shape) {
    const std::string text = requiredText(body, "role", shape);
    const auto role = bureau::parseRole(text);
    if (!role)
        throw HttpError(400, "role \"" + text.substr(0, 40) + "\": not one of " +
                                 bureau::roleNames() + " (or 公众, 企业, 规划, 审批, 管理)");
    return *role;
}

std::vector<std::string> citiesIn(const Json& body) {
    std::vector<std::string> out;
    for (const auto& c : body.value("cities", Json::array())) {
        if (!c.is_string()) throw HttpError(400, "\"cities\" must be a list of names");
        out.push_back(c.get<std::string>());
    }
    return out;
}

/// The password of the body as a Secret; the parsed copy is wiped.
bureau::Secret passwordIn(Json& body, const std::string& shape) {
    if (!body.contains("password")) throw HttpError(400, "\"password\" is missing; send " + shape);
    auto& typed = body["password"].get_ref<std::string&>();
    if (typed.size() > bureau::Secret::kMaxBytes) {
        std::fill(typed.begin(), typed.end(), '\0');
        throw HttpError(400, "the password is longer than " +
                                 std::to_string(bureau::Secret::kMaxBytes) + " bytes");
    }
    bureau::Secret password(typed);
    std::fill(typed.begin(), typed.end(), '\0');
    return password;
}

}  // namespace

bureau::User UserApi::named(const ApiRequest& request) const {
    const std::string& name = request.pathParams.at("name");
    auto user = store_->user(name);
    if (!user) throw HttpError(404, "no such user: " + name.substr(0, 128));
    return *user;
}

void UserApi::keepAnAdminBesides(const std::string& name) const {
    const auto all = store_->users();
    const bool another = std::any_of(all.begin(), all.end(), [&](const bureau::User& u) {
        return u.role == bureau::Role::Admin && !u.disabled && u.name != name;
    });
    if (!another)
        throw HttpError(
            409, "user \"" + name + "\" is the last enabled admin: make another admin first");
}

ApiResponse UserApi::list(const ApiRequest& request) const {
    request.allowOnly({});
    Json out = Json::array();
    for (const auto& u : store_->users()) out.push_back(userJson(u));
    return jsonAnswer({{"users", out}});
}

ApiResponse UserApi::add(const ApiRequest& request) {
    request.allowOnly({});
    const std::string shape = R"({"name": "…", "role": "…", "cities": ["…"], "password": "…"})";
    Json body = objectBody(request, {"name", "role", "cities", "password"}, shape);
    const bureau::Secret password = passwordIn(body, shape);
    const std::string name = requiredText(body, "name", shape);
    const bureau::Role role = roleIn(body, shape);
    const auto cities = citiesIn(body);
    bureau::checkName(name, "user name");
    for (const auto& c : cities) bureau::checkCity(c);
    core::checkCitiesInPlan(cities, maps_.declared(), "city");
    if (password.size() < bureau::PasswordHasher::kMinPasswordBytes)
        throw HttpError(400, "the password is shorter than " +
                                 std::to_string(bureau::PasswordHasher::kMinPasswordBytes) +
                                 " bytes");
    if (store_->user(name)) throw HttpError(409, "user \"" + name + "\": already exists");
    return jsonAnswer(
        userJson(store_->addUser(request.caller.name(), name, role, cities, password)));
}

ApiResponse UserApi::setPassword(const ApiRequest& request) {
    request.allowOnly({});
    const std::string shape = R"({"password": "…"})";
    Json body = objectBody(request, {"password"}, shape);
    const bureau::Secret password = passwordIn(body, shape);
    const bureau::User user = named(request);
    store_->setPassword(request.caller.name(), user.name, password);
    return jsonAnswer({{"name", user.name}, {"password_changed", true}});
}

ApiResponse UserApi::setRole(const ApiRequest& request) {
    request.allowOnly({});
    const std::string shape = R"({"role": "…", "cities": ["…"]})";
    const Json body = objectBody(request, {"role", "cities"}, shape);
    const bureau::Role role = roleIn(body, shape);
    const auto cities = citiesIn(body);
    for (const auto& c : cities) bureau::checkCity(c);
    core::checkCitiesInPlan(cities, maps_.declared(), "city");
    const std::lock_guard lock(changing_);
    const bureau::User user = named(request);
    if (user.role == bureau::Role::Admin && role != bureau::Role::Admin && !user.disabled)
        keepAnAdminBesides(user.name);
    return jsonAnswer(userJson(store_->setRole(request.caller.name(), user.name, role, cities)));
}

ApiResponse UserApi::disable(const ApiRequest& request) {
    request.allowOnly({});
    const std::lock_guard lock(changing_);
    const bureau::User user = named(request);
    if (user.name == request.caller.name())
        throw HttpError(409, "an admin cannot disable their own account");
    if (user.role == bureau::Role::Admin && !user.disabled) keepAnAdminBesides(user.name);
    store_->disableUser(request.caller.name(), user.name);
    return jsonAnswer(userJson(named(request)));
}

ApiResponse UserApi::logoutAll(const ApiRequest& request) {
    request.allowOnly({});
    const bureau::User user = named(request);
    const int closed = store_->closeSessions(request.caller.name(), user.name);
    return jsonAnswer({{"name", user.name}, {"sessions_closed", closed}});
}

}  // namespace onemap::web
