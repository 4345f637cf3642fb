// The one table of report words: Chinese first, English beside it.
#include "onemap/core/check/phrases.hpp"

namespace onemap::core {

const Wording& verdictWording(Verdict v) {
    static const Wording pass{"合规", "pass"}, warn{"警示", "warn"}, fail{"不合规", "fail"},
        unchecked{"未能审查", "unchecked"};
    switch (v) {
        case Verdict::Pass:
            return pass;
        case Verdict::Warn:
            return warn;
        case Verdict::Unchecked:
            return unchecked;
        default:
            return fail;
    }
}

const Wording& severityWording(Severity s) {
    static const Wording error{"强制", "error"}, warning{"提示", "warning"};
    return s == Severity::Error ? error : warning;
}

namespace phrase {
// clang-format off
const Wording areaPattern{"{0} m²（{1} 亩，{2} 公顷）", "{0} m² ({1} 亩, {2} ha)"};
const Wording listSeparator{"、", ", "};
const Wording moreItems{"…（另 {0} 个）", ", … (+{0})"};

const Wording overlap{"占用 {0}", "overlap {0}"};
const Wording featuresInvolved{"；涉及 {0}", "; {0}"};
const Wording ownRecordNotCounted{"；登记册中本项目自身的记录 {0} 不计", "; its own record {0} not counted"};
const Wording insideShare{"位于范围内比例 {0}（要求不低于 {1}%），范围外 {2}",
                          "inside {0} (min {1}%), outside {2}"};
const Wording distanceAtMost{"距 {1} {0}（要求 ≤ {2} m{3}）", "{0} to {1} (need ≤ {2} m{3})"};
const Wording distanceAtLeast{"距 {1} {0}（要求 ≥ {2} m{3}）", "{0} to {1} (need ≥ {2} m{3})"};
const Wording planarSuffix{"，平面距离", ", planar"};
const Wording layerEmpty{"图层为空", "layer is empty"};
const Wording indicatorValue{"指标值 {0}", "value {0}"};
const Wording indicatorMissing{"指标值缺失 (NULL)", "value missing (NULL)"};
const Wording indicatorLimit{"（限值 {0}）", " (limit {0})"};
const Wording quotaNoUnit{"项目不在图层 '{0}' 的任何单元内：无指标可用",
                          "the site lies in no unit of layer '{0}': there is no quota to draw on"};
const Wording quotaNoLandOfLayer{"未占用图层 '{0}' 的土地：不动用指标", "takes no land of layer '{0}': no quota drawn"};
const Wording quotaNoLand{"未占用土地：不动用指标", "takes no land: no quota drawn"};
const Wording quotaNotStated{"{0} 未设指标 (NULL)；本项目 {1}", "{0} states no quota (NULL); this site {1}"};
const Wording quotaHead{"{0}：指标 {1}", "{0}: quota {1}"};
const Wording quotaTransferredIn{" + 调入 {0}", " + {0} transferred"};
const Wording quotaTransferredOut{" − 调出 {0}", " − {0} transferred"};
const Wording quotaTail{"，已批 {1} 个项目占用 {0}，本项目 {2} → 剩余指标 {3}",
                        ", used {0} by {1} approved, this site {2} → remaining {3}"};

const Wording mOverlap{"占用面积", "Overlap"};
const Wording mByClass{"按地类", "By class"};
const Wording mTolerance{"允许 (m²)", "Tolerance (m²)"};
const Wording mFeaturesInvolved{"涉及图斑", "Features"};
const Wording mInsideShare{"位于范围内比例", "Inside"};
const Wording mInsideArea{"范围内面积", "Inside"};
const Wording mOutsideArea{"范围外面积", "Outside"};
const Wording mMinimumShare{"最低比例", "Minimum"};
const Wording mFeaturesInside{"所在图斑", "Features"};
const Wording mDistance{"距离", "Distance"};
const Wording mNearest{"最近要素", "Nearest"};
const Wording mAtMost{"最大距离 (m)", "At most (m)"};
const Wording mAtLeast{"最小距离 (m)", "At least (m)"};
const Wording mMethod{"量测方式", "Method"};
const Wording mValue{"指标值", "Value"};
const Wording mLimit{"限值", "Limit"};
const Wording mUnit{"单元", "Unit"};
const Wording mQuota{"指标", "Quota"};
const Wording mTransferred{"调剂", "Transferred"};
const Wording mUsed{"已批占用", "Used by approved"};
const Wording mThisSite{"本项目", "This site"};
const Wording mRemaining{"剩余指标", "Remaining"};
const Wording mRemainingByUnit{"各单元剩余指标", "Remaining by unit"};
const Wording mThisByUnit{"各单元本项目", "This site by unit"};
const Wording mApprovedProjects{"已批项目", "Approved projects"};

const Wording kindNotOverlap{"不得占用", "must not overlap"};
const Wording kindWithin{"应位于范围内", "must be within"};
const Wording kindAtMost{"最大距离", "at most"};
const Wording kindAtLeast{"最小距离", "at least"};
const Wording kindIndicator{"指标", "indicator"};
const Wording kindQuota{"指标控制", "land quota"};

const Wording partialSuffix{"（部分审查）", " (partial)"};
const Wording notChecked{"未审查", "not checked"};
const Wording reasonNoField{"场地文件无字段 {0} — 用 --attr {0}=… 或 --attr-table 补充",
                            "{1} has no field {0}; supply it with --attr {0}=VALUE or --attr-table FILE.csv"};
const Wording reasonNoValue{"场地无 {0} 值 — 用 --attr-table 补充",
                            "the site has no value of {0}; supply it with --attr-table FILE.csv"};
const Wording reasonNotInForce{"{0}：{1} 无现行版本 — 未审查", "{0}: no version in force on {1} — not checked"};
const Wording reasonLeftOut{"未选用 (--rules)", "left out by --rules"};
const Wording notInForce{"无现行版本", "No version in force"};
const Wording rulesNotApplied{"未审查规则", "Rules not applied"};
const Wording capReason{"原因", "Reason"};
const Wording partialCount{"，{0} 部分审查", ", {0} partial"};
const Wording textHeader{"{0}  —  {1} 个项目，来自 {2}", "{0}  —  {1} sites from {2}"};
const Wording asOfDay{"规划基准日 {0}", "as of {0}"};
const Wording versionFrom{"{0} 自 {1} 起施行", "{0} from {1}"};
const Wording area{"面积", "area"};
const Wording city{"所在城市", "city"};
const Wording crossBoundary{"（跨行政区）", "(cross-boundary)"};
const Wording couldNotCheck{"未能审查：", "could not be checked: "};
const Wording summaryPrefix{"汇总：", "Summary: "};
const Wording summaryUnchecked{"，{0} 个未能审查", ", {0} could not be checked"};
const Wording dataWarnings{"数据警告 {0} 条：", "{0} data warning(s):"};

const Wording docTitle{"选址合规性审查报告", "Site-selection compliance report"};
const Wording docKicker{"项目选址合规性审查", "Site-selection compliance review"};
const Wording overviewTitle{"{0} — 项目选址总览", "{0} — sites overview"};
const Wording capDate{"报告日期", "Report date"};
const Wording capAsOf{"规划基准日", "Plan as of"};
const Wording capSoftware{"软件", "Software"};
const Wording capCrs{"坐标系", "CRS"};
const Wording capSites{"审查项目", "Sites"};
const Wording sitesCount{"{0} 个项目 — {1} 合规，{2} 警示，{3} 不合规", "{0} sites — {1} pass, {2} warn, {3} fail"};
const Wording capId{"编号", "ID"};
const Wording capName{"项目名称", "Name"};
const Wording capCity{"所在城市", "City"};
const Wording capAreaMu{"面积 (亩)", "Area (亩)"};
const Wording capVerdict{"结论", "Verdict"};
const Wording capArea{"用地面积", "Area"};
const Wording ellipsoidalArea{"CGCS2000 椭球面积", "CGCS2000 ellipsoidal area"};
const Wording capRule{"审查规则", "Rule"};
const Wording capKind{"类型", "Kind"};
const Wording capMeasure{"量测", "Measure"};
const Wording auditTitle{"附录：审查依据与过程", "Appendix: audit trail"};
const Wording capInputs{"输入文件 (SHA-256)", "Inputs (SHA-256)"};
const Wording capVersions{"图层版本（规划基准日 {0}）", "Layer versions, as of {0}"};
const Wording capLayer{"图层", "Layer"};
const Wording capFrom{"施行日期", "In force from"};
const Wording capDocument{"批准文件", "Document"};
const Wording capRuleParams{"规则参数", "Rule parameters"};
const Wording capSeverity{"强制性", "Severity"};
const Wording capParams{"参数", "Parameters"};
const Wording capSoftwareVersions{"软件版本", "Software"};
const Wording capWarnings{"警告", "Warnings"};
const Wording warningsCount{"共 {0} 条警告。", "{0} warning(s)."};
const Wording moreInJson{"… 另有 {0} 条，见 JSON 报告", "… {0} more in the JSON report"};
const Wording capPlanFile{"规划文件：{0}", "Plan file: {0}"};
const Wording measureNotes{
    "面积为 CGCS2000 (GRS80) 椭球面积；1 亩 = 10000/15 m²；距离为椭球面测地线距离（规则注明平面距离者为 {0} 平面距离）；重叠面积小于 0.01 m² 视为零。",
    "Areas are CGCS2000 (GRS80) ellipsoidal areas; 1 亩 = 10000/15 m²; distances are geodesic on the ellipsoid (planar in {0} where a rule says so); overlaps under 0.01 m² count as none."};
const Wording notAFile{"（非文件）", "(not a file)"};
// clang-format on
}  // namespace phrase

}  // namespace onemap::core
