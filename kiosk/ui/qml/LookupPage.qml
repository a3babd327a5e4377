// 扫码查询·补打: type the receipt or licence number; the slip is reprinted from the saved application.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin
        KText { text: t.lookupTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
        KText { Layout.fillWidth: true; text: t.lookupHint; color: th.text; wrapMode: Text.WordWrap }
        TextField {
            id: number
            objectName: "lookupNumber"
            Layout.fillWidth: true
            Layout.preferredHeight: th.target
            font.pixelSize: th.body
            inputMethodHints: Qt.ImhNoPredictiveText
        }
        BigButton { objectName: "btnReprint"; Layout.fillWidth: true; kind: "primary"; text: t.reprint; onClicked: bridge.reprint(number.text) }
        KText { objectName: "lookupMessage"; Layout.fillWidth: true; text: bridge.lookupMessage; color: th.text; wrapMode: Text.WordWrap }
        Item { Layout.fillHeight: true }
    }
}
