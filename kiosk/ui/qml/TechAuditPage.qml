// The technician panel's audit page: the latest audit entries (newest first, up to 200), filtered by
// event kind (tap a kind; tap it again for all) and by text (in the kind, subject or detail), and the
// chain check (kiosk audit verify: every row's MAC, the chain, the head kept outside the database, every
// application and print job). techAudit reads on the bridge's worker (kiosk/ui/techstats.py); subjects
// and details are masked, so no full ID number is ever shown. Fixed sizes and bilingual words, as the
// panel; every touch target at least 64 px high.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: auditPage
    objectName: "techAuditPage"
    color: "#F4F6F9"
    signal closed()
    readonly property var au: techAudit

    component AuditButton: Button {
        id: control
        property bool primary: false
        implicitHeight: Math.max(64, contentItem.implicitHeight + 20)
        implicitWidth: contentItem.implicitWidth + 32
        focusPolicy: Qt.NoFocus
        font.pixelSize: 22
        contentItem: Text {
            text: control.text; font: control.font; wrapMode: Text.WordWrap
            color: control.primary ? "#FFFFFF" : "#1B1F24"
            opacity: control.enabled ? 1 : 0.55
            horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 12; border.color: "#8A94A3"; border.width: 2
            color: control.primary ? "#0B57A4" : "#FFFFFF"
            opacity: control.down ? 0.8 : 1
        }
    }

    MouseArea { anchors.fill: parent }
    Component.onCompleted: au.load()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 14
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Text { Layout.fillWidth: true; text: "审计日志 · Audit log"; font.pixelSize: 32; font.bold: true; color: "#0B3D74" }
            AuditButton { objectName: "auditVerify"; primary: true; enabled: !au.busy; text: "校验审计链 Check the chain"; onClicked: au.verify() }
            AuditButton { objectName: "auditClose"; text: "关闭 Close"; onClicked: auditPage.closed() }
        }
        Rectangle {
            objectName: "auditChain"
            visible: au.chainText !== ""
            Layout.fillWidth: true
            implicitHeight: chainText.implicitHeight + 24
            radius: 10
            color: au.chainState === "ok" ? "#E3F4E8" : au.chainState === "broken" ? "#FBE4E2" : "#E9EDF2"
            border.width: 2
            border.color: au.chainState === "ok" ? "#1E7B3A" : au.chainState === "broken" ? "#B3261E" : "#8A94A3"
            Text {
                id: chainText
                objectName: "auditChainText"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 12 }
                text: (au.chainState === "ok" ? "✓ " : au.chainState === "broken" ? "× " : "") + au.chainText
                font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            TextField {
                id: filterText
                objectName: "auditFilter"
                Layout.fillWidth: true
                implicitHeight: 64
                font.pixelSize: 24
                placeholderText: "按文字筛选（编号、事项、任务…） · Filter by text"
                onAccepted: au.setText(text)
            }
            AuditButton { objectName: "auditSearch"; enabled: !au.busy; text: "筛选 Filter"; onClicked: au.setText(filterText.text) }
            AuditButton {
                objectName: "auditClear"
                enabled: !au.busy
                text: "全部 All"
                onClicked: { filterText.text = ""; au.clear() }
            }
        }
        Flow {
            objectName: "auditKinds"
            Layout.fillWidth: true
            spacing: 10
            Repeater {
                model: au.kinds
                AuditButton {
                    objectName: "auditKind_" + modelData.kind
                    text: modelData.kind + " (" + modelData.count + ")"
                    primary: au.kind === modelData.kind
                    enabled: !au.busy
                    onClicked: au.setKind(modelData.kind)
                }
            }
        }
        Text {
            objectName: "auditCount"
            Layout.fillWidth: true
            text: au.error || (au.busy ? "◷ 正在读取 Reading …"
                  : "最新 " + au.rows.length + " 条" + (au.kind ? " · 类别 " + au.kind : "")
                    + (au.text ? " · 含 “" + au.text + "”" : "") + " · newest first")
            font.pixelSize: 20; color: au.error ? "#B3261E" : "#4A5361"; wrapMode: Text.Wrap
        }
        ListView {
            id: list
            objectName: "auditList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: au.rows
            delegate: Rectangle {
                objectName: "auditRow_" + modelData.id
                width: list.width
                implicitHeight: rowColumn.implicitHeight + 20
                color: "#FFFFFF"; radius: 10; border.color: "#C9D0DA"; border.width: 2
                ColumnLayout {
                    id: rowColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 10 }
                    spacing: 4
                    Text {
                        Layout.fillWidth: true
                        text: "#" + modelData.id + "  " + modelData.at + "  " + modelData.event + "  " + modelData.subject
                        font.pixelSize: 21; font.bold: true; color: "#1B1F24"; elide: Text.ElideRight
                    }
                    Text {
                        Layout.fillWidth: true
                        text: modelData.detail
                        font.pixelSize: 18; color: "#4A5361"; wrapMode: Text.WrapAnywhere; maximumLineCount: 2; elide: Text.ElideRight
                    }
                }
            }
        }
    }
}
