#include "layer_panel.hpp"

#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "onemap/render/map_renderer.hpp"

namespace onemap::viewer {

LayerPanel::LayerPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    tree_ = new QTreeWidget(this);
    tree_->setHeaderLabel(QStringLiteral("图层 Layers"));
    tree_->setRootIsDecorated(false);
    tree_->setDragDropMode(QAbstractItemView::InternalMove);
    tree_->setIconSize(QSize(30, 16));
    layout->addWidget(tree_);
    layout->addWidget(new QLabel(QStringLiteral("不透明度 Opacity"), this));
    opacitySlider_ = new QSlider(Qt::Horizontal, this);
    opacitySlider_->setRange(0, 100);
    opacitySlider_->setValue(100);
    layout->addWidget(opacitySlider_);
    layout->addWidget(new QLabel(QStringLiteral("热力图 Heat map"), this));
    heatmaps_ = new QComboBox(this);
    heatmaps_->addItem(QStringLiteral("无 None"), QString());
    layout->addWidget(heatmaps_);
    heatOpacity_ = new QSlider(Qt::Horizontal, this);
    heatOpacity_->setRange(0, 100);
    heatOpacity_->setValue(85);
    heatOpacity_->setToolTip(QStringLiteral("热力图不透明度 heat map opacity"));
    layout->addWidget(heatOpacity_);
    heatLegend_ = new QLabel(this);
    heatLegend_->setVisible(false);
    layout->addWidget(heatLegend_);
    connect(heatmaps_, &QComboBox::currentIndexChanged, this,
            [this] { emit heatmapChosen(currentHeatmap()); });
    connect(heatOpacity_, &QSlider::valueChanged, this,
            [this](int v) { emit heatOpacityChanged(v / 100.0); });
    connect(tree_, &QTreeWidget::itemChanged, this, [this] { emit changed(); });
    // A drop reorders the rows; the model's rowsInserted tells us when.
    connect(tree_->model(), &QAbstractItemModel::rowsInserted, this, [this] { emit changed(); });
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this] {
        const auto id = currentLayer();
        const auto it = opacity_.find(id);
        const QSignalBlocker block(opacitySlider_);
        opacitySlider_->setValue(static_cast<int>((it == opacity_.end() ? 1.0 : it->second) * 100));
    });
    connect(opacitySlider_, &QSlider::valueChanged, this, [this](int v) {
        if (currentLayer().empty()) return;
        opacity_[currentLayer()] = v / 100.0;
        emit changed();
    });
    connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        emit zoomToLayerRequested(item->data(0, Qt::UserRole).toString().toStdString());
    });
}

void LayerPanel::setMap(const core::OneMap& map) {
    {
        const QSignalBlocker blockHeat(heatmaps_);
        const std::string chosen = currentHeatmap();
        heatmaps_->clear();
        heatmaps_->addItem(QStringLiteral("无 None"), QString());
        for (const auto& h : map.plan().heatmaps)
            heatmaps_->addItem(QString::fromStdString(h.title), QString::fromStdString(h.id));
        heatmaps_->setCurrentIndex(
            std::max(0, heatmaps_->findData(QString::fromStdString(chosen))));
        heatmaps_->setEnabled(heatmaps_->count() > 1);
    }
    const QSignalBlocker block(tree_);
    tree_->clear();
    opacity_.clear();
    for (auto it = map.layers().rbegin(); it != map.layers().rend(); ++it) {  // top first
        const auto& l = **it;
        auto* item = new QTreeWidgetItem;
        item->setText(0, QString::fromStdString(l.spec().title) + QString(" (%1)").arg(l.size()));
        item->setData(0, Qt::UserRole, QString::fromStdString(l.spec().id));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                       Qt::ItemIsDragEnabled);
        item->setCheckState(0, l.spec().visible ? Qt::Checked : Qt::Unchecked);
        QPixmap symbol(30, 16);
        symbol.fill(Qt::transparent);
        QPainter p(&symbol);
        render::drawLegendSymbol(p, QRectF(1, 1, 28, 14), l);
        p.end();
        item->setIcon(0, QIcon(symbol));
        tree_->addTopLevelItem(item);
    }
}

std::vector<std::string> LayerPanel::drawOrder() const {
    std::vector<std::string> out;
    for (int i = tree_->topLevelItemCount() - 1; i >= 0; --i) {
        const auto* item = tree_->topLevelItem(i);
        if (item->checkState(0) == Qt::Checked)
            out.push_back(item->data(0, Qt::UserRole).toString().toStdString());
    }
    return out;
}

void LayerPanel::setLayerVisible(const std::string& id, bool visible) {
    for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
        auto* item = tree_->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toString().toStdString() == id)
            item->setCheckState(0, visible ? Qt::Checked : Qt::Unchecked);
    }
}

std::string LayerPanel::currentLayer() const {
    const auto* item = tree_->currentItem();
    return item ? item->data(0, Qt::UserRole).toString().toStdString() : std::string();
}

std::string LayerPanel::currentHeatmap() const {
    return heatmaps_->currentData().toString().toStdString();
}

void LayerPanel::setCurrentHeatmap(const std::string& id, bool notify) {
    const QSignalBlocker block(notify ? nullptr : heatmaps_);
    heatmaps_->setCurrentIndex(std::max(0, heatmaps_->findData(QString::fromStdString(id))));
}

void LayerPanel::setHeatOpacity(double opacity) {
    const QSignalBlocker block(heatOpacity_);
    heatOpacity_->setValue(static_cast<int>(std::lround(opacity * 100)));
}

void LayerPanel::setHeatLegend(const render::HeatLayer* heat) {
    heatLegend_->setVisible(heat != nullptr);
    if (!heat) return;
    QPixmap legend(240, 200);
    legend.fill(Qt::white);
    QPainter p(&legend);
    std::vector<QRectF> text;
    const double used = render::drawHeatLegend(p, QRectF(6, 0, 228, 200), 4, *heat, text);
    p.end();
    heatLegend_->setPixmap(legend.copy(0, 0, 240, std::min(200, static_cast<int>(used) + 8)));
}

}  // namespace onemap::viewer
