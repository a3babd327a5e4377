// The demo drawer (demo mode only), behind a small corner button: lay and lift the demo cards, inject
// reader and printer faults, and see the printed slips as they come out.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: drawer
    objectName: "demoDrawer"
    readonly property var th: bridge.theme
    width: parent ? parent.width : 0
    height: parent ? parent.height : 0
    property bool open: false

    Button {
        objectName: "demoToggle"
        x: parent.width - width - 8; y: 8
        width: 72; height: 72
        text: drawer.open ? "✕" : "演示"
        font.pixelSize: 20
        opacity: 0.85
        onClicked: drawer.open = !drawer.open
    }
    Rectangle {
        visible: drawer.open
        x: parent.width - width; y: 88
        width: Math.min(parent.width * 0.8, 760); height: parent.height - 96
        color: "#F2FFFFFF"; border.color: th.border; border.width: 2; radius: 12
        Flickable {
            anchors.fill: parent; anchors.margins: 12
            contentHeight: col.implicitHeight; clip: true
            ColumnLayout {
                id: col
                width: parent.width
                spacing: 8
                KText { text: "演示抽屉 · 读卡器"; font.bold: true; font.pixelSize: 24; color: "#1B1F24" }
                Flow {
                    Layout.fillWidth: true; spacing: 8; Layout.bottomMargin: 8
                    Repeater {
                        model: bridge.demoDrawer.cards
                        Button { objectName: "demo_card_" + modelData.key; text: modelData.name; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("place_card", modelData.key) }
                    }
                    Button { objectName: "demo_lift"; text: "拿开证件"; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("lift_card", "") }
                }
                Flow {
                    Layout.fillWidth: true; spacing: 8; Layout.bottomMargin: 8
                    Repeater {
                        model: [["silence", "无应答"], ["bad_checksum", "校验错"], ["lift_mid_read", "读卡中拿开"], ["garbage", "乱码"]]
                        Button { objectName: "demo_fault_" + modelData[0]; text: "⚡" + modelData[1]; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("reader_fault", modelData[0]) }
                    }
                }
                KText { text: "打印机"; font.bold: true; font.pixelSize: 24; color: "#1B1F24" }
                Flow {
                    Layout.fillWidth: true; spacing: 8; Layout.bottomMargin: 8
                    Button { objectName: "demo_paper_out"; text: "缺纸"; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("paper_out", "") }
                    Button { objectName: "demo_paper_in"; text: "装纸"; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("paper_in", "") }
                    Button { objectName: "demo_cover_open"; text: "开盖"; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("cover_open", "") }
                    Button { objectName: "demo_cover_closed"; text: "合盖"; font.pixelSize: 20; height: 64; onClicked: bridge.demoDrawer.demoAction("cover_closed", "") }
                }
                KText { objectName: "demoMessage"; Layout.fillWidth: true; text: bridge.demoDrawer.message; wrapMode: Text.WordWrap; font.pixelSize: 18; color: "#1B1F24" }
                KText { text: "已打印 " + bridge.documents.slipCount + " 张"; font.bold: true; font.pixelSize: 22; color: "#1B1F24" }
                Repeater {
                    model: bridge.documents.slipModel
                    Image { Layout.preferredWidth: 360; Layout.preferredHeight: 480; fillMode: Image.PreserveAspectFit; source: model.source }
                }
            }
        }
    }
}
