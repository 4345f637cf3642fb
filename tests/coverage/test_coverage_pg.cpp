// The street network's walking distances against pgRouting 3 on a private PostgreSQL
// (pgrouting_check.sh starts it): a random noded street layer loaded into PostGIS, cut into
// segments there (ST_DumpSegments), given its topology by pgr_createTopology (tolerance 0), and
// pgr_drivingDistance from a few facility nodes (undirected, equicost: each node's nearest
// facility) compared with StreetNetwork::distances node by node to 0.01 m. Without
// ONEMAP_TEST_PGROUTING_URL the case says so and passes.
#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "onemap/core/coverage/street_network.hpp"

namespace {

using onemap::core::StreetNetwork;
using onemap::gis::Geometry;
using onemap::gis::Point;

struct Connection {
    PGconn* pg;
    explicit Connection(const char* url) : pg(PQconnectdb(url)) {}
    ~Connection() { PQfinish(pg); }
    std::vector<std::vector<std::string>> query(const std::string& sql) {
        PGresult* r = PQexec(pg, sql.c_str());
        const auto status = PQresultStatus(r);
        INFO(sql.substr(0, 200) << " → " << PQerrorMessage(pg));
        REQUIRE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK));
        std::vector<std::vector<std::string>> rows;
        for (int i = 0; i < PQntuples(r); ++i) {
            rows.emplace_back();
            for (int j = 0; j < PQnfields(r); ++j) rows.back().push_back(PQgetvalue(r, i, j));
        }
        PQclear(r);
        return rows;
    }
};

std::string exact(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

TEST_CASE("Coverage: walking distances equal pgRouting's pgr_drivingDistance to 0.01 m",
          "[coverage_pg]") {
    const char* url = std::getenv("ONEMAP_TEST_PGROUTING_URL");
    if (!url) {
        WARN("ONEMAP_TEST_PGROUTING_URL is not set: run tests/coverage/pgrouting_check.sh");
        return;
    }
    Connection db(url);
    REQUIRE(PQstatus(db.pg) == CONNECTION_OK);
    std::mt19937_64 rng(60);
    std::uniform_real_distribution<double> jitter(-40, 40);
    std::bernoulli_distribution keep(0.85), split(0.3);
    // A jittered 14 × 14 street grid (≈ 200 m blocks, some missing), as lines through several
    // nodes each, cut at random nodes into separate features (noded: lines meet at vertices).
    const int n = 14;
    std::vector<std::vector<Point>> at(n, std::vector<Point>(n));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            at[i][j] = {500000 + 200.0 * i + jitter(rng), 3400000 + 200.0 * j + jitter(rng)};
    std::vector<std::vector<Point>> lines;
    for (int row = 0; row < n; ++row)
        for (const bool across : {true, false}) {
            std::vector<Point> line{across ? at[0][row] : at[row][0]};
            for (int k = 1; k < n; ++k) {
                const Point next = across ? at[k][row] : at[row][k];
                if (!keep(rng)) {  // a missing block ends the line
                    if (line.size() > 1) lines.push_back(line);
                    line = {next};
                    continue;
                }
                line.push_back(next);
                if (split(rng)) {
                    lines.push_back(line);
                    line = {next};
                }
            }
            if (line.size() > 1) lines.push_back(line);
        }
    std::vector<Geometry> geometries;
    std::string insert = "INSERT INTO streets (geom) VALUES ";
    for (std::size_t l = 0; l < lines.size(); ++l) {
        geometries.push_back(Geometry::lineString(lines[l]));
        std::string wkt = "LINESTRING(";
        for (std::size_t k = 0; k < lines[l].size(); ++k)
            wkt += (k ? "," : "") + exact(lines[l][k].x) + " " + exact(lines[l][k].y);
        insert += (l ? ",(" : "(") + std::string("ST_GeomFromText('") + wkt + ")', 4549))";
    }
    db.query("DROP TABLE IF EXISTS streets, edges, edges_vertices_pgr");
    db.query("CREATE TABLE streets (id serial PRIMARY KEY, geom geometry(LineString, 4549))");
    db.query(insert);
    db.query(
        "CREATE TABLE edges AS SELECT row_number() OVER ()::integer AS id, geom, "
        "NULL::integer AS source, NULL::integer AS target FROM (SELECT "
        "(ST_DumpSegments(geom)).geom::geometry(LineString, 4549) AS geom FROM streets) s");
    REQUIRE(db.query("SELECT pgr_createTopology('edges', 0.0, 'geom', 'id')")[0][0] == "OK");

    const StreetNetwork net(geometries);
    const auto vertices = db.query(
        "SELECT id, ST_X(the_geom), ST_Y(the_geom) FROM "
        "edges_vertices_pgr ORDER BY id");
    REQUIRE(vertices.size() == net.nodeCount());  // the same nodes, joined the same way
    std::map<std::pair<double, double>, std::size_t> nodeAt;
    for (std::size_t i = 0; i < net.nodeCount(); ++i) nodeAt[{net.node(i).x, net.node(i).y}] = i;
    std::map<std::string, std::size_t> ours;  // pgRouting's vertex id → our node
    for (const auto& v : vertices) {
        const auto found =
            nodeAt.find({std::strtod(v[1].c_str(), nullptr), std::strtod(v[2].c_str(), nullptr)});
        REQUIRE(found != nodeAt.end());
        ours[v[0]] = found->second;
    }
    const std::string edgesSql = "SELECT id, source, target, ST_Length(geom) AS cost FROM edges";
    std::uniform_int_distribution<std::size_t> pick(0, vertices.size() - 1);
    for (const double cutoff : {800.0, 1500.0, 1e6}) {
        std::string starts;
        std::vector<StreetNetwork::Source> sources;
        for (int s = 0; s < 4; ++s) {
            const auto& v = vertices[pick(rng)];
            starts += (s ? "," : "") + v[0];
            sources.push_back({ours.at(v[0]), 0});
        }
        const auto rows = db.query("SELECT node, agg_cost FROM pgr_drivingDistance('" + edgesSql +
                                   "', ARRAY[" + starts + "]::bigint[], " + exact(cutoff) +
                                   ", directed => false, equicost => true)");
        const auto mine = net.distances(sources, cutoff);
        std::vector<bool> seen(net.nodeCount(), false);
        for (const auto& r : rows) {
            const std::size_t node = ours.at(r[0]);
            seen[node] = true;
            INFO("cutoff " << cutoff << " node " << r[0]);
            REQUIRE(mine[node] == Approx(std::strtod(r[1].c_str(), nullptr)).margin(0.01));
        }
        std::size_t reached = 0;
        for (std::size_t i = 0; i < net.nodeCount(); ++i) {
            if (!seen[i]) REQUIRE(!(mine[i] < cutoff - 0.01));  // pgRouting did not reach it
            reached += seen[i] ? 1 : 0;
        }
        CHECK(reached == rows.size());
        CHECK(reached > 4);
    }
}
