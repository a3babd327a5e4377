// A fault or a missing step told in words: what happened, what it means, what to do.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: box
    objectName: "noticeBox"
    readonly property var th: bridge.theme
    property var notice: bridge.view.notice
    property string staffLine: ""   // a screen's own line on calling staff (the print fault's real call status)
    visible: !!notice
    color: th.blockBack
    border.color: th.block
    border.width: 3
    radius: th.radius
    implicitHeight: col.implicitHeight + th.margin
    ColumnLayout {
        id: col
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin / 2 }
        spacing: 6
        KText { objectName: "noticeWhat"; Layout.fillWidth: true; text: box.notice ? "⚠ " + box.notice.what_happened : ""; color: th.block; font.bold: true; font.pixelSize: th.body * 1.1; wrapMode: Text.WordWrap }
        KText { Layout.fillWidth: true; text: box.notice ? box.notice.what_it_means : ""; color: th.text; wrapMode: Text.WordWrap }
        KText { objectName: "noticeStaff"; visible: box.staffLine !== ""; Layout.fillWidth: true; text: "☎ " + box.staffLine; color: th.text; wrapMode: Text.WordWrap }
        KText { objectName: "noticeToDo"; Layout.fillWidth: true; text: box.notice ? "➜ " + box.notice.what_to_do : ""; color: th.text; font.bold: true; wrapMode: Text.WordWrap }
    }
}
