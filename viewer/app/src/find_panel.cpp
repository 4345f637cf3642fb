#include "find_panel.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/crs/area_units.hpp"

namespace onemap::viewer {
namespace {

QTableWidget* table(QWidget* parent, const QStringList& headers) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    return t;
}

void setRow(QTableWidget* t, int row, const QStringList& cells) {
    for (int c = 0; c < static_cast<int>(cells.size()); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

FindPanel::FindPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(buildForm());
    layout->addWidget(scroll, 3);

    auto* buttons = new QHBoxLayout;
    auto* find = new QPushButton(QStringLiteral("查找 Find"), this);
    auto* load = new QPushButton(QStringLiteral("载入需求… Load brief"), this);
    auto* exportButton = new QPushButton(QStringLiteral("导出候选… Export"), this);
    buttons->addWidget(find);
    buttons->addWidget(load);
    buttons->addWidget(exportButton);
    layout->addLayout(buttons);
    connect(find, &QPushButton::clicked, this, &FindPanel::findRequested);
    connect(load, &QPushButton::clicked, this, &FindPanel::loadBriefRequested);
    connect(exportButton, &QPushButton::clicked, this, &FindPanel::exportRequested);

    summary_ =
        new QLabel(QStringLiteral("填写项目需求后查找 — fill in the brief and find land"), this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summary_);
    candidates_ = table(
        this, {QStringLiteral("编号 Id"), QStringLiteral("名次"), QStringLiteral("得分 Score"),
               QStringLiteral("Pareto"), QStringLiteral("亩"), QStringLiteral("城市 City"),
               QStringLiteral("园区 Park"), QStringLiteral("站点 Station")});
    layout->addWidget(candidates_, 2);
    terms_ = table(this, {QStringLiteral("项 Term"), QStringLiteral("值"), QStringLiteral("权重"),
                          QStringLiteral("依据 Detail")});
    layout->addWidget(terms_, 1);
    connect(candidates_, &QTableWidget::currentCellChanged, this, [this](int row) {
        showTerms(row);
        emit candidateSelected(row);
    });
}

QWidget* FindPanel::buildForm() {
    auto* form = new QWidget;
    auto* rows = new QFormLayout(form);
    auto* areaRow = new QHBoxLayout;
    area_ = new QDoubleSpinBox(form);
    area_->setRange(0, 1e9);
    area_->setDecimals(4);  // 亩 to 0.07 m²
    area_->setValue(150);
    areaUnit_ = new QComboBox(form);
    areaUnit_->addItems({QStringLiteral("亩"), QStringLiteral("m²")});
    areaRow->addWidget(area_, 1);
    areaRow->addWidget(areaUnit_);
    rows->addRow(QStringLiteral("面积 Area"), areaRow);
    industry_ = new QComboBox(form);
    industry_->setEditable(true);
    rows->addRow(QStringLiteral("产业 Industry"), industry_);
    cities_ = new QListWidget(form);
    cities_->setMaximumHeight(90);
    rows->addRow(QStringLiteral("城市 Cities"), cities_);
    count_ = new QSpinBox(form);
    count_->setRange(1, 100);
    count_->setValue(5);
    rows->addRow(QStringLiteral("数量 Count"), count_);
    maxAspect_ = new QDoubleSpinBox(form);
    maxAspect_->setRange(1, 20);
    maxAspect_->setValue(2);
    rows->addRow(QStringLiteral("长宽比 ≤ Max aspect"), maxAspect_);
    minWidth_ = new QDoubleSpinBox(form);
    minWidth_->setRange(0, 1e5);
    minWidth_->setSuffix(QStringLiteral(" m"));
    rows->addRow(QStringLiteral("最小宽度 Min width"), minWidth_);

    auto* attributes = new QGroupBox(QStringLiteral("项目指标 Attributes"), form);
    attributeForm_ = new QFormLayout(attributes);
    rows->addRow(attributes);
    auto* weights = new QGroupBox(QStringLiteral("权重 Weights"), form);
    auto* weightForm = new QFormLayout(weights);
    for (const auto& name : core::scoreTermNames()) {
        auto* w = new QDoubleSpinBox(weights);
        w->setRange(0, 100);
        w->setValue(1);
        weightForm->addRow(q(name), w);
        weights_.emplace_back(name, w);
    }
    rows->addRow(weights);
    return form;
}

void FindPanel::setMap(const core::OneMap& map) {
    industry_->clear();
    cities_->clear();
    while (attributeForm_->rowCount() > 0) attributeForm_->removeRow(0);
    attributes_.clear();
    QStringList industries;
    for (const auto& rule : map.plan().rules) {
        if (const std::string& param =
                core::RuleRegistry::instance().kind(rule.kind).siteFieldParam;
            !param.empty()) {
            const std::string field = rule.text(param);
            const bool known = std::any_of(attributes_.begin(), attributes_.end(),
                                           [&](const auto& a) { return a.first == field; });
            if (field.empty() || known) continue;
            auto* edit = new QLineEdit(attributeForm_->parentWidget());
            edit->setPlaceholderText(QStringLiteral("不填则不审查 — empty: not checked"));
            attributeForm_->addRow(q(field), edit);
            attributes_.emplace_back(field, edit);
        }
        const auto match = rule.params.find("match");
        if (match == rule.params.end()) continue;
        const auto* spec = std::get_if<std::map<std::string, std::string>>(&match->second);
        const auto* layer = map.layer(rule.text("layer"));
        if (!spec || !layer || !spec->count("layer")) continue;
        const auto field = layer->data().fieldIndex(spec->at("layer"));
        if (!field) continue;
        for (const auto& f : layer->data().features) {
            const QString v = q(gis::toString(f.values[*field]));
            if (!v.isEmpty() && !industries.contains(v)) industries << v;
        }
    }
    industry_->addItem(QString());  // no industry: match rules are left out
    industry_->addItems(industries);
    if (const auto* admin = map.adminLayer()) {
        for (std::size_t i = 0; i < admin->size(); ++i) {
            auto* item = new QListWidgetItem(q(admin->label(i)), cities_);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
    }
    setResult(nullptr);
}

core::ProjectBrief FindPanel::brief() const {
    core::ProjectBrief b;
    b.name = name_;
    b.path = path_;
    b.areaM2 = area_->value() * (areaUnit_->currentIndex() == 0 ? gis::kSquareMetresPerMu : 1.0);
    b.industry = industry_->currentText().trimmed().toStdString();
    for (int i = 0; i < cities_->count(); ++i)
        if (cities_->item(i)->checkState() == Qt::Checked)
            b.cities.push_back(cities_->item(i)->text().toStdString());
    b.count = count_->value();
    b.maxAspect = maxAspect_->value();
    b.minWidthM = minWidth_->value();
    for (const auto& [field, edit] : attributes_) {
        const QString text = edit->text().trimmed();
        if (text.isEmpty()) continue;
        bool number = false;
        const double v = text.toDouble(&number);
        b.attributes[field] = number ? gis::Value{v} : gis::Value{text.toStdString()};
    }
    for (const auto& [name, w] : weights_)
        if (w->value() != 1.0) b.weights[name] = w->value();
    return b;
}

void FindPanel::setBrief(const core::ProjectBrief& b) {
    name_ = b.name;
    path_ = b.path;
    area_->setValue(areaUnit_->currentIndex() == 0 ? gis::toMu(b.areaM2) : b.areaM2);
    industry_->setCurrentText(q(b.industry));
    for (int i = 0; i < cities_->count(); ++i) {
        const auto city = cities_->item(i)->text().toStdString();
        const bool on = std::find(b.cities.begin(), b.cities.end(), city) != b.cities.end();
        cities_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    count_->setValue(b.count);
    maxAspect_->setValue(b.maxAspect);
    minWidth_->setValue(b.minWidthM);
    for (const auto& [field, edit] : attributes_) {
        const auto it = b.attributes.find(field);
        edit->setText(it == b.attributes.end() ? QString() : q(gis::toString(it->second)));
    }
    for (const auto& [name, w] : weights_) {
        const auto it = b.weights.find(name);
        w->setValue(it == b.weights.end() ? 1.0 : it->second);
    }
}

void FindPanel::setResult(const core::FindResult* result) {
    result_ = result;
    const QSignalBlocker block(candidates_);
    candidates_->setRowCount(0);
    terms_->setRowCount(0);
    if (!result) {
        summary_->setText(QStringLiteral("填写项目需求后查找 — fill in the brief and find land"));
        return;
    }
    QString text = QString("可用地 free land %1; %2 / %3 个候选 candidates")
                       .arg(q(core::describeArea(result->freeLand.areaM2)))
                       .arg(result->candidates.size())
                       .arg(result->brief.count);
    if (!result->binding.empty()) text += QStringLiteral("\n原因 Binding: ") + q(result->binding);
    for (const auto& note : result->notes) text += QStringLiteral("\n· ") + q(note);
    summary_->setText(text);
    candidates_->setRowCount(static_cast<int>(result->candidates.size()));
    for (std::size_t i = 0; i < result->candidates.size(); ++i) {
        const auto& c = result->candidates[i];
        QString station = q(c.nearest);
        if (c.nearestM) station += QString("  %1 km").arg(*c.nearestM / 1000, 0, 'f', 2);
        setRow(candidates_, static_cast<int>(i),
               {q(c.id), QString::number(c.rank), QString::number(c.score, 'f', 3),
                c.pareto ? QStringLiteral("✓") : QString(),
                QString::number(gis::toMu(c.areaM2), 'f', 2), q(c.admin), q(c.park), station});
    }
    candidates_->resizeColumnsToContents();
}

void FindPanel::selectCandidate(int index) { candidates_->setCurrentCell(index, 0); }

void FindPanel::showTerms(int row) {
    terms_->setRowCount(0);
    if (!result_ || row < 0 || row >= static_cast<int>(result_->candidates.size())) return;
    const auto& terms = result_->candidates[static_cast<std::size_t>(row)].terms;
    terms_->setRowCount(static_cast<int>(terms.size()));
    for (std::size_t i = 0; i < terms.size(); ++i)
        setRow(terms_, static_cast<int>(i),
               {q(terms[i].name), QString::number(terms[i].value, 'f', 3),
                QString::number(terms[i].weight, 'g', 4), q(terms[i].detail)});
    terms_->resizeRowsToContents();
}

}  // namespace onemap::viewer
