// The idle countdown: the seconds left, large, and one big button to continue. Any touch continues.
import QtQuick
import QtQuick.Layouts

Rectangle {
    objectName: "countdownOverlay"
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    color: "#E6000000"
    MouseArea { anchors.fill: parent; onClicked: bridge.touch() }
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: th.margin
        KText { Layout.fillWidth: true; text: t.stillThere; color: "#FFFFFF"; font.pixelSize: th.title; font.bold: true; horizontalAlignment: Text.AlignHCenter }
        KText { objectName: "countdownNumber"; Layout.fillWidth: true; text: bridge.countdown; color: "#FFFFFF"; font.pixelSize: th.huge * 2.5; font.bold: true; horizontalAlignment: Text.AlignHCenter }
        KText { Layout.fillWidth: true; text: t.countdown.replace("{n}", bridge.countdown); color: "#FFFFFF"; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap }
        BigButton { objectName: "btnContinue"; Layout.fillWidth: true; Layout.preferredHeight: th.target * 1.6; kind: "primary"; text: t.continue; font.pixelSize: th.title; onClicked: bridge.touch() }
    }
}
