// One form field: label, the input for its kind (locked value / text / digits / choice buttons /
// inline date picker), the source of a prefilled value, and the pre-review message in words beside it
// (to the right in landscape, below in portrait). Only the input the field needs is built (Loader).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

GridLayout {
    id: field
    objectName: "fieldRow_" + model.key
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property string fieldKey: model.key
    readonly property var options: model.options
    readonly property bool isLocked: model.locked
    readonly property string kind: model.kind
    readonly property string currentValue: model.value
    property real rowWidth: 600   // the form's width, set by FormPage (never derived from our own size)
    signal focused(var item)
    // the message beside the input only when the row is wide (landscape, keyboard closed)
    readonly property bool wide: th.landscape && rowWidth > 1200
    columns: wide ? 2 : 1
    columnSpacing: th.margin / 2
    rowSpacing: 6

    ColumnLayout {
        Layout.fillWidth: !field.wide
        Layout.preferredWidth: field.wide ? field.rowWidth * 0.58 : field.rowWidth
        spacing: 6
        KText {
            Layout.fillWidth: true
            text: model.label + (model.locked ? "  ◆" + t.lockedWord : "")
            font.bold: true
            wrapMode: Text.WordWrap
        }
        Loader {
            Layout.fillWidth: true
            sourceComponent: field.isLocked ? lockedInput : field.kind === "choice" ? choiceInput
                             : field.kind === "date" ? dateInput : textInput
        }
        KText {
            visible: model.help !== "" && !model.locked
            Layout.fillWidth: true
            text: "ⓘ " + model.help
            color: th.muted
            font.pixelSize: th.small
            wrapMode: Text.WordWrap
        }
    }
    Rectangle {   // the pre-review message, in words
        objectName: "message_" + model.key
        visible: model.message !== ""
        Layout.fillWidth: true
        Layout.preferredWidth: field.wide ? field.rowWidth * 0.4 : field.rowWidth
        Layout.alignment: Qt.AlignTop
        implicitHeight: msg.implicitHeight + 16
        radius: th.radius
        color: model.severity === "block" ? th.blockBack : model.severity === "review" ? th.okBack : th.warnBack
        border.color: model.severity === "block" ? th.block : model.severity === "review" ? th.ok : th.warn
        border.width: 2
        KText {
            id: msg
            objectName: "messageText_" + model.key
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 10 }
            text: model.message
            color: model.severity === "block" ? th.block : model.severity === "review" ? th.ok : th.warn
            font.pixelSize: th.small
            wrapMode: Text.WordWrap
        }
    }

    Component {   // locked: the value and where it came from
        id: lockedInput
        Rectangle {
            implicitHeight: Math.max(th.target, lockedText.implicitHeight + 16)
            color: th.locked; radius: th.radius; border.color: th.border
            KText {
                id: lockedText
                objectName: "locked_" + field.fieldKey
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 12 }
                text: field.currentValue + (model.source ? "   " + bridge.t.sourceNote.arg(model.source) : "")
                wrapMode: Text.WordWrap
            }
        }
    }
    Component {   // typed: text, digits, numbers (the docked keyboard opens on focus)
        id: textInput
        RowLayout {
            TextField {
                id: input
                objectName: "field_" + field.fieldKey
                Layout.fillWidth: true
                Layout.preferredHeight: th.target
                font.pixelSize: th.body
                text: field.currentValue
                placeholderText: model.placeholder
                placeholderTextColor: th.placeholder
                inputMethodHints: field.kind === "digits" ? Qt.ImhDigitsOnly
                                  : field.kind === "number" ? Qt.ImhFormattedNumbersOnly : Qt.ImhNone
                onTextEdited: bridge.formRows.setAnswer(field.fieldKey, text)
                onActiveFocusChanged: activeFocus ? field.focused(field) : bridge.formRows.touchField(field.fieldKey)
                Connections {
                    target: field
                    function onCurrentValueChanged() { if (!input.activeFocus) input.text = field.currentValue }
                }
            }
            KText { visible: model.unit !== ""; text: model.unit; color: th.muted }
        }
    }
    Component {   // choices as big buttons
        id: choiceInput
        Flow {
            id: chips
            spacing: 10
            Repeater {
                model: field.options
                BigButton {
                    objectName: "option_" + field.fieldKey + "_" + index
                    // never wider than the column: a long choice (a company with its code) wraps its words
                    width: Math.min(implicitWidth, chips.width)
                    text: modelData.label
                    selected: modelData.value === field.currentValue
                    onClicked: bridge.formRows.setAnswer(field.fieldKey, modelData.value)
                }
            }
        }
    }
    Component {   // dates: an inline picker (no pop-up)
        id: dateInput
        DatePicker { fieldKey: field.fieldKey; value: field.currentValue }
    }
}
