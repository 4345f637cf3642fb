#include "diff_dialog.hpp"

#include <QDate>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <algorithm>

namespace onemap::viewer {
namespace {

// A diff measures land: a layer in force today is offered when it holds polygons (not a dated
// table such as the quota transfers, nor points such as the services); one not in force today
// is judged by its versions.
bool holdsLand(const core::OneMap& map, const std::string& id) {
    const auto* layer = map.layer(id);
    if (!layer) return true;
    return layer->data().geometryType.find("Polygon") != std::string::npos;
}

}  // namespace

DiffDialog::DiffDialog(const core::OneMap& map, QWidget* parent) : QDialog(parent) {
    setWindowTitle(QStringLiteral("对比 Diff"));
    auto* form = new QFormLayout(this);
    layer_ = new QComboBox(this);
    QDate first = QDate::currentDate();
    for (const auto& l : map.plan().declaredLayers()) {
        if (l.versions.empty() && l.dateField.empty()) continue;  // the same on every day
        if (!holdsLand(map, l.id)) continue;
        layer_->addItem(QString::fromStdString(l.title + " (" + l.id + ")"),
                        QString::fromStdString(l.id));
        if (!l.versions.empty())
            first = std::min(
                first,
                QDate::fromString(QString::fromStdString(l.versions.front().from), Qt::ISODate));
    }
    from_ = new DateField(this);
    from_->setDate(first.toString(Qt::ISODate));
    to_ = new DateField(this);
    to_->setDate(QDate::currentDate().toString(Qt::ISODate));
    form->addRow(QStringLiteral("图层 Layer"), layer_);
    form->addRow(QStringLiteral("从 From"), from_);
    form->addRow(QStringLiteral("到 To"), to_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

}  // namespace onemap::viewer
