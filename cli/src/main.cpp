#include <iostream>

#include "onemap/cli/run.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return onemap::cli::run(args, std::cout, std::cerr);
}
