// Screen 7 — result: 秒批 (the item's document prints after 确认提交) or 受理 with the expected completion
// and a choice of pickup or EMS mail (address prefilled from the card, editable) — asked here only when
// the form did not ask it already (view.delivery_in_form). Where the original is collected (the hall's
// 发证窗口 number) or where it is mailed: view.pickup_line, empty until a method is chosen; the address
// field shows once 邮寄 is chosen.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property bool accepted: bridge.view.outcome === "accepted"
    readonly property var delivery: bridge.view.delivery
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin / 2
        KText { text: t.resultTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
        Rectangle {
            Layout.fillWidth: true
            color: th.okBack; border.color: th.ok; border.width: 3; radius: th.radius
            implicitHeight: line.implicitHeight + th.margin
            KText {
                id: line
                objectName: "resultOutcome"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                text: (accepted ? "✉ " : "⚡ ") + bridge.view.outcome_line
                color: th.ok; font.bold: true; font.pixelSize: th.body * 1.15; wrapMode: Text.WordWrap
            }
        }
        KText {
            objectName: "pickupLine"
            visible: bridge.view.pickup_line !== ""
            Layout.fillWidth: true
            text: (bridge.view.delivery_in_form && accepted ? t.deliveryChosen : "➜ ") + bridge.view.pickup_line
            color: th.text; font.bold: true; wrapMode: Text.WordWrap
        }
        KText {
            objectName: "promisedLine"
            visible: bridge.view.promised_line !== ""
            Layout.fillWidth: true
            text: "➜ " + bridge.view.promised_line
            color: th.text; font.bold: true; wrapMode: Text.WordWrap
        }
        ColumnLayout {
            visible: accepted && !bridge.view.delivery_in_form
            Layout.fillWidth: true
            spacing: th.margin / 2
            RowLayout {
                Layout.fillWidth: true
                BigButton {
                    objectName: "delivery_pickup"; Layout.fillWidth: true; text: t.pickup
                    selected: !!delivery && delivery.method === "pickup"
                    onClicked: bridge.actions.chooseDelivery("pickup", "")
                }
                BigButton {
                    objectName: "delivery_mail"; Layout.fillWidth: true; text: "✉ " + t.mail
                    selected: !!delivery && delivery.method === "mail"
                    onClicked: bridge.actions.chooseDelivery("mail", address.text)
                }
            }
            KText { visible: address.visible; text: t.address; color: th.text; font.bold: true }
            TextField {   // only once 邮寄 is chosen, or 邮寄 asked for an address (the suggestion is kept until then)
                id: address
                objectName: "mailAddress"
                visible: (!!delivery && delivery.method === "mail") || (!!bridge.view.notice && bridge.view.notice.code === "address_missing")
                Layout.fillWidth: true
                Layout.preferredHeight: th.target
                font.pixelSize: th.body
                text: bridge.view.suggested_mail_address
                onEditingFinished: if (!!delivery && delivery.method === "mail") bridge.actions.chooseDelivery("mail", text)
            }
        }
        NoticeBox { Layout.fillWidth: true }
        Item { Layout.fillHeight: true }
        KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.muted; wrapMode: Text.WordWrap }
        BigButton { objectName: "btnConfirm"; Layout.fillWidth: true; kind: "primary"; text: t.confirm + " ✔"; font.pixelSize: th.title; onClicked: bridge.actions.confirm() }
    }
}
