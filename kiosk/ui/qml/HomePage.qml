// Screen 1 — start: three large entries, the 长辈模式 switch and the language button.
import QtQuick
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    GridLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        columns: th.landscape ? 3 : 1
        rowSpacing: th.margin
        columnSpacing: th.margin
        KText {
            Layout.columnSpan: th.landscape ? 3 : 1
            Layout.fillWidth: true
            text: bridge.view.instruction
            font.pixelSize: th.title
            font.bold: true
            color: th.text
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Repeater {
            model: [
                {"name": "btnPersonal", "label": t.personal, "icon": "☆", "audience": "个人"},
                {"name": "btnBusiness", "label": t.business, "icon": "★", "audience": "企业"},
                {"name": "btnLookup", "label": t.lookup, "icon": "⚲", "audience": ""}
            ]
            BigButton {
                objectName: modelData.name
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: th.target * 2.5
                kind: "primary"
                text: modelData.icon + "  " + modelData.label
                font.pixelSize: th.title
                onClicked: modelData.audience ? bridge.startPages.chooseAudience(modelData.audience) : bridge.startPages.openLookup()
            }
        }
        RowLayout {
            Layout.columnSpan: th.landscape ? 3 : 1
            Layout.fillWidth: true
            spacing: th.margin
            BigButton {   // as large as an entry's minimum (>= 96 px, title-size words): its people need it most
                objectName: "elderSwitch"
                Layout.fillWidth: true
                Layout.minimumHeight: th.target * 1.5
                Layout.fillHeight: true
                font.pixelSize: th.title
                text: bridge.view.elder_mode ? t.elder : "○ " + t.elder
                selected: bridge.view.elder_mode
                onClicked: bridge.actions.setElderMode(!bridge.view.elder_mode)
            }
            BigButton {
                objectName: "langButton"
                Layout.fillWidth: true
                Layout.fillHeight: true
                text: "文/A  " + t.language
                onClicked: bridge.actions.setLanguage(bridge.view.language === "zh" ? "en" : "zh")
            }
        }
    }
}
