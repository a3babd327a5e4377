// An inline date picker (no pop-up, elder-friendly): 今天, then − / + for year, month and day.
// Every tap sends the whole date as YYYY-MM-DD.
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
        return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : new Date()
    }
    function pad(n) { return n < 10 ? "0" + n : "" + n }
    function send(d) { bridge.setAnswer(fieldKey, d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate())) }
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
                text: picker.value ? picker.value.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日") : t.pickDate
                color: picker.value ? th.text : th.muted
                font.pixelSize: th.body
            }
        }
        BigButton { objectName: "date_" + picker.fieldKey + "_today"; text: t.today; onClicked: picker.send(new Date()) }
    }
    Flow {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: [
                {"name": "year_minus", "label": "年 −", "y": -1, "m": 0, "d": 0},
                {"name": "year_plus", "label": "年 +", "y": 1, "m": 0, "d": 0},
                {"name": "month_minus", "label": "月 −", "y": 0, "m": -1, "d": 0},
                {"name": "month_plus", "label": "月 +", "y": 0, "m": 1, "d": 0},
                {"name": "day_minus", "label": "日 −", "y": 0, "m": 0, "d": -1},
                {"name": "day_plus", "label": "日 +", "y": 0, "m": 0, "d": 1}
            ]
            BigButton {
                objectName: "date_" + picker.fieldKey + "_" + modelData.name
                text: modelData.label
                onClicked: picker.shift(modelData.y, modelData.m, modelData.d)
            }
        }
    }
}
