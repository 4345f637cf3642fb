#pragma once
// "国土 TXT": the boundary-point coordinate file (界址点坐标文件) of Chinese land surveys and
// land-use approvals (勘测定界, 建设用地报批). A [属性描述] header (datum, Gauss-Kruger zone)
// and a [地块坐标] section: per parcel a line "界址点数,地块面积(ha),地块编号,地块名称,面,图幅号,
// 地块用途,地类编码,…,@" and its points "点号,圈号,X(northing),Y(easting)". See docs/data-io.md.
#include <string>

#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::gis {

struct GuotuReadOptions {
    /// What the user said about the coordinates (--sites-crs), "" = nothing:
    ///  - a PROJ pipeline ("+proj=pipeline ..."): the datum shift for a 1980西安 / 1954北京
    ///    file without 转换参数. It takes the file's coordinates as written (x = easting Y,
    ///    zone prefix included if the file has one; y = northing X) and gives CGCS2000
    ///    Gauss-Kruger coordinates of the same zone and the same false easting;
    ///  - a CRS: used when the header states none; must agree with the one it states.
    std::string crs;
};

/// Reads every parcel (地块) as one feature, fid 1, 2, … in file order: fields id (地块编号),
/// name (地块名称), 地块面积 (declared, ha), 图幅号, 地块用途, 地类编码, then 字段9, 字段10, …
/// for further header fields. 圈号 rings are classified by geometry: a ring inside another
/// is its hole, one outside all others another part. The CRS comes from the header (CGCS2000
/// zones as their EPSG codes; 1980西安 / 1954北京 only with 转换参数 or a pipeline, and then
/// returned in CGCS2000). A declared area off the computed one goes into VectorLayer::notes
/// as "… of feature N …"; rings written without their closing point are closed, with one note
/// counting them. GBK or UTF-8, CRLF or LF; the exporters' dialects of docs/data-io.md.
/// Throws InputError "path:LINE: …" for any malformed line, a ring of fewer than 3 distinct
/// points, a point count that fits no reading, zone disagreement.
[[nodiscard]] VectorLayer readGuotuTxt(const std::string& path,
                                       const GuotuReadOptions& options = {});

/// A .txt file (any case) whose text has a "[属性描述]" or "[地块坐标]" line, in UTF-8 or GBK.
[[nodiscard]] bool looksLikeGuotuTxt(const std::string& path);

struct GuotuWriteOptions {
    std::string encoding = "GBK";     ///< or "UTF-8"
    std::string producer = "onemap";  ///< 数据产生单位
    std::string date;                 ///< 数据产生日期, "" = today (YYYY-MM-DD)
    int decimals = 3;                 ///< coordinate decimals (3 = mm); 精度 = 10^-decimals
    bool crlf = true;                 ///< line ends, CRLF as Windows survey software writes
};

/// The file's bytes for the polygons of `layer`, in its CRS, which must be a CGCS2000,
/// 1980西安 or 1954北京 Gauss-Kruger 3°/6° zone (with or without the zone prefix). Each
/// feature is one parcel: 地块编号 from field 地块编号, else id, else the fid; 地块名称 from
/// 地块名称, else name; 图幅号, 地块用途, 地类编码 and 字段N from fields so named. Rings are
/// written exterior clockwise and holes counter-clockwise, each from its north-west vertex,
/// points J1, J2, … per parcel; 地块面积 is the planar area of the written coordinates in ha
/// to 4 decimals. InputError for: another CRS, a feature that is not a polygon, an empty
/// layer, text with a comma or line break, text the encoding cannot hold.
[[nodiscard]] std::string formatGuotuTxt(const VectorLayer& layer,
                                         const GuotuWriteOptions& options = {});
/// formatGuotuTxt, written atomically.
void writeGuotuTxt(const std::string& path, const VectorLayer& layer,
                   const GuotuWriteOptions& options = {});

}  // namespace onemap::gis
