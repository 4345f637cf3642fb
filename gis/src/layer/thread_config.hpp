#pragma once
// A GDAL configuration option set for this thread only, for one read, then put back.
#include <cpl_conv.h>

#include <optional>
#include <string>

namespace onemap::gis::detail {

class ThreadConfig {
  public:
    ThreadConfig(const char* key, const char* value) : key_(key) {
        if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) old_ = old;
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadConfig() { CPLSetThreadLocalConfigOption(key_, old_ ? old_->c_str() : nullptr); }
    ThreadConfig(const ThreadConfig&) = delete;
    ThreadConfig& operator=(const ThreadConfig&) = delete;

  private:
    const char* key_;
    std::optional<std::string> old_;
};

}  // namespace onemap::gis::detail
