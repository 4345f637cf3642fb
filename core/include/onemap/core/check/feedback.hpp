#pragma once
// Progress, warnings and cancellation for long work. The caller owns the Feedback; the work
// calls it from its worker threads, so an implementation must be thread-safe (cancel() is).
#include <atomic>
#include <exception>
#include <string>

namespace onemap::core {

/// Progress reporting and cancellation for long work (as QGIS's QgsFeedback): the CLI
/// prints a progress line, the viewer moves a progress bar and offers Cancel.
class Feedback {
  public:
    virtual ~Feedback() = default;
    /// fraction in [0,1] of the current step, and what the step is.
    virtual void progress(double /*fraction*/, const std::string& /*step*/) {}
    /// A warning worth showing as it happens (the report keeps all of them too).
    virtual void warning(const std::string& /*message*/) {}
    /// How the work was done, for a --verbose run (a layer read whole instead of near the
    /// sites, and why); not part of any result.
    virtual void detail(const std::string& /*message*/) {}
    void cancel() { cancelled_ = true; }
    [[nodiscard]] bool isCancelled() const { return cancelled_; }

  private:
    std::atomic<bool> cancelled_{false};
};

/// Thrown when work stops because Feedback::cancel() was called.
struct Cancelled : std::exception {
    [[nodiscard]] const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace onemap::core
