// The technician panel's first page: device status, a test page, the audit-chain check, the print jobs
// waiting for an operator (重新打印 / 确认已打印 / 取消任务) and the configuration summary. No personal data:
// jobs are listed by number. A job that may have printed (interrupted mid-print) asks before it prints again.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Flickable {
    id: page
    objectName: "techStatusPage"
    signal openPage(string key)
    readonly property bool landscape: width > height
    readonly property int gap: 24
    contentHeight: grid.implicitHeight + 2 * gap
    clip: true

    GridLayout {
        id: grid
        x: page.gap; y: page.gap
        width: page.width - 2 * page.gap
        columns: page.landscape ? 2 : 1
        rowSpacing: page.gap; columnSpacing: page.gap

        TechCard {
            title: "设备与检查 · Devices and checks"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                rowSpacing: 14; columnSpacing: 14
                TechButton { objectName: "techDevices"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "设备状态\nDevice status"; onClicked: tech.techAction("devices") }
                TechButton { objectName: "techTestPage"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "打印测试页\nTest page"; onClicked: tech.techAction("testPage") }
                TechButton { objectName: "techAudit"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "审计日志校验\nVerify audit log"; onClicked: tech.techAction("audit") }
                TechButton { objectName: "techRefreshJobs"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "刷新打印任务\nRefresh jobs"; onClicked: tech.techAction("jobs") }
                TechButton { objectName: "techCamera"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "拍摄仪测试\nCamera"; onClicked: page.openPage("camera") }
            }
        }

        TechCard {
            title: "待处理打印任务 · Print jobs waiting"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            Layout.rowSpan: page.landscape ? 2 : 1
            Text {
                objectName: "techNoJobs"
                visible: tech.techJobs.length === 0
                Layout.fillWidth: true
                text: "没有等待处理的打印任务 · No job needs an operator"
                font.pixelSize: 24; color: "#1E6B32"; wrapMode: Text.WordWrap
            }
            Repeater {
                model: tech.techJobs
                Rectangle {
                    objectName: "job_" + modelData.id
                    Layout.fillWidth: true
                    implicitHeight: jobColumn.implicitHeight + 24
                    color: "#FFF4DC"; radius: 10; border.color: "#7A4D00"; border.width: 2
                    ColumnLayout {
                        id: jobColumn
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 12 }
                        spacing: 10
                        Text {
                            objectName: "jobText_" + modelData.id
                            Layout.fillWidth: true
                            text: "任务 #" + modelData.id + " · " + modelData.stateWords + " · " + modelData.kind
                                  + " " + (modelData.reference || "-")
                                  + (modelData.lastError ? "\n原因 Reason: " + modelData.lastError : "")
                                  + (modelData.mayHavePrinted ? "\n⚠ 可能已打印：先看出纸口 · may have printed" : "")
                                  + "\n" + modelData.createdAt
                            font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 12
                            TechButton {
                                objectName: "jobReprint_" + modelData.id
                                visible: modelData.canReprint
                                Layout.fillWidth: true; Layout.preferredWidth: 1
                                kind: "primary"; text: "重新打印\nReprint"
                                onClicked: tech.jobAction("reprint", modelData.id)
                            }
                            TechButton {
                                objectName: "jobDone_" + modelData.id
                                visible: modelData.canConfirm
                                Layout.fillWidth: true; Layout.preferredWidth: 1
                                text: "确认已打印\nPrinted"
                                onClicked: tech.jobAction("done", modelData.id)
                            }
                            TechButton {
                                objectName: "jobCancel_" + modelData.id
                                visible: modelData.canCancel
                                Layout.fillWidth: true; Layout.preferredWidth: 1
                                kind: "accent"; text: "取消任务\nCancel"
                                onClicked: tech.jobAction("cancel", modelData.id)
                            }
                        }
                    }
                }
            }
        }

        TechCard {
            title: "配置摘要 · Configuration"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            GridLayout {
                objectName: "techConfig"
                Layout.fillWidth: true
                columns: 2
                rowSpacing: 8; columnSpacing: 16
                Repeater {
                    model: tech.techConfig
                    Text {
                        Layout.row: index; Layout.column: 0
                        Layout.alignment: Qt.AlignTop
                        text: modelData.label; font.pixelSize: 22; font.bold: true; color: "#4A5361"
                    }
                }
                Repeater {
                    model: tech.techConfig
                    Text {
                        objectName: "config_" + index
                        Layout.row: index; Layout.column: 1
                        Layout.fillWidth: true
                        text: modelData.value; font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.WrapAnywhere
                    }
                }
            }
        }
    }
}
