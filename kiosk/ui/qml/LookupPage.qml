// 扫码查询·补打: type (or scan, or show its QR to the camera) a receipt or licence number to see its status with the holder masked;
// a reprint needs the holder's own ID card on the reader. The rules live in kiosk.lookup; this page only
// shows bridge.lookupPage's status and message and sends query / requestReprint.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property var lk: bridge.lookupPage
    readonly property var st: lk.status
    Flickable {
        anchors.fill: parent
        anchors.margins: th.margin
        contentHeight: body.implicitHeight
        clip: true
        ColumnLayout {
            id: body
            width: parent.width
            spacing: th.margin / 2
            KText { text: t.lookupTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
            KText { Layout.fillWidth: true; text: t.lookupHint; color: th.text; wrapMode: Text.WordWrap }
            TextField {
                id: number
                objectName: "lookupNumber"
                Layout.fillWidth: true
                Layout.preferredHeight: th.target
                font.pixelSize: th.body
                inputMethodHints: Qt.ImhNoPredictiveText
                placeholderText: t.lookupExample
                placeholderTextColor: th.placeholder
                onAccepted: lk.query(text)
            }
            BigButton {
                objectName: "btnLookupQuery"; Layout.fillWidth: true; kind: "primary"; text: t.lookupQuery
                enabled: !lk.busy
                onClicked: lk.query(number.text)
            }
            BigButton {   // the slip's QR shown to the document camera (camera.scan)
                objectName: "btnScanCamera"; Layout.fillWidth: true
                text: camera.scan.active ? t.scanStop : t.scanStart
                selected: camera.scan.active
                enabled: !lk.busy
                onClicked: camera.scan.active ? camera.scan.stop() : camera.scan.start()
            }
            ColumnLayout {
                visible: camera.scan.active
                Layout.fillWidth: true
                Image {
                    objectName: "scanLive"
                    Layout.fillWidth: true
                    Layout.preferredHeight: th.target * 4
                    fillMode: Image.PreserveAspectFit
                    cache: false
                    source: camera.scan.liveRevision > 0 ? "image://kiosk/camera/scan?" + camera.scan.liveRevision : ""
                }
                KText { objectName: "scanHint"; Layout.fillWidth: true; text: camera.scan.hint; color: th.muted; wrapMode: Text.WordWrap }
            }
            Rectangle {
                objectName: "lookupStatus"
                visible: !!st.number
                Layout.fillWidth: true
                implicitHeight: rows.implicitHeight + th.margin
                radius: th.radius
                color: th.surface
                border.color: th.border
                border.width: 2
                GridLayout {
                    id: rows
                    anchors.fill: parent
                    anchors.margins: th.margin / 2
                    columns: 2
                    columnSpacing: th.margin / 2
                    KText { text: t.lookupNo; color: th.muted }
                    KText { objectName: "lookupNo"; Layout.fillWidth: true; text: st.number || ""; wrapMode: Text.WrapAnywhere }
                    KText { text: t.lookupHolder; color: th.muted }
                    KText { objectName: "lookupHolderName"; Layout.fillWidth: true; text: st.holder_name || "" }
                    KText { text: t.lookupIdNumber; color: th.muted }
                    KText { objectName: "lookupHolderId"; Layout.fillWidth: true; text: st.holder_id || "" }
                    KText { text: t.lookupService; color: th.muted }
                    KText { objectName: "lookupService"; Layout.fillWidth: true; text: st.service || ""; wrapMode: Text.WordWrap }
                    KText { text: t.lookupDates; color: th.muted }
                    KText { objectName: "lookupDates"; Layout.fillWidth: true; wrapMode: Text.WordWrap
                            text: (st.applied_on || "") + (st.decided_on ? " / " + st.decided_on : "") }
                    KText { text: t.lookupState; color: th.muted }
                    KText { objectName: "lookupState"; Layout.fillWidth: true; text: st.status || ""; wrapMode: Text.WordWrap }
                    KText { text: t.lookupPrinted; color: th.muted }
                    KText { objectName: "lookupPrinted"; Layout.fillWidth: true; text: st.printed || ""; wrapMode: Text.WordWrap }
                }
            }
            Rectangle {  // a scanned 一码通行 code: the business and every permit it vouches for
                objectName: "lookupBusiness"
                visible: !!lk.business.uscc
                Layout.fillWidth: true
                implicitHeight: businessCol.implicitHeight + th.margin
                radius: th.radius; color: th.surface; border.color: th.border; border.width: 2
                ColumnLayout {
                    id: businessCol
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: th.margin / 2 }
                    spacing: th.margin / 4
                    KText { Layout.fillWidth: true; text: t.businessTitle; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
                    KText { objectName: "lookupBusinessName"; Layout.fillWidth: true; text: lk.business.name || ""; color: th.text; wrapMode: Text.WordWrap }
                    KText { Layout.fillWidth: true; text: t.businessCode + t.colon + (lk.business.uscc || ""); color: th.muted; wrapMode: Text.WrapAnywhere }
                    Repeater {
                        model: lk.business.permits || []
                        ColumnLayout {
                            objectName: "lookupPermit_" + index
                            Layout.fillWidth: true
                            spacing: 2
                            KText { Layout.fillWidth: true; wrapMode: Text.WordWrap; font.bold: true
                                    color: modelData.expired ? th.accent : th.text
                                    text: (index + 1) + ". " + modelData.item + (modelData.expired ? t.permitExpired : "") }
                            KText { Layout.fillWidth: true; wrapMode: Text.WordWrap; color: th.text
                                    text: t.permitNo + t.colon + modelData.number + t.fieldGap + t.permitOffice + t.colon + (modelData.office || "-")
                                          + t.fieldGap + t.permitValidTo + t.colon + modelData.valid_to }
                        }
                    }
                }
            }
            Rectangle {  // the hall's answer (kiosk.sync): review state, 补正 notice, pickup
                objectName: "lookupHall"
                visible: !!st.number
                Layout.fillWidth: true
                implicitHeight: hallRows.implicitHeight + th.margin
                radius: th.radius
                color: th.surface
                border.color: lk.hall.state === "correction_requested" ? th.accent : th.border
                border.width: 2
                ColumnLayout {
                    id: hallRows
                    anchors.fill: parent
                    anchors.margins: th.margin / 2
                    spacing: th.margin / 4
                    KText { text: t.hallTitle; color: th.muted }
                    KText {
                        objectName: "lookupHallState"; Layout.fillWidth: true; wrapMode: Text.WordWrap
                        font.bold: true; color: th.text
                        text: lk.hall.state ? (t["hall_" + lk.hall.state] || lk.hall.state)
                                                     : t.hallNotYet
                    }
                    KText {
                        visible: (lk.hall.items || []).length > 0; text: t.hallNoticeItems; color: th.text
                    }
                    Repeater {
                        model: lk.hall.items || []
                        KText { Layout.fillWidth: true; wrapMode: Text.WordWrap; color: th.text
                                text: (index + 1) + ". " + modelData }
                    }
                    KText {
                        objectName: "lookupHallNotice"; visible: !!lk.hall.noticeText
                        Layout.fillWidth: true; wrapMode: Text.WordWrap; color: th.text; text: lk.hall.noticeText || ""
                    }
                    KText {
                        visible: !!lk.hall.due; color: th.text
                        text: t.hallNoticeDue + t.colon + (lk.hall.due || "")
                    }
                    KText {
                        objectName: "lookupHallPickup"; visible: !!lk.hall.pickupKind
                        Layout.fillWidth: true; wrapMode: Text.WordWrap; color: th.text
                        text: lk.hall.pickupKind === "mail" ? t.hallPickupMail + " " + (lk.hall.ems || "")
                              : t.hallPickupWindow + " " + (lk.hall.window || "")
                    }
                    KText {
                        visible: !!lk.hall.updated; color: th.muted
                        text: t.hallUpdated + " " + (lk.hall.updated || "")
                    }
                }
            }
            BigButton {
                objectName: "btnPrintNotice"; Layout.fillWidth: true; kind: "primary"; text: t.hallPrintNotice
                visible: !!st.number && (lk.hall.items || []).length > 0
                enabled: !lk.busy && !lk.awaitingCard
                onClicked: lk.printNotice()
            }
            BigButton {
                objectName: "btnReprint"; Layout.fillWidth: true; kind: "accent"; text: t.reprintWithCard
                visible: !!st.number
                enabled: !lk.busy && !lk.awaitingCard
                onClicked: lk.requestReprint()
            }
            BigButton {
                objectName: "btnOneCode"; Layout.fillWidth: true; text: t.lookupOneCode
                enabled: !lk.busy && !lk.awaitingCard
                onClicked: lk.requestOneCode()
            }
            KText {
                objectName: "lookupMessage"; Layout.fillWidth: true; text: lk.message; color: th.text
                wrapMode: Text.WordWrap; font.bold: lk.awaitingCard
            }
        }
    }
}
