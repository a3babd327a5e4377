// A box to sign in with a finger (QML Canvas); the drawing is exported as PNG only when used.
import QtQuick

Rectangle {
    id: area
    objectName: "signatureArea"
    readonly property var th: bridge.theme
    property var strokes: []
    property bool drawing: false
    property int points: 0
    readonly property bool hasInk: points > 1
    color: "#FFFFFF"
    border.color: th.border
    border.width: 3
    radius: th.radius

    function clear() { strokes = []; points = 0; canvas.requestPaint() }
    function toDataURL(kind) { return canvas.toDataURL(kind) }

    Canvas {
        id: canvas
        anchors.fill: parent
        anchors.margins: 3
        onPaint: {
            var ctx = getContext("2d")
            ctx.fillStyle = "#FFFFFF"; ctx.fillRect(0, 0, width, height)
            ctx.strokeStyle = "#000000"; ctx.lineWidth = 4; ctx.lineCap = "round"
            for (var s = 0; s < area.strokes.length; ++s) {
                var pts = area.strokes[s]
                ctx.beginPath(); ctx.moveTo(pts[0].x, pts[0].y)
                for (var i = 1; i < pts.length; ++i) ctx.lineTo(pts[i].x, pts[i].y)
                ctx.stroke()
            }
        }
    }
    MouseArea {
        anchors.fill: parent
        preventStealing: true
        onPressed: function(mouse) { area.drawing = true; area.strokes.push([{x: mouse.x, y: mouse.y}]); area.points += 1 }
        onPositionChanged: function(mouse) {
            if (area.strokes.length === 0) return
            area.strokes[area.strokes.length - 1].push({x: mouse.x, y: mouse.y}); area.points += 1; canvas.requestPaint()
        }
        onReleased: { area.drawing = false; canvas.requestPaint() }
    }
}
