// The thank-you screen; the session returns to the start by itself (everything already wiped).
import QtQuick
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - th.margin * 2
        spacing: th.margin
        KText { objectName: "thanksText"; Layout.fillWidth: true; text: t.thanks; font.pixelSize: th.title * 1.3; font.bold: true; color: th.text; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap }
        BigButton { objectName: "btnThanksHome"; Layout.alignment: Qt.AlignHCenter; text: "⌂ " + t.home; onClicked: bridge.actions.next() }
    }
}
