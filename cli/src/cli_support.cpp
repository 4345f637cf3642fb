#include <unistd.h>

#include <iostream>
#include <mutex>

#include "command.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/terminal_text.hpp"

#ifndef ONEMAP_VERSION
#define ONEMAP_VERSION "0.0.0"
#endif

namespace onemap::cli {

std::string planOrDefault(const std::string& plan) {
    return plan.empty() ? core::defaultPlanPath() : plan;
}

core::Plan loadPlan(const std::string& plan, const std::string& asOf) {
    core::Plan p = core::Plan::load(planOrDefault(plan));
    return asOf.empty() ? p : p.inForceOn(asOf);
}

// Every date option says "default: today" when left out; given empty ('' from a script whose
// variable was unset) it is a mistake, never today.
CLI::Validator isoDate() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (text.empty()) return "'' is not a date; write YYYY-MM-DD (or leave the option out)";
            if (!core::isIsoDate(text)) return "'" + text + "' is not a date; write YYYY-MM-DD";
            return "";
        },
        "YYYY-MM-DD");
}

void addAsOfOption(CLI::App* sub, std::string& asOf) {
    sub->add_option("--as-of", asOf,
                    "take every layer in its version in force on this day, YYYY-MM-DD "
                    "(default: today)")
        ->check(isoDate());
}

void addCacheOption(CLI::App* sub, bool& noCache) {
    sub->add_flag("--no-cache", noCache,
                  "read every layer from its source and hash every input again; use and write "
                  "no prepared-layer or hash cache ($XDG_CACHE_HOME/onemap)");
}

void requireDocumentSupport([[maybe_unused]] const std::string& command,
                            [[maybe_unused]] const std::string& format) {
#ifndef ONEMAP_WITH_REPORT
    if (format == "html" || format == "pdf")
        throw InputError(command + ": " + format +
                         " reports need onemap built with Qt; this build has none (use text "
                         "or json)");
#endif
}

void writeOutput(const std::string& path, const std::string& bytes, Io& io) {
    if (path.empty() || path == "-") {
        io.out << bytes;
        return;
    }
    gis::writeFileAtomically(path, bytes);
}

std::string version() { return ONEMAP_VERSION; }

namespace {
std::mutex feedbackMutex;  // workers report from several threads
}

CliFeedback::CliFeedback(std::ostream& err, bool verbose)
    : err_(err), verbose_(verbose), interactive_(&err == &std::cerr && ::isatty(2)) {}

CliFeedback::~CliFeedback() {
    if (interactive_ && !lastLine_.empty()) err_ << "\r\033[K" << std::flush;
}

void CliFeedback::progress(double fraction, const std::string& step) {
    if (!interactive_) return;
    std::lock_guard lock(feedbackMutex);
    const std::string line = step + " " + std::to_string(static_cast<int>(fraction * 100)) + "%";
    if (line == lastLine_) return;
    lastLine_ = line;
    err_ << "\r\033[K" << line << std::flush;
}

void CliFeedback::warning(const std::string& message) {
    std::lock_guard lock(feedbackMutex);
    // Data warnings all go into the report; the terminal shows the first few.
    if (++warnings_ <= 5)
        err_ << (interactive_ ? "\r\033[K" : "") << "warning: " << gis::oneLine(message) << "\n";
    else if (warnings_ == 6)
        err_ << (interactive_ ? "\r\033[K" : "") << "warning: (more warnings in the report)\n";
}

void CliFeedback::detail(const std::string& message) {
    if (!verbose_) return;
    std::lock_guard lock(feedbackMutex);
    err_ << (interactive_ ? "\r\033[K" : "") << "note: " << gis::oneLine(message) << "\n";
}

}  // namespace onemap::cli
