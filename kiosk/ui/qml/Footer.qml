// The bottom band on every screen: 呼叫工作人员 always; 返回 and 首页/取消 as the session's view lists them
// (view.buttons): which show and what a tap does are the session's rules, not this file's.
import QtQuick
import QtQuick.Layouts

Rectangle {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    color: th.surface
    implicitHeight: row.implicitHeight + th.margin / 2
    Rectangle { width: parent.width; height: 2; color: th.border }

    RowLayout {
        id: row
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
        spacing: th.margin / 2
        BigButton {
            objectName: "btnBack"
            text: "‹ " + t.back
            visible: bridge.view.buttons.back
            onClicked: bridge.actions.back()
        }
        BigButton {
            objectName: "btnHome"
            text: "⌂ " + t[bridge.view.buttons.home_word]
            visible: bridge.view.buttons.home
            onClicked: bridge.actions.goHome()
        }
        KText {
            Layout.fillWidth: true
            objectName: "staffCalledText"
            text: bridge.view.staff_called ? "☎ " + bridge.actions.staffCall.text : ""
            color: th.ok
            font.pixelSize: th.small
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        BigButton {
            objectName: "callStaff"
            text: "☎ " + t.callStaff
            kind: "accent"
            onClicked: bridge.actions.callStaff()
        }
    }
}
