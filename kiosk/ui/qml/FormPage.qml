// Screen 5 — the form: prefilled fields locked with their source, large inputs, choices as buttons,
// dates with an inline picker, numbers on the numeric keyboard, Chinese through the docked Pinyin
// keyboard; pre-review messages beside each field as the applicant types; after a blocked 下一步,
// the list of what to fix (tap one to scroll to it).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: page
    readonly property var th: bridge.theme
    readonly property var t: bridge.t

    function showItem(item) {
        if (!item) return
        var y = item.mapToItem(column, 0, 0).y
        flick.contentY = Math.max(0, Math.min(y - th.margin, flick.contentHeight - flick.height))
    }
    function showField(key) {
        for (var i = 0; i < fields.count; ++i) {
            var it = fields.itemAt(i)
            if (it && it.fieldKey === key) { showItem(it); return }
        }
    }
    // The field being typed into stays in view when the keyboard opens and the page narrows or
    // shortens under it (landscape: the keyboard docks on the right and the rows re-wrap).
    property var focusedRow: null
    function keepFocusedInView() { if (focusedRow && Qt.inputMethod.visible) showItem(focusedRow) }
    onWidthChanged: Qt.callLater(keepFocusedInView)
    onHeightChanged: Qt.callLater(keepFocusedInView)
    Connections { target: column; function onImplicitHeightChanged() { Qt.callLater(page.keepFocusedInView) } }
    property int fixRound: bridge.view.fix_round
    onFixRoundChanged: if (bridge.view.show_fixes) flick.contentY = 0   // the list of what to fix is on top

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin / 2
        spacing: th.margin / 2
        Flickable {
            id: flick
            objectName: "formFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: column.implicitHeight + th.margin
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AlwaysOn }
            ColumnLayout {
                id: column
                width: flick.width - 24
                spacing: th.margin / 2
                KText { Layout.fillWidth: true; text: bridge.view.service_title; font.pixelSize: th.title * 0.8; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
                KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.muted; font.pixelSize: th.small; wrapMode: Text.WordWrap }
                Rectangle {   // what to fix after a blocked 下一步
                    objectName: "fixList"
                    Layout.fillWidth: true
                    visible: bridge.view.show_fixes && fixRepeater.count > 0
                    color: th.blockBack; border.color: th.block; border.width: 3; radius: th.radius
                    implicitHeight: fixCol.implicitHeight + th.margin
                    ColumnLayout {
                        id: fixCol
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin / 2 }
                        KText { Layout.fillWidth: true; text: "✖ " + t.fixTitle; color: th.block; font.bold: true; wrapMode: Text.WordWrap }
                        Repeater {
                            id: fixRepeater
                            model: bridge.formRows.fixModel
                            BigButton {
                                objectName: "fix_" + model.field
                                Layout.fillWidth: true
                                text: model.label + (/[?？]$/.test(model.label) ? " " : t.colon) + model.message   // a question is not followed by a colon
                                onClicked: page.showField(model.field)
                                contentItem: KText { text: parent.text; font: parent.font; color: th.block; wrapMode: Text.WordWrap; horizontalAlignment: Text.AlignLeft; verticalAlignment: Text.AlignVCenter }
                            }
                        }
                    }
                }
                Repeater {
                    id: fields
                    model: bridge.formRows.fieldModel
                    FieldDelegate {
                        Layout.fillWidth: true
                        rowWidth: column.width
                        onFocused: function(item) { page.focusedRow = item; page.showItem(item) }
                    }
                }
            }
        }
        NoticeBox { Layout.fillWidth: true }
        BigButton {
            objectName: "btnNext"
            Layout.fillWidth: true
            kind: "primary"
            text: t.next + " ›"
            onClicked: { forceActiveFocus(); bridge.actions.next() }
        }
    }
}
