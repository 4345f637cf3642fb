// jemalloc's built-in options for onemap's programs (linked by onemap_program; MALLOC_CONF
// in the environment still overrides). Transparent huge pages for its arenas: a check
// touches ~250 MB of fresh memory, and 4 KiB page faults were 14 % of a warm M check's
// CPU; with 2 MiB pages they fall from 46k to 6k per run (docs/performance.md, step 8).
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's (it reads this symbol at start-up).
const char* malloc_conf = "thp:always,metadata_thp:always";
}
