#include "check_panel.hpp"

#include <QHeaderView>
#include <QVBoxLayout>
#include <algorithm>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/render/style.hpp"

namespace onemap::viewer {
namespace {

// The panel's words, in one place for the phrase table.
QString tabTitle(CheckPanel::Results which, const core::Report* report) {
    const QString name = which == CheckPanel::Results::Sites
                             ? QStringLiteral("审查选址 Sites")
                             : QStringLiteral("候选地块 Candidates");
    return report ? QString("%1 (%2)").arg(name).arg(report->sites.size()) : name;
}

QString emptyHeader(CheckPanel::Results which) {
    return which == CheckPanel::Results::Sites
               ? QStringLiteral(
                     "打开或绘制项目选址后进行合规审查 — open or draw sites to check them")
               : QStringLiteral("找地后在此列出候选地块 — find land to list candidates here");
}

}  // namespace

CheckPanel::CheckPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    tabs_ = new QTabBar(this);
    tabs_->addTab(tabTitle(Results::Sites, nullptr));
    tabs_->addTab(tabTitle(Results::Candidates, nullptr));
    tabs_->setExpanding(false);
    layout->addWidget(tabs_);
    summary_ = new QLabel(emptyHeader(Results::Sites), this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    // The list and the rules share the height: 30 sites and a site's 12 rows both fit at
    // 1000 px, and the planner may drag the handle.
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setChildrenCollapsible(false);
    sites_ = new QListWidget(splitter_);
    sites_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    sites_->setUniformItemSizes(true);
    rules_ = new QTableWidget(0, 3, splitter_);
    rules_->setHorizontalHeaderLabels(
        {QStringLiteral("规则 Rule"), QStringLiteral("结论"), QStringLiteral("量测 Measure")});
    rules_->horizontalHeader()->setStretchLastSection(true);
    rules_->verticalHeader()->setVisible(false);
    rules_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rules_->setWordWrap(true);
    rules_->setColumnWidth(0, 150);
    rules_->setColumnWidth(1, 50);
    splitter_->addWidget(sites_);
    splitter_->addWidget(rules_);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 1);
    layout->addWidget(splitter_, 1);
    connect(sites_, &QListWidget::currentRowChanged, this, [this](int row) {
        showRules(row);
        emit siteSelected(row);
    });
    connect(tabs_, &QTabBar::currentChanged, this, [this](int) {
        fill();
        emit resultsShown(shown());
    });
}

void CheckPanel::setReport(const core::Report* report, const QString& why) {
    setReport(Results::Sites, report, why);
}

void CheckPanel::setReport(Results which, const core::Report* report, const QString& why) {
    const auto i = static_cast<std::size_t>(which);
    reports_[i] = report;
    why_[i] = why;
    tabs_->setTabText(static_cast<int>(i), tabTitle(which, report));
    if (which == shown()) fill();
}

void CheckPanel::showResults(Results which) {
    if (which != shown()) tabs_->setCurrentIndex(static_cast<int>(which));
}

CheckPanel::Results CheckPanel::shown() const {
    return tabs_->currentIndex() == 1 ? Results::Candidates : Results::Sites;
}

const core::Report* CheckPanel::report() const { return report(shown()); }

const core::Report* CheckPanel::report(Results which) const {
    return reports_[static_cast<std::size_t>(which)];
}

std::vector<int> CheckPanel::selectedSites() const {
    std::vector<int> rows;
    for (const auto& index : sites_->selectionModel()->selectedRows()) rows.push_back(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void CheckPanel::fill() {
    const core::Report* report = this->report();
    const QSignalBlocker block(sites_);
    sites_->clear();
    rules_->setRowCount(0);
    if (!report) {
        const QString why = why_[static_cast<std::size_t>(shown())];
        summary_->setText(why.isEmpty() ? emptyHeader(shown()) : why);
        return;
    }
    const core::Lang lang = report->lang;
    core::Wording summary = core::sitesSummary(*report);
    if (!report->asOf.empty()) summary += core::Wording::same(" · ") + core::asOfLine(report->asOf);
    summary_->setText(QString::fromStdString(summary.in(lang)));
    for (const auto& s : report->sites) {
        auto* item = new QListWidgetItem(QString::fromStdString(
            s.id + "  " + s.name + "  [" + core::siteVerdictWording(s).in(lang) + "]"));
        item->setForeground(render::verdictTextColour(s.verdict()));
        sites_->addItem(item);
    }
}

void CheckPanel::selectSite(int index) { sites_->setCurrentRow(index); }

void CheckPanel::showRules(int index) {
    rules_->setRowCount(0);
    const core::Report* report = this->report();
    if (!report || index < 0 || index >= static_cast<int>(report->sites.size())) return;
    const auto& site = report->sites[static_cast<std::size_t>(index)];
    rules_->setRowCount(static_cast<int>(site.rules.size()) + 2);
    auto set = [&](int row, int col, const std::string& text, QColor colour = Qt::black) {
        auto* item = new QTableWidgetItem(QString::fromStdString(text));
        item->setForeground(colour);
        rules_->setItem(row, col, item);
    };
    std::string cities;
    for (const auto& a : site.admin) cities += (cities.empty() ? "" : " / ") + a.name;
    const core::Lang lang = report->lang;
    namespace phrase = core::phrase;
    set(0, 0, phrase::capArea.in(lang));
    set(0, 2, core::areaWording(site.areaM2).in(lang));
    set(1, 0, phrase::capCity.in(lang));
    set(1, 2, cities + (site.crossBoundary() ? "  " + phrase::crossBoundary.in(lang) : ""));
    for (std::size_t i = 0; i < site.rules.size(); ++i) {
        const auto& r = site.rules[i];
        const int row = static_cast<int>(i) + 2;
        set(row, 0, r.title);
        set(row, 1, core::ruleVerdictWording(r).in(lang), render::verdictTextColour(r.verdict()));
        set(row, 2, r.checked() ? r.summary.in(lang) : r.notChecked.in(lang));
        // Every measure the rule declared, captioned, for whoever wants the figures.
        std::string tip;
        for (const auto& m : r.measures)
            tip += (tip.empty() ? "" : "\n") + m.label.in(lang) + ": " + m.display().in(lang);
        rules_->item(row, 2)->setToolTip(QString::fromStdString(tip));
    }
    rules_->resizeRowsToContents();
}

}  // namespace onemap::viewer
