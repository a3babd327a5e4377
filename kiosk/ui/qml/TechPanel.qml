// The technician panel (after the PIN): a bar (返回, 退出终端程序), one row of page tabs (swiped sideways
// when they do not all fit, as in portrait), the result line of the
// last action, and the page shown. Every action runs on a worker (tech.*); its words come back in
// tech.techResult. Fixed sizes (elder mode does not apply); touch targets at least 80 px high.
//
// Adding a page: write TechSomethingPage.qml (a Flickable or Item filling its parent; it may declare
// `signal openPage(string key)` to switch pages, and `signal closed()` to go back to the first page) and
// add ONE entry {key, title, source} to `pages` below. Its tab is `techTab_<key>`.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: panel
    objectName: "techPanel"
    color: "#F4F6F9"
    property string page: "status"
    readonly property var pages: [
        { key: "status", title: "概览·任务\nStatus", source: "TechStatusPage.qml" },
        { key: "devices", title: "设备设置\nDevices", source: "TechDevicesPage.qml" },
        { key: "catalog", title: "事项管理\nCatalog", source: "TechCatalogPage.qml" },
        { key: "settings", title: "终端设置\nSettings", source: "TechSettingsPage.qml" },
        { key: "camera", title: "拍摄仪\nCamera", source: "TechCameraPage.qml" },
        { key: "stats", title: "本机统计\nStatistics", source: "TechStatsPage.qml" },
        { key: "audit", title: "审计日志\nAudit log", source: "TechAuditPage.qml" },
        { key: "doctor", title: "系统诊断\nDiagnostics", source: "TechDoctorPage.qml" },
    ]
    readonly property var current: pages.find(p => p.key === page) || pages[0]

    MouseArea { anchors.fill: parent }   // nothing under the panel takes a touch
    Component.onDestruction: Qt.inputMethod.hide()   // the keyboard does not stay open for the next applicant

    Rectangle {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: barRow.implicitHeight + 32
        color: "#0B3D74"
        RowLayout {
            id: barRow
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 24 }
            spacing: 16
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 4
                Text {
                    Layout.fillWidth: true
                    text: "技术维护面板 · Technician panel"
                    color: "#FFFFFF"; font.pixelSize: 36; font.bold: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    text: "60 秒无操作自动锁定 · Locks itself after 60 s without a touch"
                    color: "#D5DCE5"; font.pixelSize: 20
                    wrapMode: Text.WordWrap
                }
            }
            TechButton { objectName: "techBack"; text: "返回 Back"; enabled: true; onClicked: tech.closeTech() }
            TechButton { objectName: "techQuit"; kind: "accent"; text: "退出终端程序 Quit"; onClicked: tech.quitKiosk() }
        }
    }

    Flickable {   // the page tabs: one row, swiped sideways when they do not all fit (portrait)
        id: tabs
        objectName: "techTabs"
        anchors { left: parent.left; right: parent.right; top: bar.bottom; margins: 16 }
        height: tabRow.height + (contentWidth > width ? 14 : 0)   // room for the scroll bar under the row
        contentWidth: tabRow.width
        contentHeight: tabRow.height
        flickableDirection: Flickable.HorizontalFlick
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.horizontal: ScrollBar { policy: tabs.contentWidth > tabs.width ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }
        Row {
            id: tabRow
            spacing: 12
            Repeater {
                model: panel.pages
                TechButton {
                    objectName: "techTab_" + modelData.key
                    text: modelData.title
                    kind: modelData.key === panel.page ? "primary" : "normal"
                    enabled: true
                    font.pixelSize: 24
                    onClicked: panel.page = modelData.key
                }
            }
        }
    }

    Rectangle {
        id: resultBox
        anchors { left: parent.left; right: parent.right; top: tabs.bottom; margins: 16 }
        implicitHeight: resultText.implicitHeight + 24
        height: implicitHeight
        color: "#E9EDF2"; radius: 10
        Text {
            id: resultText
            objectName: "techResult"
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 12 }
            text: tech.techBusy ? "◷ " + tech.techResult : (tech.techResult || "选择一项操作 · Choose an action")
            font.pixelSize: 24; color: "#1B1F24"
            wrapMode: Text.Wrap
            maximumLineCount: 8
            elide: Text.ElideRight
        }
    }

    Loader {
        id: pageLoader
        objectName: "techPageLoader"
        anchors { left: parent.left; right: parent.right; top: resultBox.bottom; bottom: parent.bottom; topMargin: 8 }
        // the docked keyboard covers the bottom of the window: the page ends above it (scrolls to every field)
        anchors.bottomMargin: Qt.inputMethod.visible ? Qt.inputMethod.keyboardRectangle.height : 0
        source: panel.current.source
    }
    Connections {
        target: pageLoader.item
        ignoreUnknownSignals: true
        function onClosed() { panel.page = "status" }
        function onOpenPage(key) { panel.page = key }
    }
}
