// A labelled row of choice buttons on a technician panel page (one is chosen). `options` is a list of
// {key, label} (or plain strings); `value` is the chosen key; objectNames are `<name>_<index>`.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    id: choiceRoot
    property alias label: caption.text
    property var options: []
    property string value: ""
    property string name: ""
    signal chosen(string key)
    spacing: 6
    Text { id: caption; font.pixelSize: 22; font.bold: true; color: "#4A5361"; Layout.fillWidth: true; wrapMode: Text.WordWrap; visible: text !== "" }
    Flow {
        Layout.fillWidth: true
        spacing: 10
        Repeater {
            model: choiceRoot.options
            TechButton {
                readonly property string key: typeof modelData === "string" ? modelData : modelData.key
                objectName: choiceRoot.name + "_" + index
                text: typeof modelData === "string" ? (modelData || "—") : modelData.label
                kind: key === choiceRoot.value ? "primary" : "normal"
                font.pixelSize: 22
                onClicked: { choiceRoot.value = key; choiceRoot.chosen(key) }
            }
        }
    }
}
