// Screen 2 — catalog: the 热门 row (most applied for here lately), category buttons, items grouped by
// life event with a 秒办 badge, the time and what to bring; search by Chinese, pinyin, initials or the
// words people use, best match first (a search hides the 热门 row and the categories).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin
        spacing: th.margin / 2
        TextField {
            id: search
            objectName: "catalogSearch"
            Layout.fillWidth: true
            Layout.preferredHeight: th.target
            font.pixelSize: th.body
            placeholderText: "⚲ " + t.search
            placeholderTextColor: th.placeholder
            inputMethodHints: Qt.ImhNoPredictiveText
            onTextChanged: bridge.startPages.searchCatalog(text)
        }
        KText {
            objectName: "hotTitle"
            visible: !bridge.startPages.searching && hotRepeater.count > 0
            text: "★ " + t.hot
            font.pixelSize: th.title * 0.8
            font.bold: true
            color: th.text
        }
        GridLayout {
            objectName: "hotRow"
            visible: !bridge.startPages.searching && hotRepeater.count > 0
            Layout.fillWidth: true
            columns: th.landscape ? 4 : 2
            rowSpacing: th.margin / 2
            columnSpacing: th.margin / 2
            Repeater {
                id: hotRepeater
                model: bridge.startPages.hotModel
                BigButton {
                    objectName: "hot_" + model.key
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    kind: "choice"
                    text: (model.instant ? "⚡" : "") + model.shortTitle
                    onClicked: bridge.startPages.openIntro(model.key)
                }
            }
        }
        Flow {
            objectName: "categoryRow"
            visible: !bridge.startPages.searching
            Layout.fillWidth: true
            spacing: th.margin / 3
            Repeater {
                model: [{"key": "", "label": t.allCategories}].concat(bridge.startPages.categories)
                BigButton {
                    objectName: "category_" + (modelData.key || "all")
                    text: modelData.label
                    font.pixelSize: th.small
                    selected: bridge.startPages.category === modelData.key
                    onClicked: bridge.startPages.chooseCategory(modelData.key)
                }
            }
        }
        KText {
            objectName: "catalogNoMatch"
            visible: bridge.ready && bridge.startPages.searching && list.count === 0
            Layout.fillWidth: true
            text: "ⓘ " + t.noMatch
            font.pixelSize: th.body
            color: th.text
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        KText {
            objectName: "catalogLoading"
            visible: !bridge.ready
            Layout.fillWidth: true
            text: "◷ " + t.catalogLoading
            font.pixelSize: th.title
            horizontalAlignment: Text.AlignHCenter
        }
        ListView {
            id: list
            objectName: "catalogList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: th.margin / 2
            model: bridge.startPages.catalogModel
            section.property: "lifeEvent"
            section.delegate: KText {
                // a search ranks across categories: no headers then (ListView keeps section items
                // visible, so the header empties itself)
                height: bridge.startPages.searching ? 0 : implicitHeight
                text: bridge.startPages.searching ? "" : "▎" + section
                font.pixelSize: th.title * 0.8
                font.bold: true
                color: th.text
                topPadding: th.margin / 2
            }
            delegate: Rectangle {
                objectName: "service_" + model.key
                width: ListView.view.width
                height: Math.max(th.target * 1.5, box.implicitHeight + th.margin)
                radius: th.radius
                color: th.surface
                border.color: th.border
                border.width: 2
                ColumnLayout {
                    id: box
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        KText {
                            Layout.fillWidth: true
                            text: model.title
                            font.pixelSize: th.body * 1.15
                            font.bold: true
                            color: th.text
                            wrapMode: Text.WordWrap
                        }
                        Rectangle {
                            visible: model.instant
                            color: th.ok
                            radius: th.radius / 2
                            implicitWidth: badge.implicitWidth + 20
                            implicitHeight: badge.implicitHeight + 8
                            KText { id: badge; anchors.centerIn: parent; text: "⚡" + t.instant; color: "#FFFFFF"; font.pixelSize: th.small; font.bold: true }
                        }
                    }
                    KText {
                        Layout.fillWidth: true
                        text: model.department + " · " + t.minutes.replace("{n}", model.minutes)
                        color: th.muted
                        font.pixelSize: th.small
                        wrapMode: Text.WordWrap
                    }
                    KText {
                        Layout.fillWidth: true
                        text: t.bring + model.bring
                        color: th.muted
                        font.pixelSize: th.small
                        wrapMode: Text.WordWrap   // the whole list: never cut off with "…"
                    }
                }
                MouseArea { anchors.fill: parent; onClicked: bridge.startPages.openIntro(model.key) }
            }
        }
    }
}
