// A titled white card on a technician panel page; children stack in a column.
import QtQuick
import QtQuick.Layouts

Rectangle {
    default property alias content: inner.data
    property string title: ""
    color: "#FFFFFF"; radius: 14; border.color: "#C9D0DA"; border.width: 2
    implicitHeight: inner.implicitHeight + 40
    ColumnLayout {
        id: inner
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 20 }
        spacing: 14
        Text {
            text: parent.parent.title; visible: text !== ""
            font.pixelSize: 30; font.bold: true; color: "#0B3D74"
            Layout.fillWidth: true; wrapMode: Text.WordWrap
        }
    }
}
