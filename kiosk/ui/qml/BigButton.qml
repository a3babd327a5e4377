// A large touch target (>= theme.target px high, 60 px normally, 90 px in elder mode) with a word label.
import QtQuick
import QtQuick.Controls

Button {
    id: control
    readonly property var th: bridge.theme
    property string kind: "normal"   // normal | primary | accent | choice
    property bool selected: false
    implicitHeight: Math.max(th.target, contentItem.implicitHeight + th.margin / 2)
    implicitWidth: Math.max(th.target * 1.6, contentItem.implicitWidth + th.margin)
    font.pixelSize: th.body
    // A tap must not move the focus on press: the keyboard would close and the layout shift under the
    // finger before it is lifted. The focus moves after the tap (closing the keyboard then).
    focusPolicy: Qt.NoFocus
    onClicked: forceActiveFocus()
    contentItem: KText {
        text: (control.selected ? "✔ " : "") + control.text
        font: control.font
        color: control.kind === "primary" ? th.onPrimary : control.kind === "accent" ? th.onAccent
               : control.selected ? th.onPrimary : th.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        opacity: control.enabled ? 1 : 0.6
    }
    background: Rectangle {
        radius: th.radius
        color: control.kind === "primary" ? th.primary : control.kind === "accent" ? th.accent
               : control.selected ? th.primary : th.surface
        border.color: control.selected ? th.text : th.border
        border.width: control.selected ? 3 : 2
        opacity: control.down ? 0.8 : 1
    }
}
