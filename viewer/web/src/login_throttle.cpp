#include "login_throttle.hpp"

#include <algorithm>
#include <cmath>

namespace onemap::web {

LoginThrottle::LoginThrottle(Limits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {}

double LoginThrottle::level(std::map<std::string, Bucket>& buckets, const std::string& key,
                            double burst, std::chrono::seconds refill,
                            std::chrono::steady_clock::time_point now) {
    auto [it, fresh] = buckets.try_emplace(key, Bucket{burst, now});
    Bucket& b = it->second;
    if (!fresh) {
        const std::chrono::duration<double> elapsed = now - b.at;
        b.tokens =
            std::min(burst, b.tokens + elapsed.count() / static_cast<double>(refill.count()));
        b.at = now;
    }
    return b.tokens;
}

void LoginThrottle::bound(std::map<std::string, Bucket>& buckets, double burst,
                          std::chrono::seconds refill,
                          std::chrono::steady_clock::time_point now) const {
    if (buckets.size() < limits_.maxKeys) return;
    // Full buckets say nothing: drop them. If an attacker keeps more than maxKeys partly
    // empty, start again rather than grow without bound.
    const auto fullAfter = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        refill * static_cast<long long>(std::ceil(burst)));
    std::erase_if(buckets, [&](const auto& kv) {
        return now - kv.second.at >= fullAfter || kv.second.tokens >= burst;
    });
    if (buckets.size() >= limits_.maxKeys) buckets.clear();
}

std::chrono::seconds LoginThrottle::take(const std::string& account, const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    bound(accounts_, limits_.accountBurst, limits_.accountRefill, now);
    bound(addresses_, limits_.addressBurst, limits_.addressRefill, now);
    const double a = level(accounts_, account, limits_.accountBurst, limits_.accountRefill, now);
    const double b = level(addresses_, address, limits_.addressBurst, limits_.addressRefill, now);
    if (a >= 1 && b >= 1) {
        accounts_[account].tokens -= 1;
        addresses_[address].tokens -= 1;
        return std::chrono::seconds(0);
    }
    // Time until both buckets hold one attempt again.
    const double waitA = a >= 1 ? 0 : (1 - a) * static_cast<double>(limits_.accountRefill.count());
    const double waitB = b >= 1 ? 0 : (1 - b) * static_cast<double>(limits_.addressRefill.count());
    return std::chrono::seconds(static_cast<long long>(std::ceil(std::max(waitA, waitB))));
}

void LoginThrottle::succeeded(const std::string& account) {
    std::lock_guard lock(mutex_);
    accounts_.erase(account);
}

}  // namespace onemap::web
