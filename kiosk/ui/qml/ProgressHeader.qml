// 选择事项 · 放身份证 · 填写信息 · 检查填写 · 确认承诺 · 办结打印 — the current stage is marked by a
// number badge, bold text and an underline, not by colour alone.
import QtQuick
import QtQuick.Layouts

Flow {
    id: progress
    objectName: "progressHeader"
    readonly property var th: bridge.theme
    spacing: th.margin / 4
    Repeater {
        model: bridge.view.stages
        Row {
            spacing: 6
            readonly property bool current: index === bridge.view.stage
            readonly property bool done: index < bridge.view.stage
            Rectangle {
                width: th.small * 1.6; height: width; radius: width / 2
                color: current ? th.surface : "transparent"
                border.color: th.onHeader; border.width: 2
                anchors.verticalCenter: parent.verticalCenter
                KText {
                    anchors.centerIn: parent
                    text: done ? "✓" : (index + 1)
                    color: current ? th.header : th.onHeader
                    font.pixelSize: th.small
                    font.bold: true
                }
            }
            KText {
                objectName: "stage_" + index
                text: modelData + (index < 5 ? "  ·" : "")
                color: th.onHeader
                font.pixelSize: th.small
                font.bold: current
                font.underline: current
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
