# One INTERFACE target carries the warning flags; every onemap target links it.
add_library(onemap_warnings INTERFACE)
target_compile_options(onemap_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)
