// 检查结果（智能预审）: the decision in words (秒批 or 受理) and every finding that stays (review / warn).
import QtQuick
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin / 2
        KText { text: t.prereviewTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
        Rectangle {
            Layout.fillWidth: true
            color: th.okBack; border.color: th.ok; border.width: 3; radius: th.radius
            implicitHeight: outcome.implicitHeight + th.margin
            KText {
                id: outcome
                objectName: "prereviewOutcome"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                text: "✔ " + (bridge.view.outcome === "approved" ? t.approvedLine : t.acceptedLine)
                color: th.ok; font.bold: true; font.pixelSize: th.body * 1.1; wrapMode: Text.WordWrap
            }
        }
        Repeater {
            model: bridge.view.findings
            Rectangle {
                Layout.fillWidth: true
                color: modelData.severity === "review" ? th.okBack : th.warnBack
                border.color: modelData.severity === "review" ? th.ok : th.warn; border.width: 2; radius: th.radius
                implicitHeight: f.implicitHeight + th.margin / 2
                KText {
                    id: f
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                    text: (modelData.severity === "review" ? t.severity_review : t.severity_warn) + modelData.message
                    color: th.text; wrapMode: Text.WordWrap
                }
            }
        }
        Item { Layout.fillHeight: true }
        KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.muted; wrapMode: Text.WordWrap }
        BigButton { objectName: "btnNext"; Layout.fillWidth: true; kind: "primary"; text: t.next + " ›"; onClicked: bridge.actions.next() }
    }
}
