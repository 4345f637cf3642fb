// attribute: an indicator of the site (plot ratio, investment intensity) against a value.
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/core/rules/rule.hpp"
#include "rules/builtin_rules.hpp"

namespace onemap::core {
namespace {

template <typename T>
bool compare(const T& a, const std::string& op, const T& b) {
    if (op == ">=") return a >= b;
    if (op == ">") return a > b;
    if (op == "<=") return a <= b;
    if (op == "<") return a < b;
    if (op == "==") return a == b;
    return a != b;
}

class AttributeRule : public Rule {
  public:
    using Rule::Rule;

    [[nodiscard]] std::vector<std::string> siteFields() const override {
        return {spec().text("field")};
    }

    // A site file without the field is no error: the engine reports the rule not checked
    // on every site (Rule::whyNotCheckable), and so on a site whose value is NULL or blank.
    void bind(const OneMap& /*map*/) const override {}

    [[nodiscard]] RuleResult evaluate(const SiteContext& ctx) const override {
        RuleResult r = result();
        const gis::Value v = ctx.sites.value(ctx.site, spec().text("field"));
        const std::string op = spec().text("op");
        const ParamValue& want = spec().params.at("value");
        std::optional<double> limit;
        if (gis::isNull(v)) {
            r.passed = false;  // a missing indicator cannot be shown to comply
        } else if (const auto* n = std::get_if<double>(&want)) {
            const auto have = gis::toNumber(v);
            limit = *n;
            r.passed = have && compare(*have, op, *n);
        } else {
            r.passed = compare(gis::toString(v), op, std::get<std::string>(want));
        }
        r.measures.push_back(Measure::plain("value", phrase::mValue, v));
        if (limit) r.measures.push_back(Measure::plain("limit", phrase::mLimit, *limit));
        r.summary = gis::isNull(v)
                        ? phrase::indicatorMissing
                        : fill(phrase::indicatorValue, {Wording::same(gis::toString(v))});
        if (limit)
            r.summary +=
                fill(phrase::indicatorLimit, {Wording::same(gis::toString(gis::Value{*limit}))});
        return r;
    }
};

std::string checkOp(const ParamValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    static const std::vector<std::string> ops{">=", ">", "<=", "<", "==", "!="};
    if (!s || std::find(ops.begin(), ops.end(), *s) == ops.end())
        return "must be one of >= > <= < == !=";
    return "";
}

std::string checkValue(const ParamValue& v) {
    return std::holds_alternative<double>(v) || std::holds_alternative<std::string>(v)
               ? ""
               : "must be a number or text";
}

}  // namespace

RuleKind attributeKind() {
    RuleKind k;
    k.name = "attribute";
    k.label = phrase::kindIndicator;
    k.help = "a site field compared with a value; not checked where the field is missing or NULL";
    k.params = {{"field", ParamType::Field, true, std::nullopt, "site field", {}},
                {"op", ParamType::Text, true, std::nullopt, ">= > <= < == !=", checkOp},
                {"value", ParamType::Text, true, std::nullopt, "number or text", checkValue}};
    k.create = [](const RuleSpec& s) { return std::make_unique<AttributeRule>(s); };
    k.siteFieldParam = "field";
    return k;
}

}  // namespace onemap::core
