#pragma once
// Private: with the register in the bureau's database, other servers approve into it too. A
// RegisterWatch asks the store for the register's version (a count and the last id: one cheap
// query) every kPollInterval on a thread of its own, and forgets the loaded one maps when it
// changed, so that ordinary checks here see another server's approval within about
// kPollInterval plus the time a reload takes. (Approvals never rely on it: they read the
// register afresh under its lock.) Store errors are ignored and tried again on the next tick.
// Made and destroyed by one thread; stops in its destructor.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class RegisterWatch {
  public:
    static constexpr std::chrono::milliseconds kPollInterval{1000};

    RegisterWatch(std::shared_ptr<core::bureau::BureauStore> store, MapStore& maps);
    ~RegisterWatch();
    RegisterWatch(const RegisterWatch&) = delete;
    RegisterWatch& operator=(const RegisterWatch&) = delete;

  private:
    void run();

    std::shared_ptr<core::bureau::BureauStore> store_;
    MapStore& maps_;
    std::string seen_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace onemap::web
