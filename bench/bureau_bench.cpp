// onemap-bureau-bench [RUNS]: the bureau store's costs as JSON — one Argon2id verify at the
// production cost (the login budget is 300 ms), and audit appends per second on a fresh store.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onemap/core/bureau/password_hasher.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"

using namespace onemap::core::bureau;
using Clock = std::chrono::steady_clock;

namespace {
double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
    const PasswordHasher hasher;
    const Secret password("correct horse battery staple");
    const std::string stored = hasher.hash(password);
    std::vector<double> verify;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        if (!hasher.verify(stored, password)) return 3;
        verify.push_back(msSince(t0));
    }
    std::sort(verify.begin(), verify.end());

    const auto dir = std::filesystem::temp_directory_path() /
                     ("onemap-bureau-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    SqliteStoreOptions options;
    options.create = true;
    constexpr int kAppends = 200;
    double appendMs = 0;
    {
        SqliteBureauStore store((dir / "data").string(), options);
        const auto t0 = Clock::now();
        for (int i = 0; i < kAppends; ++i)
            store.append({"bench", "check", std::to_string(i), "", "", ""});
        appendMs = msSince(t0);
    }
    std::filesystem::remove_all(dir);

    nlohmann::json out;
    out["argon2id"] = {
        {"ops", hasher.cost().opsLimit},   {"mem_mib", hasher.cost().memLimitBytes >> 20},
        {"verify_ms_min", verify.front()}, {"verify_ms_median", verify[verify.size() / 2]},
        {"verify_ms_max", verify.back()},  {"runs", runs}};
    out["audit"] = {{"appends", kAppends}, {"appends_per_s", kAppends / (appendMs / 1000.0)}};
    std::cout << out.dump(2) << "\n";
    return 0;
}
