-- wrk script for bench/serve_tiles.sh: cycles over the tile paths listed in the file named by
-- the TILE_LIST environment variable (one path a line), each thread from its own starting
-- point, with the headers a browser sends (Accept-Encoding: gzip unless TILE_GZIP=0).
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("TILE_LIST")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  counter = math.random(#paths)
  if os.getenv("TILE_GZIP") ~= "0" then wrk.headers["Accept-Encoding"] = "gzip" end
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  io.write(string.format("tiles_per_s %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\nmax_ms %.2f\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors %d\n", summary.errors.status + summary.errors.connect +
                         summary.errors.read + summary.errors.write + summary.errors.timeout))
end
