// A technician panel button: large (at least 80 px high, a touchscreen target), bilingual text, disabled
// while a panel action runs on the worker. kind: normal | primary | accent | on (a switch that is on).
import QtQuick
import QtQuick.Controls

Button {
    id: control
    property string kind: "normal"
    implicitHeight: Math.max(80, contentItem.implicitHeight + 24)
    implicitWidth: Math.max(120, contentItem.implicitWidth + 40)
    focusPolicy: Qt.NoFocus
    font.pixelSize: 26
    enabled: !tech.techBusy
    contentItem: Text {
        text: control.text
        font: control.font
        color: control.kind === "normal" ? "#1B1F24" : "#FFFFFF"
        opacity: control.enabled ? 1 : 0.55
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
    }
    background: Rectangle {
        radius: 14
        color: control.kind === "primary" ? "#0B57A4" : control.kind === "accent" ? "#B3261E"
             : control.kind === "on" ? "#1E6B32" : "#FFFFFF"
        border.color: "#8A94A3"; border.width: 2
        opacity: control.down ? 0.8 : 1
    }
}
