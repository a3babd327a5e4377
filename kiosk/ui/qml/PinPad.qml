// The technician's PIN pad: big digit keys, the digits shown only as dots, 删除 / 确认 / 取消.
// The PIN stays in this item until 确认 hands it to tech.submitPin (checked on a worker, never logged);
// wrong PINs, the tries left and a lockout come back as tech.pinMessage. 取消 returns to the start screen.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: pad
    objectName: "pinPad"
    color: "#1B2430"
    property string pin: ""
    readonly property int maxDigits: 12
    readonly property int keySize: Math.min(width / 5, height / 7, 170)

    MouseArea { anchors.fill: parent }   // nothing under the pad takes a touch

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(pad.width - 64, pad.keySize * 3 + 48)
        spacing: 20

        Text {
            Layout.fillWidth: true
            text: "技术维护 · 请输入管理密码"
            color: "#FFFFFF"; font.pixelSize: 40; font.bold: true
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            text: "Technician panel · enter the admin PIN"
            color: "#D5DCE5"; font.pixelSize: 24
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 96
            radius: 14; color: "#FFFFFF"
            Text {
                objectName: "pinDots"
                anchors.centerIn: parent
                text: pad.pin.length ? "●".repeat(pad.pin.length) : "—"
                color: "#1B1F24"; font.pixelSize: 44; font.letterSpacing: 10
            }
        }
        Text {
            objectName: "pinMessage"
            Layout.fillWidth: true
            Layout.minimumHeight: 64
            text: tech.pinMessage
            color: "#FFD7D4"; font.pixelSize: 26; font.bold: true
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
        }
        GridLayout {
            Layout.alignment: Qt.AlignHCenter
            columns: 3
            rowSpacing: 16; columnSpacing: 16
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"]
                Button {
                    objectName: modelData === "del" ? "pinDelete" : modelData === "ok" ? "pinOk" : "pinKey_" + modelData
                    Layout.preferredWidth: pad.keySize
                    Layout.preferredHeight: pad.keySize * 0.72
                    focusPolicy: Qt.NoFocus
                    enabled: modelData !== "ok" || (pad.pin.length > 0 && !tech.pinChecking)
                    text: modelData === "del" ? "删除" : modelData === "ok" ? "确认" : modelData
                    font.pixelSize: modelData.length === 1 ? 52 : 34
                    contentItem: Text {
                        text: parent.text; font: parent.font
                        color: modelData === "ok" ? "#FFFFFF" : "#1B1F24"
                        opacity: parent.enabled ? 1 : 0.5
                        horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
                    }
                    background: Rectangle {
                        radius: 16
                        color: modelData === "ok" ? "#0B57A4" : "#FFFFFF"
                        opacity: parent.down ? 0.75 : 1
                    }
                    onClicked: {
                        if (modelData === "del") {
                            pad.pin = pad.pin.slice(0, -1)
                        } else if (modelData === "ok") {
                            var entered = pad.pin
                            pad.pin = ""
                            tech.submitPin(entered)
                        } else if (pad.pin.length < pad.maxDigits) {
                            pad.pin += modelData
                        }
                    }
                }
            }
        }
        Button {
            objectName: "pinCancel"
            Layout.fillWidth: true
            Layout.preferredHeight: 88
            focusPolicy: Qt.NoFocus
            text: "取消 Cancel"
            font.pixelSize: 32
            contentItem: Text {
                text: parent.text; font: parent.font; color: "#FFFFFF"
                horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle { radius: 16; color: "#4A5361"; border.color: "#D5DCE5"; border.width: 2 }
            onClicked: tech.closeTech()
        }
    }
}
