#include "register_watch.hpp"

#include <exception>

namespace onemap::web {

RegisterWatch::RegisterWatch(std::shared_ptr<core::bureau::BureauStore> store, MapStore& maps)
    : store_(std::move(store)), maps_(maps) {
    try {
        seen_ = store_->registerVersion();  // the one maps were loaded after this or with it
    } catch (const std::exception&) {
        seen_.clear();  // unknown: the first answer reloads
    }
    thread_ = std::thread([this] { run(); });
}

RegisterWatch::~RegisterWatch() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void RegisterWatch::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kPollInterval, [this] { return stopping_; })) {
        lock.unlock();
        try {
            const std::string now = store_->registerVersion();
            if (now != seen_) {
                seen_ = now;
                maps_.reload();
            }
        } catch (const std::exception&) {
            // The database away for a moment: asked again on the next tick.
        }
        lock.lock();
    }
}

}  // namespace onemap::web
