// A different person's card was read mid-application: start again with it, or keep going.
import QtQuick
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - th.margin * 2
        spacing: th.margin
        KText { Layout.fillWidth: true; text: "⚠ " + t.swapTitle + t.noteOpen + (bridge.view.pending_card_name || "") + t.noteClose; font.pixelSize: th.title; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
        KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.text; wrapMode: Text.WordWrap }
        BigButton { objectName: "swapYes"; Layout.fillWidth: true; kind: "primary"; text: t.swapYes; onClicked: bridge.actions.answerSwap(true) }
        BigButton { objectName: "swapNo"; Layout.fillWidth: true; text: t.swapNo; onClicked: bridge.actions.answerSwap(false) }
    }
}
