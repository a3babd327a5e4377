// Screen 9 — 好差评: take the licence/receipt (or, after 不打印，继续, that nothing printed and what to do
// instead; a 受理 says the decision comes later) and the card, five faces, an optional reason.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: page
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    property int stars: 0
    // The content scrolls (elder mode in landscape is taller than the page); 跳过 / 提交评价 stay in a bar
    // at the bottom, above the footer, always in reach.
    ColumnLayout {
      anchors.fill: parent
      anchors.margins: th.margin
      spacing: th.margin / 2
      Item {   // the page's content, and the 下面还有 bar under it while part of it is out of view
        Layout.fillWidth: true
        Layout.fillHeight: true
      Flickable {
        id: flick
        objectName: "ratingScroll"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: more.visible ? more.top : parent.bottom }
        clip: true
        contentWidth: width
        contentHeight: content.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { policy: flick.contentHeight > flick.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }
      ColumnLayout {
        id: content
        width: flick.width
        spacing: th.margin / 2
        KText {
            objectName: "takeSlip"; Layout.fillWidth: true; font.pixelSize: th.title; font.bold: true; wrapMode: Text.WordWrap
            readonly property bool skipped: bridge.view.print_skipped
            text: skipped ? "⚠ " + t.notPrinted.replace("{document}", bridge.view.printed_document)
                          : "✔ " + (bridge.view.printed_late ? t.printedLate.replace("{document}", bridge.view.printed_document) : t.takeSlip)
            color: skipped ? th.block : th.ok
        }
        NumberLine { objectName: "ratingNumber"; Layout.fillWidth: true; bold: bridge.view.print_skipped }
        KText { objectName: "notPrintedLine"; visible: bridge.view.not_printed_line !== ""; Layout.fillWidth: true; text: "➜ " + bridge.view.not_printed_line; color: th.text; font.bold: true; wrapMode: Text.WordWrap }
        KText { objectName: "decisionLine"; visible: bridge.view.decision_line !== ""; Layout.fillWidth: true; text: "➜ " + bridge.view.decision_line; color: th.text; wrapMode: Text.WordWrap }
        KText { objectName: "ratingPickup"; visible: bridge.view.pickup_line !== ""; Layout.fillWidth: true; text: "➜ " + bridge.view.pickup_line; color: th.text; wrapMode: Text.WordWrap }
        KText { objectName: "ratingPromised"; visible: bridge.view.promised_line !== ""; Layout.fillWidth: true; text: "➜ " + bridge.view.promised_line; color: th.text; wrapMode: Text.WordWrap }
        KText { visible: bridge.view.card_present; Layout.fillWidth: true; text: "⚠ " + t.takeCard; color: th.block; font.bold: true; wrapMode: Text.WordWrap }
        KText { text: t.rateTitle; font.pixelSize: th.body * 1.2; font.bold: true; color: th.text }
        GridLayout {
            Layout.fillWidth: true
            columns: th.elder && !th.landscape ? 3 : 5
            Repeater {
                model: 5
                BigButton {
                    objectName: "face_" + (index + 1)
                    Layout.fillWidth: true
                    Layout.preferredHeight: th.target * 1.8
                    text: t.faces.split(",")[index]
                    selected: page.stars === index + 1
                    onClicked: page.stars = index + 1
                    contentItem: Column {
                        spacing: 4
                        Face { mood: index + 1; width: th.target; height: th.target; anchors.horizontalCenter: parent.horizontalCenter }
                        KText {
                            width: parent.width
                            text: (page.stars === index + 1 ? "✔ " : "") + t.faces.split(",")[index]
                            font.pixelSize: th.small
                            color: page.stars === index + 1 ? th.onPrimary : th.text
                            horizontalAlignment: Text.AlignHCenter
                            wrapMode: Text.WordWrap
                        }
                    }
                }
            }
        }
        TextField { id: reason; objectName: "rateReason"; Layout.fillWidth: true; Layout.preferredHeight: th.target; font.pixelSize: th.body; placeholderText: t.rateReason; placeholderTextColor: th.placeholder }
      }
      }
        MoreBelow { id: more; flick: flick }
      }
      RowLayout {   // the actions, never under the footer
        objectName: "ratingActions"
        Layout.fillWidth: true
        spacing: th.margin / 2
        BigButton { objectName: "btnSkipRating"; text: t.skipRating; onClicked: bridge.actions.next() }
        BigButton { objectName: "btnRate"; Layout.fillWidth: true; kind: "primary"; enabled: page.stars > 0; text: t.submitRating; onClicked: bridge.actions.rate(page.stars, reason.text) }
      }
    }
}
