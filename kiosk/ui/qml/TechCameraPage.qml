// The technician panel's camera page: pick a device (sim://, the configured one, /dev/videoN, or type
// an address), its live preview with the page outline, a capture test (the flattened page, its
// size, confidence and time, or why no page was found), and 保存 (tech.saveCamera) to make it the
// configured camera. camera.tech does the work
// (kiosk/ui/techcamera.py: frames on their own thread). Fixed sizes and bilingual words, as the panel.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: camPage
    objectName: "techCameraPage"
    color: "#F4F6F9"
    signal closed()
    readonly property var cam: camera.tech
    readonly property bool landscape: width > height
    // 保存 saves the address typed, else the one previewed (through the panel's config desk: validated,
    // the old file kept, audited, used from the next capture on; the result shows in the panel's line)
    readonly property string toSave: address.text.trim() !== "" ? address.text.trim() : cam.url

    component CamButton: Button {
        id: control
        property bool primary: false
        implicitHeight: Math.max(72, contentItem.implicitHeight + 20)
        implicitWidth: contentItem.implicitWidth + 36
        focusPolicy: Qt.NoFocus
        font.pixelSize: 24
        contentItem: Text {
            text: control.text; font: control.font; wrapMode: Text.WordWrap
            color: control.primary ? "#FFFFFF" : "#1B1F24"
            horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 12; border.color: "#8A94A3"; border.width: 2
            color: control.primary ? "#0B57A4" : "#FFFFFF"
            opacity: control.down ? 0.8 : 1
        }
    }

    MouseArea { anchors.fill: parent }
    Component.onCompleted: cam.open()
    Component.onDestruction: cam.stop()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 16
        RowLayout {
            Layout.fillWidth: true
            Text { Layout.fillWidth: true; text: "拍摄仪 · Document camera"; font.pixelSize: 32; font.bold: true; color: "#0B3D74" }
            CamButton { objectName: "camClose"; text: "关闭 Close"; onClicked: camPage.closed() }
        }
        Flow {
            Layout.fillWidth: true
            spacing: 12
            Repeater {
                model: cam.devices
                CamButton {
                    objectName: "camDevice_" + index
                    text: modelData
                    primary: modelData === cam.url
                    onClicked: cam.choose(modelData)
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: address
                objectName: "camAddress"
                Layout.fillWidth: true
                font.pixelSize: 24
                placeholderText: "设备编号、视频文件或图片文件夹 · index, video file or image folder"
                onAccepted: cam.choose(text)
            }
            CamButton { objectName: "camTry"; text: "打开 Open"; onClicked: cam.choose(address.text) }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Text {
                objectName: "camConfigured"
                Layout.fillWidth: true
                // tech.techResult first: a save's answer re-reads the configured address
                text: (tech.techResult, "已保存的拍摄仪 Saved camera: ") + cam.configured + (cam.url !== "" && cam.url !== cam.configured
                      ? "  ·  正在预览 previewing " + cam.url : "")
                font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap
            }
            CamButton {
                objectName: "camSave"
                primary: true
                enabled: !tech.techBusy && camPage.toSave !== ""
                text: "保存 Save"
                onClicked: tech.saveCamera(camPage.toSave)
            }
        }
        Text { objectName: "camStatus"; Layout.fillWidth: true; text: cam.status; font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap }
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: camPage.landscape ? 2 : 1
            columnSpacing: 16; rowSpacing: 16
            Rectangle {
                Layout.fillWidth: true; Layout.fillHeight: true
                color: "#1B1F24"; radius: 12; clip: true
                Image {
                    id: live
                    objectName: "camLive"
                    anchors.fill: parent; anchors.margins: 4
                    fillMode: Image.PreserveAspectFit; cache: false
                    source: cam.liveRevision > 0 ? "image://kiosk/camera/tech?" + cam.liveRevision : ""
                }
                Canvas {
                    anchors.fill: live
                    property var corners: cam.corners
                    property bool found: cam.found
                    onCornersChanged: requestPaint()
                    onPaint: {
                        var ctx = getContext("2d")
                        ctx.reset()
                        if (corners.length !== 8 || live.paintedWidth <= 0) return
                        var ox = (width - live.paintedWidth) / 2, oy = (height - live.paintedHeight) / 2
                        ctx.lineWidth = 4
                        ctx.strokeStyle = found ? "#2ECC71" : "#F5A623"
                        ctx.beginPath()
                        for (var i = 0; i < 4; i++) {
                            var x = ox + corners[2 * i] * live.paintedWidth, y = oy + corners[2 * i + 1] * live.paintedHeight
                            if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
                        }
                        ctx.closePath(); ctx.stroke()
                    }
                }
            }
            Rectangle {
                Layout.fillWidth: true; Layout.fillHeight: true
                color: "#E9EDF2"; radius: 12; clip: true
                Image {
                    objectName: "camTestPage"
                    anchors.fill: parent; anchors.margins: 8
                    fillMode: Image.PreserveAspectFit; cache: false
                    source: cam.testRevision > 0 ? "image://kiosk/camera/techpage?" + cam.testRevision : ""
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            CamButton { objectName: "camCaptureTest"; primary: true; text: "拍照测试 Capture test"; onClicked: cam.captureTest() }
            Text { objectName: "camResult"; Layout.fillWidth: true; text: cam.result; font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap }
        }
    }
}
