// The signing step (签名): the 承诺书 in short, a pad that does not scroll, 重写 and 确认. 确认 is the
// signature (no further 使用签名 tap): it is enabled only with enough ink, and the session then goes on
// (to the result when the materials are confirmed, else back to the materials screen that names them).
import QtQuick
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property real minInk: bridge.actions.signMinInk
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin / 2
        KText { objectName: "signTitle"; Layout.fillWidth: true; text: t.signTitle; font.pixelSize: th.title; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
        KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.text; wrapMode: Text.WordWrap }
        SignatureArea {
            id: pad
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: th.target * 3
            Layout.maximumHeight: th.target * 6   // a signature's shape, not the whole screen
        }
        KText {
            objectName: "signTooShort"
            Layout.fillWidth: true
            visible: pad.strokeCount > 0 && pad.ink < minInk && !pad.drawing
            text: t.signTooShort; color: th.block; wrapMode: Text.WordWrap
        }
        NoticeBox { Layout.fillWidth: true }
        Item { Layout.fillHeight: true }
        RowLayout {
            Layout.fillWidth: true
            spacing: th.margin / 2
            BigButton { objectName: "btnRewrite"; Layout.fillWidth: true; text: t.signRewrite; onClicked: pad.clear() }
            BigButton {
                objectName: "btnSignConfirm"
                Layout.fillWidth: true
                kind: "primary"
                enabled: pad.ink >= minInk
                text: t.signConfirm + " ✔"
                onClicked: bridge.actions.sign(pad.toDataURL("image/png"), pad.ink)
            }
        }
    }
}
