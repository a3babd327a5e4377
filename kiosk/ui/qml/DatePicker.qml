// An inline date picker (no pop-up, elder-friendly): 今天, then − / + for year, month and day.
// Every tap sends the whole date as YYYY-MM-DD. "Today" is the session clock's date (bridge.view.today),
// never the machine's: the kiosk's rules and the picker agree on what today is.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    id: picker
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    property string fieldKey
    property string value
    spacing: 8

    function parsed() {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
        if (!m) m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(bridge.view.today)
        return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
    }
    function shown(iso) {
        var m = /^(\d+)-0?(\d+)-0?(\d+)$/.exec(iso)
        return m ? t.dateFormat.replace("{y}", m[1]).replace("{m}", m[2]).replace("{d}", m[3]) : iso
    }
    function pad(n) { return n < 10 ? "0" + n : "" + n }
    function send(d) { bridge.formRows.setAnswer(fieldKey, d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate())) }
    function shift(years, months, days) {
        var d = parsed()
        if (years || months) {
            var day = d.getDate()
            d = new Date(d.getFullYear() + years, d.getMonth() + months, 1)
            var last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate()
            d.setDate(Math.min(day, last))
        }
        if (days) d.setDate(d.getDate() + days)
        send(d)
    }

    RowLayout {
        Layout.fillWidth: true
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: th.target
            radius: th.radius; color: th.surface; border.color: th.border; border.width: 2
            KText {
                objectName: "date_" + picker.fieldKey
                anchors.centerIn: parent
                text: picker.value ? picker.shown(picker.value) : t.pickDate
                color: picker.value ? th.text : th.muted
                font.pixelSize: th.body
            }
        }
        BigButton { objectName: "date_" + picker.fieldKey + "_today"; text: t.today; onClicked: bridge.formRows.setAnswer(picker.fieldKey, bridge.view.today) }
    }
    // The six steps in one row when they fit, else in pairs (− beside +) on three rows: beside the
    // docked keyboard in landscape the row is narrow, and nothing may be cut at its right.
    GridLayout {
        id: steps
        Layout.fillWidth: true
        columnSpacing: 8
        rowSpacing: 8
        readonly property real oneRow: {
            var sum = 0
            for (var i = 0; i < stepButtons.count; ++i) sum += stepButtons.itemAt(i) ? stepButtons.itemAt(i).implicitWidth + 8 : 0
            return sum
        }
        columns: picker.width >= oneRow ? 6 : 2
        Repeater {
            id: stepButtons
            model: [
                {"name": "year_minus", "label": t.yearMinus, "y": -1, "m": 0, "d": 0},
                {"name": "year_plus", "label": t.yearPlus, "y": 1, "m": 0, "d": 0},
                {"name": "month_minus", "label": t.monthMinus, "y": 0, "m": -1, "d": 0},
                {"name": "month_plus", "label": t.monthPlus, "y": 0, "m": 1, "d": 0},
                {"name": "day_minus", "label": t.dayMinus, "y": 0, "m": 0, "d": -1},
                {"name": "day_plus", "label": t.dayPlus, "y": 0, "m": 0, "d": 1}
            ]
            BigButton {
                objectName: "date_" + picker.fieldKey + "_" + modelData.name
                Layout.fillWidth: steps.columns === 2
                Layout.minimumWidth: 0
                text: modelData.label
                onClicked: picker.shift(modelData.y, modelData.m, modelData.d)
            }
        }
    }
}
