// The technician panel's devices page: the card reader (a detected port or a typed address, baud rate,
// 读卡测试 with the number masked, SAM ID and status), the printer (the address built from its kind: TCP
// host:port, serial device + baud, USB ids, CUPS queue; profile, paper width, text or raster; test page,
// live status) and the speaker (a test sentence, volume). 保存 validates, saves (old file kept), applies
// and audits on the worker (tech.saveReader / savePrinter / saveVolume); the words come back in techResult.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Flickable {
    id: page
    objectName: "techDevicesPage"
    readonly property var form: tech.deviceForm
    readonly property var printer: form.printer || ({})
    readonly property bool landscape: width > height
    readonly property int gap: 24
    property string kind: printer.kind || "sim"
    property string readerBaud: form.readerBaud || "115200"
    property string profile: printer.profile || ""
    property string paperWidth: printer.width || ""
    property string mode: printer.mode || ""
    property string serialBaud: printer.baudrate || "9600"
    contentHeight: grid.implicitHeight + 2 * gap
    clip: true
    Component.onCompleted: tech.loadDevices()

    Timer {   // the printer's live status while this page shows (its own worker call, DLE EOT)
        interval: 3000; repeat: true; running: page.visible && tech.techMode === "panel"
        triggeredOnStart: true
        onTriggered: tech.pollPrinter()
    }

    GridLayout {
        id: grid
        x: page.gap; y: page.gap
        width: page.width - 2 * page.gap
        columns: page.landscape ? 2 : 1
        rowSpacing: page.gap; columnSpacing: page.gap

        TechCard {
            title: "读卡器 · Card reader"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            TechChoice {
                Layout.fillWidth: true
                label: "检测到的端口 · Detected ports"
                name: "readerPortChoice"
                options: (page.form.readerPorts || []).map(p => ({ key: p.device, label: p.label }))
                value: readerPortField.text
                onChosen: key => readerPortField.text = key
            }
            TechField {
                id: readerPortField
                Layout.fillWidth: true
                fieldName: "readerPort"
                label: "端口或地址 · Port or URL（如 /dev/ttyUSB0、socket://10.0.0.7:7001）"
                text: page.form.readerPort || ""
            }
            TechChoice {
                Layout.fillWidth: true
                label: "波特率 · Baud rate"
                name: "readerBaud"
                options: page.form.readerBauds || []
                value: page.readerBaud
                onChosen: key => page.readerBaud = key
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                TechButton { objectName: "techReadTest"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "读卡测试\nRead test"; onClicked: tech.readTest() }
                TechButton { objectName: "techSaveReader"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "保存读卡器\nSave reader"; onClicked: tech.saveReader(readerPortField.text, page.readerBaud) }
            }
        }

        TechCard {
            title: "打印机 · Printer"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            Layout.rowSpan: page.landscape ? 2 : 1
            Text {
                objectName: "printerLive"
                Layout.fillWidth: true
                text: "实时状态 Live: " + (tech.printerLive || "…")
                font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.Wrap
            }
            TechChoice {
                Layout.fillWidth: true
                label: "连接方式 · Connection"
                name: "printerKind"
                options: page.form.printerKinds || []
                value: page.kind
                onChosen: key => page.kind = key
            }
            RowLayout {
                Layout.fillWidth: true
                visible: page.kind === "tcp"
                spacing: 12
                TechField { id: hostField; Layout.fillWidth: true; Layout.preferredWidth: 3; fieldName: "printerHost"; label: "主机 · Host"; text: page.printer.host || "" }
                TechField { id: tcpPortField; Layout.fillWidth: true; Layout.preferredWidth: 1; fieldName: "printerPort"; label: "端口 · Port"; text: page.printer.port || "9100"; hints: Qt.ImhDigitsOnly }
            }
            TechField { id: deviceField; Layout.fillWidth: true; visible: page.kind === "serial"; fieldName: "printerDevice"; label: "串口 · Serial device（如 /dev/ttyS1）"; text: page.printer.device || "" }
            TechChoice {
                Layout.fillWidth: true
                visible: page.kind === "serial"
                label: "波特率 · Baud rate"
                name: "printerBaud"
                options: ["9600", "19200", "38400", "57600", "115200"]
                value: page.serialBaud
                onChosen: key => page.serialBaud = key
            }
            TechField { id: usbField; Layout.fillWidth: true; visible: page.kind === "usb"; fieldName: "printerUsb"; label: "USB 厂商:产品 · vendor:product（如 0x0416:0x5011）"; text: page.printer.usb || "" }
            TechField { id: queueField; Layout.fillWidth: true; visible: page.kind === "cups"; fieldName: "printerQueue"; label: "CUPS 队列 · Queue"; text: page.printer.queue || "" }
            TechChoice {
                Layout.fillWidth: true
                label: "型号 · Profile"
                name: "printerProfile"
                options: page.form.profiles || []
                value: page.profile
                onChosen: key => page.profile = key
            }
            TechChoice {
                Layout.fillWidth: true
                label: "纸宽 · Paper width"
                name: "printerWidth"
                options: page.form.widths || []
                value: page.paperWidth
                onChosen: key => page.paperWidth = key
            }
            TechChoice {
                Layout.fillWidth: true
                label: "打印方式 · Mode"
                name: "printerMode"
                options: [{ key: "", label: "按型号 profile" }, { key: "text", label: "文字 text" }, { key: "raster", label: "图像 raster" }]
                value: page.mode
                onChosen: key => page.mode = key
            }
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                rowSpacing: 12; columnSpacing: 12
                TechButton {
                    objectName: "techSavePrinter"; Layout.fillWidth: true; Layout.preferredWidth: 1
                    kind: "primary"; text: "保存打印机\nSave printer"
                    onClicked: tech.savePrinter({ kind: page.kind, host: hostField.text, port: tcpPortField.text,
                                                  device: deviceField.text, baudrate: page.serialBaud, usb: usbField.text,
                                                  queue: queueField.text, profile: page.profile, width: page.paperWidth,
                                                  mode: page.mode })
                }
                TechButton { objectName: "techDevTestPage"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "打印测试页\nTest page"; onClicked: tech.techAction("testPage") }
                TechButton { objectName: "techDevStatus"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "设备状态\nDevice status"; onClicked: tech.techAction("devices") }
            }
        }

        TechCard {
            title: "扬声器 · Speaker"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            Text { text: "音量 Volume: " + Math.round(volume.value); font.pixelSize: 22; font.bold: true; color: "#4A5361" }
            Slider {
                id: volume
                objectName: "speakerVolume"
                Layout.fillWidth: true
                implicitHeight: 80
                from: 0; to: 100; stepSize: 5
                value: page.form.volume !== undefined ? page.form.volume : 80
                handle: Rectangle {   // a thumb a finger can hold (64 px)
                    x: volume.leftPadding + volume.visualPosition * (volume.availableWidth - width)
                    y: volume.topPadding + volume.availableHeight / 2 - height / 2
                    implicitWidth: 64; implicitHeight: 64; radius: 32
                    color: volume.pressed ? "#0B3D74" : "#0B57A4"; border.color: "#FFFFFF"; border.width: 3
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                TechButton { objectName: "techSpeakTest"; Layout.fillWidth: true; Layout.preferredWidth: 1; kind: "primary"; text: "朗读测试\nSpeak test"; onClicked: tech.speakTest(Math.round(volume.value)) }
                TechButton { objectName: "techSaveVolume"; Layout.fillWidth: true; Layout.preferredWidth: 1; text: "保存音量\nSave volume"; onClicked: tech.saveVolume(Math.round(volume.value)) }
            }
        }
    }
}
