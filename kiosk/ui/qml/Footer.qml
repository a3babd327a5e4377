// The bottom band on every screen: 呼叫工作人员 always; 返回 and 首页/取消 where the session allows.
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
            visible: (bridge.view.can_go_back && bridge.view.screen !== "card_swap")
                     || ["catalog", "intro", "lookup"].indexOf(bridge.page) >= 0
            onClicked: bridge.view.screen === "start" ? bridge.localBack() : bridge.back()
        }
        BigButton {
            objectName: "btnHome"
            text: "⌂ " + (["start", "print_failed", "rating"].indexOf(bridge.view.screen) >= 0 ? t.home : t.cancel)
            visible: bridge.page !== "home" && ["saving", "printing", "thanks"].indexOf(bridge.view.step) < 0
            onClicked: bridge.goHome()
        }
        KText {
            Layout.fillWidth: true
            text: bridge.view.staff_called ? "☎ " + t.staffComing : ""
            color: th.ok
            font.pixelSize: th.small
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        BigButton {
            objectName: "callStaff"
            text: "☎ " + t.callStaff
            kind: "accent"
            onClicked: bridge.callStaff()
        }
    }
}
