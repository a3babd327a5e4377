// The technician panel (after the PIN): device status, a test page, the print jobs waiting for an operator
// (重新打印 / 确认已打印), the audit-chain check, the configuration summary, 返回 and 退出终端程序.
// Every action runs on a worker (tech.techAction / jobAction); its words come back in techResult.
// No personal data is shown here: jobs are listed by number. Fixed sizes: elder mode does not apply.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: panel
    objectName: "techPanel"
    color: "#F4F6F9"
    readonly property bool landscape: width > height
    readonly property int gap: 24
    property bool cameraOpen: false   // the camera page (TechCameraPage.qml) over the panel
    property string subPage: ""       // "TechStatsPage.qml" / "TechAuditPage.qml" over the panel

    component TechButton: Button {
        id: control
        property string kind: "normal"   // normal | primary | accent
        implicitHeight: Math.max(80, contentItem.implicitHeight + 24)
        implicitWidth: contentItem.implicitWidth + 40
        focusPolicy: Qt.NoFocus
        font.pixelSize: 26
        enabled: !tech.techBusy
        contentItem: Text {
            text: control.text
            font: control.font
            color: control.kind === "normal" ? "#1B1F24" : "#FFFFFF"
            opacity: control.enabled ? 1 : 0.55
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.WordWrap
        }
        background: Rectangle {
            radius: 14
            color: control.kind === "primary" ? "#0B57A4" : control.kind === "accent" ? "#B3261E" : "#FFFFFF"
            border.color: "#8A94A3"; border.width: 2
            opacity: control.down ? 0.8 : 1
        }
    }

    component Card: Rectangle {
        default property alias content: inner.data
        property string title: ""
        color: "#FFFFFF"; radius: 14; border.color: "#C9D0DA"; border.width: 2
        implicitHeight: inner.implicitHeight + 40
        ColumnLayout {
            id: inner
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
            spacing: 14
            Text { text: parent.parent.title; font.pixelSize: 30; font.bold: true; color: "#0B3D74"; Layout.fillWidth: true; wrapMode: Text.WordWrap }
        }
    }

    MouseArea { anchors.fill: parent }   // nothing under the panel takes a touch

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: barRow.implicitHeight + 32
        color: "#0B3D74"
        RowLayout {
            id: barRow
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
            spacing: 16
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 4
                Text {
                    Layout.fillWidth: true
                    text: "技术维护面板 · Technician panel"
                    color: "#FFFFFF"; font.pixelSize: 36; font.bold: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    text: "60 秒无操作自动锁定 · Locks itself after 60 s without a touch"
                    color: "#D5DCE5"; font.pixelSize: 20
                    wrapMode: Text.WordWrap
                }
            }
            TechButton { objectName: "techBack"; text: "返回 Back"; enabled: true; onClicked: tech.closeTech() }
            TechButton { objectName: "techQuit"; kind: "accent"; text: "退出终端程序 Quit"; onClicked: tech.quitKiosk() }
        }
    }

    Flickable {
        id: flick
        objectName: "techFlick"
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
        contentHeight: grid.implicitHeight + 2 * panel.gap
        clip: true

        GridLayout {
            id: grid
            x: panel.gap; y: panel.gap
            width: flick.width - 2 * panel.gap
            columns: panel.landscape ? 2 : 1
            rowSpacing: panel.gap; columnSpacing: panel.gap

            Card {
                title: "设备与检查 · Devices and checks"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    rowSpacing: 14; columnSpacing: 14
                    TechButton { objectName: "techDevices"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "设备状态\nDevice status"; onClicked: tech.techAction("devices") }
                    TechButton { objectName: "techTestPage"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "打印测试页\nTest page"; onClicked: tech.techAction("testPage") }
                    TechButton { objectName: "techAudit"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "审计日志校验\nVerify audit log"; onClicked: tech.techAction("audit") }
                    TechButton { objectName: "techRefreshJobs"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "刷新打印任务\nRefresh jobs"; onClicked: tech.techAction("jobs") }
                    TechButton { objectName: "techCamera"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "拍摄仪测试\nCamera"; onClicked: panel.cameraOpen = true }
                    TechButton { objectName: "techTab_stats"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "本机统计\nStatistics"; onClicked: panel.subPage = "TechStatsPage.qml" }
                    TechButton { objectName: "techTab_audit"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "审计日志\nAudit log"; onClicked: panel.subPage = "TechAuditPage.qml" }
                }
                Rectangle {
                    Layout.fillWidth: true
                    implicitHeight: resultText.implicitHeight + 28
                    color: "#E9EDF2"; radius: 10
                    Text {
                        id: resultText
                        objectName: "techResult"
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 14 }
                        text: tech.techBusy ? "⏳ " + tech.techResult : (tech.techResult || "选择一项操作 · Choose an action")
                        font.pixelSize: 24; color: "#1B1F24"
                        wrapMode: Text.Wrap
                    }
                }
            }

            Card {
                title: "待处理打印任务 · Print jobs waiting"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
                Layout.rowSpan: panel.landscape ? 2 : 1
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
                                    kind: "primary"; text: "重新打印 Reprint"
                                    onClicked: tech.jobAction("reprint", modelData.id)
                                }
                                TechButton {
                                    objectName: "jobDone_" + modelData.id
                                    visible: modelData.canConfirm
                                    Layout.fillWidth: true; Layout.preferredWidth: 1
                                    text: "确认已打印 Printed"
                                    onClicked: tech.jobAction("done", modelData.id)
                                }
                            }
                        }
                    }
                }
            }

            Card {
                title: "配置摘要 · Configuration"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.alignment: Qt.AlignTop
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

    Loader {
        id: cameraLoader
        objectName: "techCameraLoader"
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
        z: 10
        active: panel.cameraOpen
        source: "TechCameraPage.qml"
    }
    Connections {
        target: cameraLoader.item
        ignoreUnknownSignals: true
        function onClosed() { panel.cameraOpen = false }
    }

    Loader {
        id: subLoader
        objectName: "techSubPageLoader"
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
        z: 10
        active: panel.subPage !== ""
        source: panel.subPage
    }
    Connections {
        target: subLoader.item
        ignoreUnknownSignals: true
        function onClosed() { panel.subPage = "" }
    }
}
