#pragma once
// What one client may take from the server: sizes, times, connections and queued work. A
// plain value given to Server at construction.
#include <chrono>
#include <cstddef>

namespace onemap::web {

struct ServerLimits {
    std::size_t bodyBytes = 64u << 20;    ///< larger bodies: 413, not read
    std::size_t headerBytes = 16u << 10;  ///< larger headers: 431
    /// From a request's first byte to its last: a client slower than this is dropped.
    std::chrono::milliseconds requestTimeout{30000};
    /// A keep-alive connection with no request for this long is closed.
    std::chrono::milliseconds idleTimeout{15000};
    std::size_t maxConnections = 1024;  ///< beyond: 503 and close
    std::size_t queuedRequests = 256;   ///< requests waiting for a worker; beyond: 503
    std::size_t workers = 0;            ///< request worker threads; 0 = the cores (at least 2)
    /// Sign-in attempts: a burst per account name, then one per refill period; the same per
    /// address. Beyond: 429 with Retry-After, no password checked.
    double loginBurstPerAccount = 5;
    std::chrono::seconds loginRefillPerAccount{60};
    double loginBurstPerAddress = 20;
    std::chrono::seconds loginRefillPerAddress{6};
    /// Comments on projects under 公示: a burst per address, then one per refill period; the
    /// same for all addresses together. Beyond: 429 with Retry-After.
    double commentBurstPerAddress = 5;
    std::chrono::seconds commentRefillPerAddress{120};
    double commentBurstInAll = 200;
    std::chrono::seconds commentRefillInAll{3};
    /// How long a session lasts from its sign-in.
    std::chrono::seconds sessionLifetime{8 * 3600};
};

}  // namespace onemap::web
