#pragma once
// One exception hierarchy for all of onemap. Messages say where (file:line,
// layer, rule, feature) and what is wrong; the CLI turns them into exit codes.
// Plain exception values: any thread may throw them; the catcher owns what it caught.
#include <stdexcept>
#include <string>

namespace onemap {

/// Any failure inside the library.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The user's input is at fault (bad file, bad plan, bad argument): exit code 2.
class InputError : public Error {
  public:
    using Error::Error;
};

}  // namespace onemap
