// The technician panel's diagnostics page: `kiosk doctor`'s checks over the running kiosk (devices, the
// database and its audit chain, keys, fonts, the Qt plugins, speech, disk space, the hall), one card per
// check: OK in green, or the problem in red with what to do. 重新检查 runs them again. techDoctor runs
// them on the bridge's worker (kiosk/ui/techdoctor.py). Fixed sizes and bilingual words, as the panel;
// every touch target at least 64 px high.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: doctorPage
    objectName: "techDoctorPage"
    color: "#F4F6F9"
    signal closed()
    readonly property var doc: techDoctor

    component DocButton: Button {
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
    Component.onCompleted: doc.check()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 14
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Text { Layout.fillWidth: true; text: "系统诊断 · Diagnostics"; font.pixelSize: 32; font.bold: true; color: "#0B3D74" }
            DocButton { objectName: "doctorRecheck"; primary: true; enabled: !doc.busy; text: "重新检查 Check again"; onClicked: doc.check() }
            DocButton { objectName: "doctorClose"; text: "关闭 Close"; onClicked: doctorPage.closed() }
        }
        Text {
            objectName: "doctorSummary"
            Layout.fillWidth: true
            text: doc.summary
            font.pixelSize: 24; font.bold: true; wrapMode: Text.Wrap
            color: doc.busy ? "#1B1F24" : doc.problems > 0 ? "#B3261E" : "#1E7B3A"
        }
        ListView {
            id: list
            objectName: "doctorList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 10
            model: doc.rows
            boundsBehavior: Flickable.StopAtBounds
            delegate: Rectangle {
                objectName: "doctorRow_" + index
                width: list.width
                implicitHeight: rowColumn.implicitHeight + 24
                radius: 10
                color: modelData.ok ? "#FFFFFF" : "#FBE4E2"
                border.width: 2
                border.color: modelData.ok ? "#C9D1DB" : "#B3261E"
                RowLayout {
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 14 }
                    spacing: 14
                    Text {
                        Layout.alignment: Qt.AlignTop
                        Layout.preferredWidth: 120
                        text: modelData.ok ? "✔ 正常\nOK" : "✖ 有问题\nProblem"
                        font.pixelSize: 20; font.bold: true
                        color: modelData.ok ? "#1E7B3A" : "#B3261E"
                    }
                    ColumnLayout {
                        id: rowColumn
                        Layout.fillWidth: true
                        spacing: 4
                        Text { Layout.fillWidth: true; text: modelData.name; font.pixelSize: 22; font.bold: true; color: "#1B1F24"; wrapMode: Text.WrapAnywhere }
                        Text { Layout.fillWidth: true; text: modelData.detail; font.pixelSize: 20; color: "#3A4452"; wrapMode: Text.WrapAnywhere }
                        Text {
                            objectName: "doctorTodo_" + index
                            visible: !modelData.ok && modelData.todo !== ""
                            Layout.fillWidth: true
                            text: "处理 What to do: " + modelData.todo
                            font.pixelSize: 20; font.bold: true; color: "#B3261E"; wrapMode: Text.Wrap
                        }
                    }
                }
            }
        }
    }
}
