// The official number under its label: the label wraps as words, the number keeps a line of its own
// and is never broken inside (铜卫公证字〔2026〕第000001号); too long for the line, it is shrunk to fit
// (never below theme.small), never elided. `text` is the whole line, as the tests read it.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    readonly property var th: bridge.theme
    readonly property string text: label.text + number.text
    property real pixelSize: th.body
    property bool bold: false
    visible: !!bridge.view.number
    spacing: 0
    KText {
        id: label
        Layout.fillWidth: true
        text: bridge.view.number_label + bridge.t.colon
        font.pixelSize: parent.pixelSize; font.bold: parent.bold; color: th.text; wrapMode: Text.WordWrap
    }
    KText {
        id: number
        objectName: "numberValue"
        Layout.fillWidth: true
        text: bridge.view.number || ""
        font.pixelSize: parent.pixelSize; font.bold: parent.bold; color: th.text
        wrapMode: Text.NoWrap
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: th.small
    }
}
