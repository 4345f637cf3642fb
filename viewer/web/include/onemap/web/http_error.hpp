#pragma once
// An HTTP error a handler throws (400 bad input, 404 unknown layer, ...) and the one JSON form
// every error takes, {"error": "..."}. Values; any thread.
#include <stdexcept>
#include <string>

#include "onemap/web/api_request.hpp"

namespace onemap::web {

class HttpError : public std::runtime_error {
  public:
    HttpError(int status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    [[nodiscard]] int status() const { return status_; }

  private:
    int status_;
};

/// {"error": message} with `status`; the message made one line of valid UTF-8.
[[nodiscard]] ApiResponse jsonError(int status, const std::string& message);

}  // namespace onemap::web
