// Screen 3 — item intro: conditions, materials, what 告知承诺 means, then 开始办理.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property var it: bridge.startPages.intro
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin / 2
        Item {   // the page's content, and the 下面还有 bar under it while part of it is out of view
            Layout.fillWidth: true
            Layout.fillHeight: true
            Flickable {
                id: introFlick
                anchors { left: parent.left; right: parent.right; top: parent.top; bottom: more.visible ? more.top : parent.bottom }
                contentHeight: body.implicitHeight
                clip: true
                ColumnLayout {
                    id: body
                    width: parent.width
                    spacing: th.margin / 2
                    KText { objectName: "introTitle"; Layout.fillWidth: true; text: it.title || ""; font.pixelSize: th.title; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
                    KText { Layout.fillWidth: true; text: (it.department || "") + " · " + t.minutes.replace("{n}", it.minutes || 0) + (it.instant ? " · ⚡" + t.instant : ""); color: th.muted; font.pixelSize: th.small; wrapMode: Text.WordWrap }
                    KText { text: "▎" + t.conditions; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1 }
                    KText { Layout.fillWidth: true; text: it.conditions || ""; color: th.text; wrapMode: Text.WordWrap; lineHeight: 1.2 }
                    KText { text: "▎" + t.materials; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1 }
                    Repeater {
                        model: it.bringList || []
                        KText { Layout.fillWidth: true; text: "• " + modelData; color: th.text; wrapMode: Text.WordWrap }
                    }
                    KText { text: "▎" + t.promiseTitle; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1 }
                    KText { Layout.fillWidth: true; text: t.promiseText; color: th.text; wrapMode: Text.WordWrap; lineHeight: 1.2 }
                }
            }
            MoreBelow { id: more; flick: introFlick }
        }
        BigButton {
            objectName: "btnStart"
            Layout.fillWidth: true
            kind: "primary"
            text: t.start + " ›"
            font.pixelSize: th.title
            onClicked: bridge.startPages.startService()
        }
    }
}
