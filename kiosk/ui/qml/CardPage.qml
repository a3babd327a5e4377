// Screen 4 — lay the ID card on the reader: an animation, the words (also spoken in elder mode), and
// any reader fault as what happened and what to do. From the reader's first sight of a card
// (view.card_reading) until the read ends: 正在读取，请不要移动证件 with a progress bar, and the card
// lying on the reader with a light sweeping over it (animated by the scene graph, never from Python).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property var notice: bridge.view.notice
    readonly property bool refused: !!notice && (notice.code === "card_excluded" || notice.code === "records_excluded" || notice.code.indexOf("card_expired") === 0)
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: refused ? th.margin / 2 : th.margin
        KText { Layout.fillWidth: true; text: bridge.view.service_title; color: th.muted; font.pixelSize: th.small; wrapMode: Text.WordWrap }
        // A refused card (a minor, an expired card): take it back, and what to do (no "do not move it")
        KText { objectName: "cardTitle"; Layout.fillWidth: true; text: refused ? t.cardRefusedTitle : t.cardTitle; font.pixelSize: th.title; font.bold: true; color: refused ? th.block : th.text; wrapMode: Text.WordWrap }
        KText { objectName: "cardInstruction"; Layout.fillWidth: true; text: refused ? t.cardRefusedInstruction : bridge.view.instruction; color: th.text; wrapMode: Text.WordWrap }
        KText {   // where this terminal's reader is (config display.reader_position), for a first-timer
            objectName: "readerWhere"
            visible: !refused && (bridge.view.reader_where || "") !== ""
            Layout.fillWidth: true
            text: bridge.view.reader_where || ""
            font.pixelSize: th.title * 0.9; font.bold: true; color: th.primary
            wrapMode: Text.WordWrap
        }
        Item {
            id: stage
            visible: !refused   // the card is to be taken away: room for the notice and the way out
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: th.target * 3
            Layout.maximumHeight: th.target * 8
            Rectangle {   // the reader
                id: reader
                width: Math.min(stage.width * 0.7, th.target * 7); height: width * 0.35
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottom: parent.bottom
                radius: th.radius; color: "#33414F"
                KText { anchors.centerIn: parent; text: "▣ " + t.readerArea; color: "#FFFFFF"; font.pixelSize: th.body }
            }
            Rectangle {   // the card, moving down onto the reader; while it is read it lies there, scanned
                // The loop stops when the read starts (the card is on the reader now): the card settles
                // from wherever it was onto the reader and a light sweeps over it for as long as the read
                // lasts (a real reader takes up to ~3 s), so the picture never stops mid-air.
                id: card
                objectName: "cardGraphic"
                readonly property bool reading: !!bridge.view.card_reading && bridge.page === "card"
                readonly property real laidY: stage.height - reader.height - height * 0.5
                property real sweep: 0
                width: reader.width * 0.6; height: width * 0.63
                x: (stage.width - width) / 2
                radius: th.radius / 2; color: "#D9E8F7"; border.color: th.primary; border.width: 3
                clip: true
                KText { anchors.centerIn: parent; text: t.idCard; color: th.text; font.pixelSize: th.body }
                Rectangle {   // the reading light
                    visible: card.reading
                    width: card.width * 0.25; height: card.height
                    x: card.sweep * (card.width + width) - width
                    opacity: 0.45
                    gradient: Gradient {
                        orientation: Gradient.Horizontal
                        GradientStop { position: 0.0; color: "transparent" }
                        GradientStop { position: 0.5; color: th.primary }
                        GradientStop { position: 1.0; color: "transparent" }
                    }
                }
                SequentialAnimation {
                    running: !bridge.view.notice && !card.reading && bridge.page === "card"
                    loops: Animation.Infinite
                    NumberAnimation { target: card; property: "y"; from: 0; to: card.laidY; duration: 1400; easing.type: Easing.InOutQuad }
                    PauseAnimation { duration: 900 }
                }
                NumberAnimation { id: settle; target: card; property: "y"; to: card.laidY; duration: 250; easing.type: Easing.OutQuad }
                NumberAnimation on sweep { running: card.reading; loops: Animation.Infinite; from: 0; to: 1; duration: 900 }
                onReadingChanged: if (reading) settle.restart()
            }
        }
        Rectangle {
            objectName: "cardReading"
            visible: !!bridge.view.card_reading
            Layout.fillWidth: true
            implicitHeight: readingCol.implicitHeight + th.margin
            color: th.okBack; border.color: th.ok; border.width: 3; radius: th.radius
            ColumnLayout {
                id: readingCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin / 2 }
                spacing: th.margin / 4
                KText { objectName: "cardReadingText"; Layout.fillWidth: true; text: t.readingNow; color: th.text; font.bold: true; font.pixelSize: th.title; wrapMode: Text.WordWrap }
                ProgressBar {
                    objectName: "cardReadingProgress"
                    Layout.fillWidth: true
                    Layout.preferredHeight: th.margin / 2
                    from: 0; to: 1
                    // the read is ~0.1 s of wire time at 115,200 baud; the bar fills over a second and
                    // waits near the end (the form replaces this screen as soon as the card is read)
                    NumberAnimation on value { running: !!bridge.view.card_reading; from: 0.05; to: 0.95; duration: 1000; easing.type: Easing.OutCubic }
                }
                KText { Layout.fillWidth: true; text: t.readingHint; color: th.muted; font.pixelSize: th.small; wrapMode: Text.WordWrap }
            }
        }
        NoticeBox { Layout.fillWidth: true }
        Item { Layout.fillHeight: true }
        BigButton {   // back to the list of every service (Back ends the card step; then the catalog opens)
            objectName: "btnOtherService"
            Layout.fillWidth: true
            visible: refused
            kind: "primary"
            font.pixelSize: th.title
            text: "‹ " + t.otherService
            onClicked: { var start = bridge.startPages; bridge.actions.back(); start.chooseAudience("") }
        }
        BigButton {
            objectName: "btnCardNext"
            Layout.fillWidth: true
            visible: !!bridge.view.card && !bridge.view.notice
            kind: "primary"
            text: t.cardAlready.replace("{name}", bridge.view.card ? bridge.view.card.name : "") + " — " + t.next + " ›"
            onClicked: bridge.actions.next()
        }
    }
}
