// A labelled text field on a technician panel page (80 px high: a touchscreen target). The docked
// keyboard opens on a tap; Latin letters and digits (addresses, numbers), no prediction.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ColumnLayout {
    id: fieldRoot
    property alias label: caption.text
    property alias text: input.text
    property alias field: input
    property string fieldName: ""
    property int hints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase | Qt.ImhPreferLatin
    spacing: 6
    Text { id: caption; font.pixelSize: 22; font.bold: true; color: "#4A5361"; Layout.fillWidth: true; wrapMode: Text.WordWrap }
    TextField {
        id: input
        objectName: fieldRoot.fieldName
        Layout.fillWidth: true
        implicitHeight: 80
        font.pixelSize: 28
        inputMethodHints: fieldRoot.hints
        background: Rectangle { radius: 10; color: "#FFFFFF"; border.width: input.activeFocus ? 3 : 2; border.color: input.activeFocus ? "#0B57A4" : "#8A94A3" }
    }
}
