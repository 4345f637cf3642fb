#include "onemap/gis/base/calendar.hpp"

#include <ctime>

namespace onemap::gis {

std::string todayIso() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

}  // namespace onemap::gis
