// The technician panel's statistics page: this terminal's last 7 / 30 / 90 days as bars drawn in QML —
// per day (秒批 / 受理 / 未通过预审离开, stacked), per item, the abandon funnel (reached / left at each
// step), the most frequent pre-review findings and the 好差评 grades — and the CSV export, which says
// where it writes (a USB stick if one is mounted, else the data dir's exports folder) before and after.
// techStats does the work on the bridge's worker (kiosk/ui/techstats.py). Counts only: no personal data.
// Fixed sizes and bilingual words, as the panel; every touch target at least 64 px high.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: statsPage
    objectName: "techStatsPage"
    color: "#F4F6F9"
    signal closed()
    readonly property var st: techStats
    readonly property var m: st.model || ({})
    readonly property color approvedColor: "#1E7B3A"
    readonly property color acceptedColor: "#0B57A4"
    readonly property color blockedColor: "#B3261E"
    readonly property color leftColor: "#8A94A3"

    component StatButton: Button {
        id: control
        property bool primary: false
        implicitHeight: Math.max(72, contentItem.implicitHeight + 20)
        implicitWidth: contentItem.implicitWidth + 36
        focusPolicy: Qt.NoFocus
        font.pixelSize: 24
        contentItem: Text {
            text: control.text; font: control.font; wrapMode: Text.WordWrap
            color: control.primary ? "#FFFFFF" : "#1B1F24"
            opacity: control.enabled ? 1 : 0.55
            horizontalAlignment: Text.AlignHCenter; verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 12; border.color: "#8A94A3"; border.width: 2
            color: control.primary ? "#0B57A4" : "#FFFFFF"
            opacity: control.down ? 0.8 : 1
        }
    }

    component Section: Rectangle {
        default property alias content: body.data
        property string title: ""
        Layout.fillWidth: true
        color: "#FFFFFF"; radius: 14; border.color: "#C9D0DA"; border.width: 2
        implicitHeight: body.implicitHeight + 36
        ColumnLayout {
            id: body
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 18 }
            spacing: 10
            Text { text: parent.parent.title; font.pixelSize: 28; font.bold: true; color: "#0B3D74"; Layout.fillWidth: true; wrapMode: Text.WordWrap }
        }
    }

    component Legend: Row {
        property color swatch
        property string label
        spacing: 8
        Rectangle { width: 22; height: 22; radius: 4; color: swatch; anchors.verticalCenter: parent.verticalCenter }
        Text { text: label; font.pixelSize: 20; color: "#1B1F24" }
    }

    // One horizontal bar: a label, the coloured parts (values over `max`), and the figures.
    component HBar: RowLayout {
        property string label
        property var parts: []      // [{value, color}]
        property real max: 1
        property string figure
        Layout.fillWidth: true
        spacing: 12
        Text { text: label; Layout.preferredWidth: 260; font.pixelSize: 21; color: "#1B1F24"; elide: Text.ElideRight }
        Item {
            id: track
            Layout.fillWidth: true
            implicitHeight: 30
            Rectangle { anchors.fill: parent; color: "#EEF1F5"; radius: 4 }
            Row {
                height: parent.height
                Repeater {
                    model: parts
                    Rectangle {
                        height: track.height
                        width: max > 0 ? track.width * modelData.value / max : 0
                        color: modelData.color
                    }
                }
            }
        }
        Text { text: figure; Layout.preferredWidth: 250; font.pixelSize: 20; color: "#4A5361"; horizontalAlignment: Text.AlignRight }
    }

    MouseArea { anchors.fill: parent }
    Component.onCompleted: st.load(st.days)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 14
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Text { Layout.fillWidth: true; text: "本机统计 · Statistics of this terminal"; font.pixelSize: 32; font.bold: true; color: "#0B3D74"; wrapMode: Text.WordWrap }
            Repeater {
                model: st.dayChoices
                StatButton {
                    objectName: "statsDays_" + modelData
                    text: modelData + " 天 days"
                    primary: st.days === modelData
                    enabled: !st.busy
                    onClicked: st.load(modelData)
                }
            }
            StatButton { objectName: "statsClose"; text: "关闭 Close"; onClicked: statsPage.closed() }
        }
        Text {
            objectName: "statsSummary"
            Layout.fillWidth: true
            text: st.error || (st.busy && !m.summary ? "◷ 正在统计 Counting …" : (m.summary || ""))
            font.pixelSize: 22; color: st.error ? "#B3261E" : "#1B1F24"; wrapMode: Text.Wrap
        }

        Flickable {
            id: flick
            objectName: "statsFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: sections.implicitHeight
            clip: true
            ColumnLayout {
                id: sections
                width: flick.width
                spacing: 16

                Section {
                    title: "每日办件 · Per day"
                    Flow {
                        Layout.fillWidth: true
                        spacing: 20
                        Legend { swatch: statsPage.approvedColor; label: "秒批 approved" }
                        Legend { swatch: statsPage.acceptedColor; label: "受理 accepted" }
                        Legend { swatch: statsPage.blockedColor; label: "未通过预审离开 left blocked" }
                    }
                    Item {
                        id: chart
                        objectName: "statsDayChart"
                        Layout.fillWidth: true
                        implicitHeight: 260
                        readonly property var days: m.days || []
                        readonly property real slot: days.length ? width / days.length : width
                        Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom; bottomMargin: 30 } height: 2; color: "#8A94A3" }
                        Repeater {
                            model: chart.days
                            Item {
                                x: index * chart.slot
                                width: chart.slot
                                height: chart.height
                                Column {
                                    anchors { bottom: parent.bottom; bottomMargin: 32; horizontalCenter: parent.horizontalCenter }
                                    width: Math.max(2, chart.slot * 0.7)
                                    readonly property real unit: (chart.height - 70) / (m.dayMax || 1)
                                    Rectangle { width: parent.width; height: modelData.blocked * parent.unit; color: statsPage.blockedColor }
                                    Rectangle { width: parent.width; height: modelData.accepted * parent.unit; color: statsPage.acceptedColor }
                                    Rectangle { width: parent.width; height: modelData.approved * parent.unit; color: statsPage.approvedColor }
                                }
                                Text {
                                    visible: chart.days.length <= 31 && modelData.total > 0
                                    anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: 36 + modelData.total * (chart.height - 70) / (m.dayMax || 1) }
                                    text: modelData.total; font.pixelSize: 16; color: "#1B1F24"
                                }
                                Text {
                                    // a date under every bar for a week, every 5th for a month, every 15th beyond
                                    visible: index % (chart.days.length <= 7 ? 1 : chart.days.length <= 31 ? 5 : 15) === 0
                                             || index === chart.days.length - 1
                                    anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom }
                                    text: modelData.label; font.pixelSize: 18; color: "#4A5361"
                                }
                            }
                        }
                    }
                }

                Section {
                    title: "各事项 · Per item"
                    Text {
                        visible: (m.items || []).length === 0
                        text: "这段时间没有办件 · Nothing in these days"; font.pixelSize: 22; color: "#4A5361"
                    }
                    Repeater {
                        model: m.items || []
                        HBar {
                            objectName: "statsItem_" + index
                            label: modelData.title
                            max: m.itemMax || 1
                            parts: [{value: modelData.approved, color: statsPage.approvedColor},
                                    {value: modelData.accepted, color: statsPage.acceptedColor},
                                    {value: modelData.blocked, color: statsPage.blockedColor}]
                            figure: modelData.applications + " 件 · " + modelData.median + " · " + modelData.grade
                        }
                    }
                }

                Section {
                    title: "在哪一步离开 · Where visits were left (reached / left here)"
                    Repeater {
                        model: m.funnel || []
                        HBar {
                            objectName: "statsFunnel_" + modelData.step
                            label: modelData.label
                            max: m.funnelMax || 1
                            parts: [{value: modelData.reached - modelData.abandoned, color: statsPage.acceptedColor},
                                    {value: modelData.abandoned, color: statsPage.blockedColor}]
                            figure: modelData.reached + " 到达 · " + modelData.abandoned + " 离开"
                        }
                    }
                }

                Section {
                    title: "预审最常见问题 · Most frequent pre-review findings"
                    Text {
                        visible: (m.findings || []).length === 0
                        text: "没有预审问题 · No findings"; font.pixelSize: 22; color: "#4A5361"
                    }
                    Repeater {
                        model: m.findings || []
                        HBar {
                            objectName: "statsFinding_" + index
                            label: modelData.message
                            max: m.findingMax || 1
                            parts: [{value: modelData.count, color: modelData.severity === "block" ? statsPage.blockedColor : "#C98A00"}]
                            figure: modelData.count + " 次 · " + modelData.rule
                        }
                    }
                }

                Section {
                    title: "好差评 · Ratings"
                    Text { objectName: "statsAverage"; text: m.average || ""; font.pixelSize: 22; color: "#1B1F24" }
                    Repeater {
                        model: m.grades || []
                        HBar {
                            label: "★".repeat(modelData.stars)
                            max: m.gradeMax || 1
                            parts: [{value: modelData.count, color: modelData.stars >= 4 ? statsPage.approvedColor : modelData.stars === 3 ? "#C98A00" : statsPage.blockedColor}]
                            figure: modelData.count + " 条"
                        }
                    }
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: exportRow.implicitHeight + 24
            color: "#E9EDF2"; radius: 12
            RowLayout {
                id: exportRow
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 12 }
                spacing: 16
                StatButton {
                    objectName: "statsExport"
                    primary: true
                    enabled: !st.busy && !!m.summary
                    text: "导出 CSV（Excel）\nExport CSV"
                    onClicked: st.exportCsv()
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 4
                    Text { objectName: "statsExportTarget"; Layout.fillWidth: true; text: "导出位置 Goes to: " + st.exportTarget; font.pixelSize: 20; color: "#4A5361"; wrapMode: Text.WrapAnywhere }
                    Text { objectName: "statsExportText"; Layout.fillWidth: true; text: st.exportText; font.pixelSize: 22; color: "#1B1F24"; wrapMode: Text.WrapAnywhere }
                }
            }
        }
    }
}
