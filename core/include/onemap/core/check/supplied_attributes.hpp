#pragma once
// Figures a site file lacks, supplied with the run (docs/check.md, "Figures the site file
// lacks"): `--attr FIELD=VALUE` for every site and `--attr-table FILE.csv` per site id. A plain
// value: built by the command on one thread, then read by the SiteSet it is given to.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "onemap/gis/layer/feature.hpp"

namespace onemap::core {

class SuppliedAttributes {
  public:
    /// One `--attr FIELD=VALUE`: a number when VALUE reads as one, else text. Throws
    /// InputError "--attr …" for no '=', an empty field, a field given twice, a value that
    /// starts like a number and is not one ("1,8").
    void addForEverySite(const std::string& fieldEqualsValue);
    /// Reads `--attr-table`: a CSV (UTF-8 or GBK), a header row of field names whose first
    /// column is the site id, then one row per site. Throws InputError "FILE:LINE: …" for a
    /// duplicate id or field, a row of another width, an empty id, a bad number.
    void readTable(const std::string& path);

    [[nodiscard]] bool empty() const { return forEverySite_.empty() && tablePath_.empty(); }
    /// Whether `field` is supplied (for every site or as a column of the table).
    [[nodiscard]] bool has(const std::string& field) const;
    /// The value supplied for site `id`: NULL when the table has no row for it or its cell is
    /// empty.
    [[nodiscard]] gis::Value value(const std::string& siteId, const std::string& field) const;
    /// The fields supplied, each with what supplied it ("--attr", "FILE.csv").
    [[nodiscard]] std::map<std::string, std::string> fields() const;
    /// The table's site ids with the line of each (to refuse ids no site has).
    [[nodiscard]] const std::map<std::string, std::size_t>& tableIds() const { return lines_; }
    [[nodiscard]] const std::string& tablePath() const { return tablePath_; }

    /// A cell or a value as typed: NULL when blank, a number when it reads as one, else text;
    /// nullopt when it starts like a number ([+-.0-9]) and is not one.
    [[nodiscard]] static std::optional<gis::Value> parseValue(const std::string& text);

  private:
    std::map<std::string, gis::Value> forEverySite_;
    std::string tablePath_;
    std::vector<std::string> tableFields_;
    std::map<std::string, std::size_t> lines_;                         ///< id → line
    std::map<std::string, std::map<std::string, gis::Value>> bySite_;  ///< id → field → value
};

}  // namespace onemap::core
