#pragma once
// GET / and the page's files from one folder: "/" is index.html, a content type by extension,
// and no path outside the folder — "..", "." and empty segments, backslashes and links that
// lead out are refused (400) or not found (404), never read. Read-only; any thread.
#include <string>

#include "onemap/web/api_request.hpp"

namespace onemap::web {

class StaticFiles {
  public:
    explicit StaticFiles(std::string root);
    ApiResponse serve(const ApiRequest& request) const;

  private:
    std::string root_;  ///< canonical; "" when there is no page folder
};

}  // namespace onemap::web
