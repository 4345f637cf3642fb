#pragma once
// 对比 Diff: which layer and which two days. Offers every layer of the plan that changes over
// time (versions, or a date field on its records) and draws geometry; GUI thread only.
#include <QComboBox>
#include <QDialog>

#include "date_field.hpp"
#include "onemap/core/check/one_map.hpp"

namespace onemap::viewer {

class DiffDialog : public QDialog {
    Q_OBJECT
  public:
    /// `map`: the one map shown, to leave out dated tables without geometry.
    DiffDialog(const core::OneMap& map, QWidget* parent = nullptr);
    [[nodiscard]] QString layerId() const { return layer_->currentData().toString(); }
    [[nodiscard]] QString from() const { return from_->date(); }
    [[nodiscard]] QString to() const { return to_->date(); }
    [[nodiscard]] QComboBox* layerBox() const { return layer_; }
    [[nodiscard]] DateField* fromField() const { return from_; }
    [[nodiscard]] DateField* toField() const { return to_; }

  private:
    QComboBox* layer_;
    DateField* from_;
    DateField* to_;
};

}  // namespace onemap::viewer
