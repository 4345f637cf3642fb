// onemap export [PLAN] --layer ID|--all|--sites FILE --output PATH: layers (or sites) to
// Shapefile, GeoPackage, GeoJSON or FlatGeobuf with nothing lost (text, big numbers, NULLs,
// CRS, encoding), or to a 国土 TXT boundary-point file (--format guotu-txt).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/crs/web_map_datum.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

namespace fs = std::filesystem;

class ExportCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "export",
            "Write plan layers or sites to Shapefile, GeoPackage, GeoJSON, FlatGeobuf or 国土 TXT");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        addAsOfOption(sub, asOf_);
        sub->add_option("--layer", layer_, "the layer id to export");
        sub->add_flag("--all", all_,
                      "every layer (shapefiles: one per layer in the output folder)");
        sub->add_option("--sites", sites_,
                        "export these sites (as check reads them, in the plan CRS or --crs)");
        sub->add_option("--sites-crs", sitesCrs_,
                        "CRS of the sites when the file has none (a PROJ pipeline for a "
                        "1980西安 国土 TXT)");
        sub->add_option("-o,--output", output_, "output file (or folder for --all shapefiles)")
            ->required();
        sub->add_option(
            "--format", format_,
            "\"ESRI Shapefile\", GPKG, GeoJSON, FlatGeobuf or guotu-txt (国土 TXT; default: "
            "from the extension, .txt = guotu-txt)");
        sub->add_option("--encoding", encoding_,
                        "text encoding: UTF-8 (default) or GBK for shapefiles, GBK (default) or "
                        "UTF-8 for guotu-txt")
            ->check(CLI::IsMember({"UTF-8", "GBK"}));
        sub->add_option("--crs", crs_, "reproject to this CRS, e.g. EPSG:4490");
        sub->add_flag("--overwrite", overwrite_, "replace output files that already exist");
        sub->add_option("--from", from_, "the source coordinates are web-map offset: gcj02 or bd09")
            ->check(CLI::IsMember({"gcj02", "bd09"}));
        return sub;
    }

    int execute(Io& io) override {
        const bool sites = !sites_.empty();
        if (static_cast<int>(all_) + static_cast<int>(!layer_.empty()) + static_cast<int>(sites) !=
            1)
            throw InputError("export: give one of --layer ID, --all or --sites FILE");
        const core::Plan plan = loadPlan(plan_, asOf_);
        std::vector<const core::LayerSpec*> specs;
        if (all_) {
            for (const auto& l : plan.layers) specs.push_back(&l);
        } else if (!sites) {
            const auto* l = plan.layer(layer_);
            if (!l) throw InputError("export: the plan has no layer '" + layer_ + "'");
            specs.push_back(l);
        }

        std::string format = format_;
        std::string ext = fs::path(output_).extension().string();
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // A site format that writes (not a GDAL driver) takes its own extensions.
        const auto& siteFormats = gis::SiteFormatRegistry::instance();
        const gis::SiteFormat* writer = siteFormats.writerFor(output_);
        if (format.empty())
            format = all_ && ext.empty() ? "ESRI Shapefile"
                     : writer            ? std::string(writer->name())
                                         : gis::driverForPath(output_);
        const gis::SiteFormat* siteFormat = siteFormats.find(format);
        if (siteFormat && !siteFormat->canWrite()) siteFormat = nullptr;
        gis::WriteOptions options;
        options.format = format;
        options.encoding = encoding_;
        const bool folder = format == "ESRI Shapefile" && all_;
        if (siteFormat && !encoding_.empty()) {
            const auto encodings = siteFormat->writeEncodings();
            if (std::find(encodings.begin(), encodings.end(), encoding_) == encodings.end()) {
                std::string listed;
                for (const auto& e : encodings) listed += (listed.empty() ? "" : " or ") + e;
                throw InputError("export: " + format + " is written in " + listed);
            }
        }
        if (!folder && specs.size() > 1 && format != "GPKG")
            throw InputError("export --all: " + format +
                             " holds one layer; use .gpkg or a shapefile folder");
        // Outputs are checked before any work: never an input, never an existing file
        // without --overwrite, never in a missing folder.
        auto inputs = plan.files();
        if (sites) inputs.push_back(sites_);
        gis::OutputFiles outputs(inputs);
        std::vector<std::string> stagedAt;  // one per layer (shapefile folder) or one file
        if (folder) {
            outputs.makeFolder(output_);
            for (const auto* spec : specs)
                stagedAt.push_back(
                    outputs.stage((fs::path(output_) / (spec->id + ".shp")).string(), overwrite_));
        } else {
            stagedAt.push_back(outputs.stage(output_, overwrite_));
        }
        // Read and convert everything first: an error leaves no file behind.
        std::vector<gis::VectorLayer> layers;
        // A date_field layer is exported as it stood on the plan's day, as every command sees it.
        std::vector<std::string> notInForce;
        for (const auto* spec : specs) {
            gis::VectorLayer raw = core::readRaw(plan, *spec);
            if (!spec->dateField.empty()) core::keepInForce(plan, *spec, raw, notInForce);
            layers.push_back(convert(std::move(raw), *spec));
        }
        for (const auto& w : notInForce) io.err << "note: " << gis::oneLine(w) << "\n";
        if (sites) layers.push_back(reproject(readSites(plan, io)));

        // Written into the staging folders, read back and compared, and only then moved into
        // place together: a failed, interrupted or lossy export leaves nothing behind.
        std::vector<std::string> messages;
        outputs.writeAndCommit([&] {
            if (siteFormat) {
                // Written and read back by the format (the read back compared there).
                siteFormat->write(stagedAt[0], layers[0], {encoding_});
            } else if (folder || format == "ESRI Shapefile") {
                for (std::size_t i = 0; i < layers.size(); ++i) {
                    const fs::path at(stagedAt[i]);
                    const auto result = gis::writeLayer(at.string(), layers[i], options);
                    verifyReadBack(at, "", layers[i], result);
                    if (!result.renamedFields.empty())
                        messages.push_back(writeFieldMapping(at, result));
                }
            } else {
                std::vector<const gis::VectorLayer*> ptrs;
                for (const auto& l : layers) ptrs.push_back(&l);
                gis::writeLayers(stagedAt[0], ptrs, options);
                for (const auto& l : layers)
                    verifyReadBack(stagedAt[0], layers.size() > 1 ? l.name : "", l, {});
            }
        });
        for (const auto& m : messages) io.err << outputs.inUserTerms(m) << "\n";
        std::size_t n = 0;
        for (const auto& l : layers) n += l.features.size();
        io.err << "exported " << layers.size() << " layer(s), " << n << " features → " << output_
               << " (read back: identical)\n";
        return 0;
    }

  private:
    gis::VectorLayer convert(gis::VectorLayer layer, const core::LayerSpec& spec) const {
        layer.name = spec.id;
        if (const auto datum = gis::parseWebMapDatum(from_)) {
            if (gis::parseWebMapDatum(spec.crs))
                throw InputError("export --from " + from_ + ": layer '" + spec.id +
                                 "' is already crs = \"" + spec.crs +
                                 "\" in the plan, and its offset removed");
            if (!layer.crs.isGeographic())
                throw InputError("export --from " + from_ + ": layer '" + spec.id +
                                 "' is not in lon/lat (" + layer.crs.label() + ")");
            for (auto& f : layer.features) f.geometry = gis::removeWebMapOffset(f.geometry, *datum);
        }
        return reproject(std::move(layer));
    }

    // --crs: every geometry into the CRS asked for.
    gis::VectorLayer reproject(gis::VectorLayer layer) const {
        if (crs_.empty()) return layer;
        const auto target = gis::Crs::fromUserInput(crs_);
        if (!layer.crs.isKnown())
            throw InputError("export --crs: layer '" + layer.name + "' has no CRS to convert from");
        const gis::CoordinateTransform t(layer.crs, target);
        for (auto& f : layer.features) f.geometry = t.apply(f.geometry);
        layer.crs = target;
        return layer;
    }

    // The sites as check reads them (offsets removed, in the plan CRS, repaired), with the
    // attributes they came with; their warnings on stderr.
    gis::VectorLayer readSites(const core::Plan& plan, Io& io) const {
        core::SiteOptions options;
        options.sitesCrs = sitesCrs_;
        options.from = from_;
        const auto set = core::SiteSet::load(sites_, plan.crs, options);
        gis::VectorLayer layer = set.attributes;
        layer.name = fs::path(sites_).stem().string();
        layer.crs = plan.crs;
        for (const auto& site : set.sites) {
            layer.features[site.index].geometry = site.geometry;
            for (const auto& w : site.warnings)
                io.err << "onemap: warning: " << sites_ << ": site '" << site.id << "': " << w
                       << "\n";
        }
        return layer;
    }

    // Shortened DBF names, mapped in <name>.fields.csv beside the shapefile (it moves into
    // place with it); the line for stderr.
    static std::string writeFieldMapping(const fs::path& shp, const gis::WriteResult& result) {
        const fs::path csv = fs::path(shp).replace_extension(".fields.csv");
        std::string text = "original,short\n";
        for (const auto& m : result.renamedFields)
            text += "\"" + m.original + "\"," + "\"" + m.shortName + "\"\n";
        gis::writeFileAtomically(csv.string(), text);
        return shp.string() + ": " + std::to_string(result.renamedFields.size()) +
               " field name(s) shortened to the shapefile's 10 bytes; mapping in " + csv.string();
    }

    // Reads the written file back and compares it with the layer meant: every feature with
    // every value and the shape of its geometry. Order may change (FlatGeobuf sorts features
    // along its spatial index), so features are compared as sorted fingerprints.
    static void verifyReadBack(const fs::path& file, const std::string& table,
                               const gis::VectorLayer& meant, const gis::WriteResult& result) {
        const std::string shown = file.string();
        gis::ReadOptions read;
        read.table = table;
        fs::path source = file;
        std::error_code ec;
        if (source.extension() == ".shp" && !fs::exists(source, ec))
            source.replace_extension(".dbf");  // a table: the shapefile driver writes the .dbf
        const gis::VectorLayer back = gis::readLayer(source.string(), read);
        const auto lost = [&](const std::string& what) {
            return InputError(shown + ": layer '" + meant.name + "' read back differs: " + what);
        };
        if (back.features.size() != meant.features.size())
            throw lost(std::to_string(back.features.size()) + " features instead of " +
                       std::to_string(meant.features.size()));
        std::map<std::string, std::string> renamed;
        for (const auto& m : result.renamedFields) renamed[m.original] = m.shortName;
        std::vector<std::size_t> columns;
        for (const auto& f : meant.fields) {
            const auto it = renamed.find(f.name);
            const auto idx = back.fieldIndex(it == renamed.end() ? f.name : it->second);
            if (!idx) throw lost("field '" + f.name + "' is missing");
            columns.push_back(*idx);
        }
        struct Print {
            std::string key;
            std::int64_t fid;
            const gis::Geometry* geometry;
            bool operator<(const Print& o) const { return key < o.key; }
        };
        const auto fingerprints = [&](const gis::VectorLayer& l, bool isBack) {
            std::vector<Print> out;
            for (const auto& feat : l.features) {
                std::string key;
                for (std::size_t c = 0; c < meant.fields.size(); ++c) {
                    if (meant.fields[c].type == gis::FieldType::Date)
                        continue;  // drivers spell dates differently
                    std::string v = canonical(feat.values[isBack ? columns[c] : c]);
                    // Text holding a date may come back Date-typed (GeoJSON guesses types),
                    // spelt as GDAL spells dates: the same day.
                    if (isBack && back.fields[columns[c]].type == gis::FieldType::Date)
                        std::replace(v.begin(), v.begin() + std::min<std::size_t>(v.size(), 10),
                                     '/', '-');
                    key += v + '\x1f';
                }
                std::size_t points = 0;
                for (const auto& path : feat.geometry.paths()) points += path.size();
                key += std::to_string(feat.geometry.numParts()) + "/" + std::to_string(points);
                out.push_back({std::move(key), feat.fid, &feat.geometry});
            }
            std::stable_sort(out.begin(), out.end());
            return out;
        };
        const auto want = fingerprints(meant, false), got = fingerprints(back, true);
        for (std::size_t i = 0; i < want.size(); ++i) {
            if (want[i].key != got[i].key)
                throw lost("feature " + std::to_string(want[i].fid) +
                           " did not survive the round trip" + changedField(meant, back, columns));
            if (!sameShape(*want[i].geometry, *got[i].geometry))
                throw lost("feature " + std::to_string(want[i].fid) +
                           ": its geometry came back moved or reshaped");
        }
    }

    // Same place and size, to the last digits a format keeps (GeoJSON writes 15 significant
    // digits; a shapefile may turn rings the other way round, which moves no coordinate).
    static bool sameShape(const gis::Geometry& a, const gis::Geometry& b) {
        if (a.isEmpty() || b.isEmpty()) return a.isEmpty() == b.isEmpty();
        const auto ea = a.envelope(), eb = b.envelope();
        const double scale = std::max(
            {std::abs(ea.minx), std::abs(ea.maxx), std::abs(ea.miny), std::abs(ea.maxy), 1.0});
        const double tol = scale * 1e-11;
        const auto near = [](double x, double y, double t) { return std::abs(x - y) <= t; };
        return near(ea.minx, eb.minx, tol) && near(ea.miny, eb.miny, tol) &&
               near(ea.maxx, eb.maxx, tol) && near(ea.maxy, eb.maxy, tol) &&
               near(a.area(), b.area(), std::max(a.area(), 1.0) * 1e-9) &&
               near(a.length(), b.length(), std::max(a.length(), 1.0) * 1e-9);
    }

    // One spelling per value: 5 and 5.0 alike, reals in their shortest exact form.
    // Which field changed, by comparing each column's values as sets: "; field 'check': '…'
    // came back as '…'" (GeoJSON in GDAL 3.6, say, writes text that looks like JSON as JSON).
    static std::string changedField(const gis::VectorLayer& meant, const gis::VectorLayer& back,
                                    const std::vector<std::size_t>& columns) {
        for (std::size_t c = 0; c < meant.fields.size(); ++c) {
            if (meant.fields[c].type == gis::FieldType::Date) continue;
            std::multiset<std::string> a, b;
            for (const auto& f : meant.features) a.insert(canonical(f.values[c]));
            for (const auto& f : back.features) b.insert(canonical(f.values[columns[c]]));
            std::vector<std::string> onlyA, onlyB;
            std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(onlyA));
            std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(onlyB));
            if (onlyA.empty() || onlyB.empty()) continue;
            const bool date = back.fields[columns[c]].type == gis::FieldType::Date;
            if (date) continue;  // spelt otherwise: handled where the keys are made
            return "; field '" + meant.fields[c].name + "': '" + onlyA.front() +
                   "' came back as '" + onlyB.front() + "' (write a GeoPackage to keep it)";
        }
        return "";
    }

    static std::string canonical(const gis::Value& v) {
        if (gis::isNull(v)) return "\x01";
        if (const auto* s = std::get_if<std::string>(&v)) return *s;
        if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
        const double d = std::get<double>(v);
        if (std::trunc(d) == d && std::abs(d) < 9e18)
            return std::to_string(static_cast<std::int64_t>(d));
        char buf[400];
        const auto r = std::to_chars(buf, buf + sizeof buf, d);
        return std::string(buf, r.ptr);
    }

    std::string plan_, asOf_, layer_, output_, format_, encoding_, crs_, from_, sites_, sitesCrs_;
    bool all_ = false;
    bool overwrite_ = false;
};

}  // namespace

std::unique_ptr<Command> makeExportCommand() { return std::make_unique<ExportCommand>(); }

}  // namespace onemap::cli
