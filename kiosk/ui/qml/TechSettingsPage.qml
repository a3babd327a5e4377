// The technician panel's settings page: the hall (name, pickup window), the idle timeouts, the language
// and elder mode every visit starts in, the screen orientation, retention days. 保存设置 validates (a clear
// line for a bad value; nothing is written), saves (old file kept), applies and audits (tech.saveSettings).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Flickable {
    id: page
    objectName: "techSettingsPage"
    readonly property var values: tech.settingsForm.values || ({})
    readonly property var labels: tech.settingsForm.labels || ({})
    readonly property bool landscape: width > height
    readonly property int gap: 24
    readonly property var textKeys: ["hallName", "pickupWindow", "retentionDays", "serviceIdle", "cardIdle", "formIdle",
                                     "materialsIdle", "resultIdle", "rateIdle", "countdown"]
    property string language: values.language || "zh"
    property string orientation: values.orientation || "portrait"
    property bool elderDefault: !!values.elderDefault
    contentHeight: grid.implicitHeight + 2 * gap
    clip: true
    Component.onCompleted: tech.loadSettings()

    function collect() {
        var fields = { language: page.language, orientation: page.orientation, elderDefault: page.elderDefault }
        for (var i = 0; i < fieldRepeater.count; ++i) {
            var item = fieldRepeater.itemAt(i)
            fields[item.key] = item.text
        }
        return fields
    }

    GridLayout {
        id: grid
        x: page.gap; y: page.gap
        width: page.width - 2 * page.gap
        columns: page.landscape ? 2 : 1
        rowSpacing: page.gap; columnSpacing: page.gap

        TechCard {
            title: "大厅与时间 · Hall and timeouts"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                rowSpacing: 10; columnSpacing: 12
                Repeater {
                    id: fieldRepeater
                    model: page.textKeys
                    TechField {
                        readonly property string key: modelData
                        Layout.fillWidth: true; Layout.preferredWidth: 1
                        Layout.columnSpan: index < 2 ? 2 : 1
                        fieldName: "setting_" + modelData
                        label: page.labels[modelData] || modelData
                        text: page.values[modelData] !== undefined ? page.values[modelData] : ""
                        hints: index < 2 ? Qt.ImhNone : Qt.ImhFormattedNumbersOnly
                    }
                }
            }
        }

        TechCard {
            title: "屏幕与语言 · Screen and language"
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.alignment: Qt.AlignTop
            TechChoice {
                Layout.fillWidth: true
                label: page.labels.language || ""
                name: "settingLanguage"
                options: [{ key: "zh", label: "中文" }, { key: "en", label: "English" }]
                value: page.language
                onChosen: key => page.language = key
            }
            TechChoice {
                Layout.fillWidth: true
                label: page.labels.elderDefault || ""
                name: "settingElder"
                options: [{ key: "off", label: "关 Off" }, { key: "on", label: "开 On" }]
                value: page.elderDefault ? "on" : "off"
                onChosen: key => page.elderDefault = key === "on"
            }
            TechChoice {
                Layout.fillWidth: true
                label: (page.labels.orientation || "") + "（重启后生效 · after a restart）"
                name: "settingOrientation"
                options: [{ key: "portrait", label: "竖屏 Portrait" }, { key: "landscape", label: "横屏 Landscape" }]
                value: page.orientation
                onChosen: key => page.orientation = key
            }
            TechButton {
                objectName: "techSaveSettings"
                Layout.fillWidth: true
                kind: "primary"; text: "保存设置\nSave settings"
                onClicked: tech.saveSettings(page.collect())
            }
        }
    }
}
