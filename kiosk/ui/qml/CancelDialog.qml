// 取消办理？ — asked after the footer's 取消办理 during a visit (view.confirm_cancel): what cancelling
// means, the reminder to take the ID card, and the two answers. The session decides; this only asks.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: dialog
    objectName: "cancelDialog"
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    color: "#B3000000"
    MouseArea { anchors.fill: parent }   // the page underneath takes no taps while asking
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - th.margin * 2, th.target * 10)
        height: col.implicitHeight + th.margin * 2
        radius: th.radius; color: th.surface; border.color: th.block; border.width: 3
        ColumnLayout {
            id: col
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin }
            spacing: th.margin / 2
            KText { objectName: "cancelAsk"; Layout.fillWidth: true; text: t.cancelAsk; font.pixelSize: th.title; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
            KText { Layout.fillWidth: true; text: t.cancelWhat; color: th.text; wrapMode: Text.WordWrap }
            KText { objectName: "cancelTakeCard"; Layout.fillWidth: true; text: "⚠ " + t.cancelTakeCard; color: th.block; font.bold: true; wrapMode: Text.WordWrap }
            RowLayout {
                Layout.fillWidth: true
                spacing: th.margin / 2
                BigButton { objectName: "cancelNo"; Layout.fillWidth: true; kind: "primary"; text: t.cancelNo; onClicked: bridge.actions.answerCancel(false) }
                BigButton { objectName: "cancelYes"; Layout.fillWidth: true; text: t.cancelYes; onClicked: bridge.actions.answerCancel(true) }
            }
        }
    }
}
