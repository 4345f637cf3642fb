#pragma once
// A subcommand of `onemap`: declares its options on a CLI11 subcommand, then runs.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "onemap/core/check/feedback.hpp"
#include "onemap/core/plan/plan.hpp"

namespace onemap::cli {

struct Io {
    std::ostream& out;
    std::ostream& err;
};

class Command {
  public:
    virtual ~Command() = default;
    /// Declares the subcommand and its options on `app`; returns the subcommand.
    virtual CLI::App* setup(CLI::App& app) = 0;
    /// Runs after parsing; throws onemap::InputError for bad input.
    virtual int execute(Io& io) = 0;
};

/// Every subcommand, in the order `onemap --help` lists them.
std::vector<std::unique_ptr<Command>> allCommands();

/// The plan given on the command line, or the bundled G60 one map.
std::string planOrDefault(const std::string& plan);
/// That plan taken on `asOf` (YYYY-MM-DD), or on today's date when asOf is "".
core::Plan loadPlan(const std::string& plan, const std::string& asOf);
/// Refuses what is not a YYYY-MM-DD day, the empty text included: every date option takes it.
CLI::Validator isoDate();
/// The --as-of option, the same in every command that reads the plan's layers.
void addAsOfOption(CLI::App* sub, std::string& asOf);
/// --no-cache: read every layer from its source and keep nothing in the prepared-layer cache.
void addCacheOption(CLI::App* sub, bool& noCache);
/// A html or pdf report from a build without Qt is an InputError naming `command`, never
/// another format written under a .pdf name.
void requireDocumentSupport(const std::string& command, const std::string& format);
/// Writes bytes to `path` atomically, or to `io.out` when path is "" or "-".
void writeOutput(const std::string& path, const std::string& bytes, Io& io);
/// "0.1.0"
std::string version();

/// Progress on stderr, only when it is a terminal (tests and pipes stay clean).
class CliFeedback : public core::Feedback {
  public:
    /// `verbose`: details (how the work was done) are printed too.
    explicit CliFeedback(std::ostream& err, bool verbose = false);
    ~CliFeedback() override;
    void progress(double fraction, const std::string& step) override;
    void warning(const std::string& message) override;
    void detail(const std::string& message) override;

  private:
    std::ostream& err_;
    bool verbose_;
    bool interactive_;
    std::string lastLine_;
    std::size_t warnings_ = 0;
};

}  // namespace onemap::cli
