#pragma once
// The one table of words a planner reads in a report — verdicts, measure captions, the
// sentences rules write, the captions of the text, CSV, HTML/PDF reports and the viewer — in
// Chinese and English (check/wording.hpp). Adding a phrase: one line in phrases.cpp.
// Constants, no state: any thread.
#include "onemap/core/check/report.hpp"
#include "onemap/core/check/wording.hpp"

namespace onemap::core {

[[nodiscard]] const Wording& verdictWording(Verdict v);
[[nodiscard]] const Wording& severityWording(Severity s);

namespace phrase {
// Measures (check/report.hpp).
extern const Wording areaPattern;  // {0} m², {1} 亩, {2} ha
extern const Wording listSeparator;
extern const Wording moreItems;  // {0} = how many more
// Rule sentences (core/src/rules).
extern const Wording overlap, featuresInvolved, ownRecordNotCounted;
extern const Wording insideShare;
extern const Wording distanceAtMost, distanceAtLeast, planarSuffix, layerEmpty;
extern const Wording indicatorValue, indicatorMissing, indicatorLimit;
extern const Wording quotaNoUnit, quotaNoLandOfLayer, quotaNoLand, quotaNotStated, quotaHead,
    quotaTransferredIn, quotaTransferredOut, quotaTail;
// Measure captions.
extern const Wording mOverlap, mByClass, mTolerance, mFeaturesInvolved, mInsideShare, mInsideArea,
    mOutsideArea, mMinimumShare, mFeaturesInside, mDistance, mNearest, mAtMost, mAtLeast, mMethod,
    mValue, mLimit, mUnit, mQuota, mTransferred, mUsed, mThisSite, mRemaining, mRemainingByUnit,
    mThisByUnit, mApprovedProjects;
// Kind labels.
extern const Wording kindNotOverlap, kindWithin, kindAtMost, kindAtLeast, kindIndicator, kindQuota;
// What a check covered (check/coverage_words.hpp).
extern const Wording partialSuffix, notChecked, reasonNoField, reasonNoValue, reasonNotInForce,
    reasonLeftOut, notInForce, rulesNotApplied, capReason, partialCount;
// The text report (core/report/text_report).
extern const Wording textHeader;  // {0} plan, {1} count, {2} sites path
extern const Wording asOfDay, versionFrom, area, city, crossBoundary, couldNotCheck;
extern const Wording summaryPrefix, summaryUnchecked, dataWarnings;
// The HTML/PDF report (viewer/report).
extern const Wording docTitle, docKicker, overviewTitle, capDate, capAsOf, capSoftware, capCrs,
    capSites, sitesCount, capId, capName, capCity, capAreaMu, capVerdict, capArea, ellipsoidalArea,
    capRule, capKind, capMeasure, auditTitle, capInputs, capVersions, capLayer, capFrom,
    capDocument, capSeverity, capRuleParams, capParams, capSoftwareVersions, capWarnings,
    warningsCount, moreInJson, capPlanFile, measureNotes, notAFile;
}  // namespace phrase

}  // namespace onemap::core
