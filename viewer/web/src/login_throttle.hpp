#pragma once
// Private: how many sign-in attempts the server takes, per account name and per address, as
// token buckets: a burst, then one attempt more per refill period. An account under attack is
// slowed, never locked for good: its bucket fills again while no one tries. Attempts over the
// limit are refused before any password is hashed. In memory, per server process; bounded in
// size. Any thread.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace onemap::web {

class LoginThrottle {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    struct Limits {
        double accountBurst = 5;
        std::chrono::seconds accountRefill{60};
        double addressBurst = 20;
        std::chrono::seconds addressRefill{6};
        std::size_t maxKeys = 100000;  ///< buckets kept at most (full ones are dropped first)
    };

    explicit LoginThrottle(Limits limits, Clock clock = &std::chrono::steady_clock::now);

    /// Takes one attempt for `account` from `address`: zero when it may go ahead, else how long
    /// to wait before the next attempt can (nothing taken then).
    [[nodiscard]] std::chrono::seconds take(const std::string& account, const std::string& address);
    /// After a successful sign-in: the account's bucket is full again.
    void succeeded(const std::string& account);

  private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at;
    };
    double level(std::map<std::string, Bucket>& buckets, const std::string& key, double burst,
                 std::chrono::seconds refill, std::chrono::steady_clock::time_point now);
    void bound(std::map<std::string, Bucket>& buckets, double burst, std::chrono::seconds refill,
               std::chrono::steady_clock::time_point now) const;

    Limits limits_;
    Clock clock_;
    std::mutex mutex_;
    std::map<std::string, Bucket> accounts_;
    std::map<std::string, Bucket> addresses_;
};

}  // namespace onemap::web
