// Screen 8 — saving and printing: progress, the number with its QR code, the slip as it comes out;
// on a printer fault: at once what happened, that the result (by the item's own document name) is
// issued and safe with its number, and what happens next (how the staff call stands; it prints by itself when the
// printer is fixed; or the 发证窗口; or a reprint later with the ID card). When the waiting slip prints,
// the session moves on to the rating by itself.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property string step: bridge.view.step
    // The content scrolls (elder mode in landscape is taller than the page); the actions stay in a bar
    // at the bottom, above the footer, always in reach.
    ColumnLayout {
      anchors.fill: parent
      anchors.margins: th.margin
      spacing: th.margin / 2
      Flickable {
        id: flick
        objectName: "printingScroll"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        contentWidth: width
        contentHeight: grid.implicitHeight
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { policy: flick.contentHeight > flick.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }
      GridLayout {
        id: grid
        width: flick.width
        height: Math.max(implicitHeight, flick.height)
        columns: th.landscape ? 2 : 1
        columnSpacing: th.margin
        rowSpacing: th.margin / 2
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignTop
            spacing: th.margin / 2
            KText {
                objectName: "printingTitle"
                Layout.fillWidth: true
                readonly property bool waits: bridge.view.print_waits === true
                text: step === "saving" ? "◷ " + t.saving : step === "printing" ? "■ " + t.printing
                      : waits ? "◷ " + t.printWaiting : "⚠ " + t.printFailed
                font.pixelSize: th.title; font.bold: true; color: step === "print_failed" && !waits ? th.block : th.text
                wrapMode: Text.WordWrap
            }
            ProgressBar { Layout.fillWidth: true; indeterminate: true; visible: step !== "print_failed" || bridge.view.print_waits === true }
            NumberLine { objectName: "printedNumber"; Layout.fillWidth: true; pixelSize: th.body * 1.1; bold: true }
            NoticeBox {   // a waiting fault called staff: how that call really stands (the hall's answer)
                Layout.fillWidth: true
                staffLine: step === "print_failed" && bridge.view.staff_called ? bridge.actions.staffCall.printerText : ""
            }
            Image {
                objectName: "numberQr"
                visible: step === "print_failed" && bridge.view.qr_source !== ""
                source: bridge.view.qr_source
                Layout.preferredWidth: th.target * 3.5
                Layout.preferredHeight: th.target * 3.5
                fillMode: Image.PreserveAspectFit
                smooth: false
            }
            KText { visible: step === "print_failed"; text: t.photoQr; color: th.muted; Layout.fillWidth: true; wrapMode: Text.WordWrap }
        }
        Image {   // the slip as the printer made it (demo: the emulator's preview)
            objectName: "slipPreview"
            visible: bridge.documents.slipCount > 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: th.target * 3
            fillMode: Image.PreserveAspectFit
            source: bridge.documents.slipCount > 0 ? bridge.documents.slipModel.get(bridge.documents.slipCount - 1).source : ""
        }
    }
      }
      RowLayout {   // the actions, never under the footer
        objectName: "printActions"
        visible: step === "print_failed"
        Layout.fillWidth: true
        spacing: th.margin / 2
        // paper out, cover open: the slip prints by itself once staff fixed the printer, so no 重新打印
        // beside "会自动打印"; only leaving without waiting
        BigButton { objectName: "btnRetry"; visible: !bridge.view.print_waits; Layout.fillWidth: true; kind: "primary"; text: t.retry; onClicked: bridge.actions.retryPrint() }
        BigButton { objectName: "btnSkipPrint"; Layout.fillWidth: true; text: bridge.view.print_waits ? t.skipWaiting : t.skip; onClicked: bridge.actions.next() }
      }
    }
}
