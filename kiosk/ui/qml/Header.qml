// The top band: hall name and clock, the spoken instruction, and the six-stage progress header.
// Five taps on the hall name within 3 s (start screen only) open the technician's PIN pad.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: header
    readonly property var th: bridge.theme
    color: th.header
    implicitHeight: column.implicitHeight + th.margin
    property date nowDate: new Date()
    readonly property string now: Qt.formatDateTime(nowDate, bridge.t.clockFormat)

    Timer { interval: 10000; running: true; repeat: true; onTriggered: header.nowDate = new Date() }

    ColumnLayout {
        id: column
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin / 2 }
        spacing: th.margin / 4
        RowLayout {
            Layout.fillWidth: true
            KText {
                objectName: "hallName"
                text: bridge.hallName
                color: th.onHeader
                font.pixelSize: th.title * 0.8
                font.bold: true
                Layout.fillWidth: true
                elide: Text.ElideRight
                // The technician's hidden way in: five taps within 3 s on the start screen (tech.hallTapped).
                MouseArea { objectName: "hallTapArea"; anchors.fill: parent; onPressed: tech.hallTapped() }
            }
            KText { objectName: "clock"; text: header.now; color: th.onHeader; font.pixelSize: th.small; Layout.rightMargin: bridge.demo ? 84 : 0 }
        }
        ProgressHeader {
            Layout.fillWidth: true
            // landscape with the keyboard open: the form needs the height more than the stages
            visible: bridge.view.step !== "start" && bridge.view.step !== "thanks" && !(th.landscape && Qt.inputMethod.visible)
        }
    }
}
