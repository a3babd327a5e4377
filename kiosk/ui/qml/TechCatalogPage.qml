// The technician panel's catalog page: every item with 秒批 marked and its switch for this kiosk. A switch
// is saved (config catalog.disabled, old file kept), audited, and the applicant catalog follows at once
// (tech.setItemEnabled). Items are listed 秒批 first.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Flickable {
    id: page
    objectName: "techCatalogPage"
    readonly property int gap: 24
    contentHeight: column.implicitHeight + 2 * gap
    clip: true
    Component.onCompleted: tech.loadCatalog()

    ColumnLayout {
        id: column
        x: page.gap; y: page.gap
        width: page.width - 2 * page.gap
        spacing: 12
        Text {
            Layout.fillWidth: true
            text: "停用的事项不在申请人的目录中出现，下一位申请人即生效 · A disabled item is hidden from the next applicant"
            font.pixelSize: 22; color: "#4A5361"; wrapMode: Text.WordWrap
        }
        Repeater {
            model: tech.catalogRows
            Rectangle {
                objectName: "catalogRow_" + modelData.id
                Layout.fillWidth: true
                implicitHeight: Math.max(96, rowLayout.implicitHeight + 20)
                radius: 12; border.width: 2
                color: modelData.enabled ? "#FFFFFF" : "#ECEEF1"
                border.color: modelData.enabled ? "#C9D0DA" : "#8A94A3"
                RowLayout {
                    id: rowLayout
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 16 }
                    spacing: 16
                    Rectangle {
                        visible: modelData.instant
                        implicitWidth: instantText.implicitWidth + 20; implicitHeight: 44; radius: 8
                        color: "#1E6B32"
                        Text { id: instantText; anchors.centerIn: parent; text: "秒批"; color: "#FFFFFF"; font.pixelSize: 22; font.bold: true }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        Text { Layout.fillWidth: true; text: modelData.title; font.pixelSize: 26; font.bold: true; color: modelData.enabled ? "#1B1F24" : "#4A5361"; wrapMode: Text.WordWrap }
                        Text { Layout.fillWidth: true; text: modelData.id + " · " + modelData.department; font.pixelSize: 20; color: "#4A5361"; wrapMode: Text.WrapAnywhere }
                    }
                    TechButton {
                        objectName: "catalogSwitch_" + modelData.id
                        kind: modelData.enabled ? "on" : "normal"
                        text: modelData.enabled ? "已启用\nOn" : "已停用\nOff"
                        implicitWidth: 150
                        onClicked: tech.setItemEnabled(modelData.id, !modelData.enabled)
                    }
                }
            }
        }
    }
}
