// A large touch target (>= theme.target px high, 64 px normally, 96 px in elder mode) with a word label.
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
        // not usable yet: a plain white button with dark grey words (fading it lost the 4.5:1 contrast)
        color: !control.enabled ? th.disabledText
               : control.kind === "primary" ? th.onPrimary : control.kind === "accent" ? th.onAccent
               : control.selected ? th.onPrimary : th.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
    }
    background: Rectangle {
        radius: th.radius
        color: !control.enabled ? th.surface
               : control.kind === "primary" ? th.primary : control.kind === "accent" ? th.accent
               : control.selected ? th.primary : th.surface
        border.color: control.selected ? th.text : th.border
        border.width: control.selected ? 3 : 2
        opacity: control.down ? 0.8 : 1
    }
}
