#include "onemap/web/http_error.hpp"

#include <nlohmann/json.hpp>

#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::web {

ApiResponse jsonError(int status, const std::string& message) {
    nlohmann::ordered_json j;
    j["error"] = gis::oneLine(message, 1000);
    ApiResponse r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return r;
}

}  // namespace onemap::web
