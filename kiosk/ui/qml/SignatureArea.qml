// A pad to sign in with a finger (QML Canvas). It lives on the signing step, outside any Flickable, so
// no drag scrolls the page and no scroll gesture draws. `ink` is the strokes' total length in pixels:
// the view model refuses a signature under its minimum (a tap or a slip of the finger).
import QtQuick

Rectangle {
    id: area
    objectName: "signatureArea"
    readonly property var th: bridge.theme
    property var strokes: []
    property bool drawing: false
    property real ink: 0
    property int strokeCount: 0
    color: "#FFFFFF"
    border.color: th.border
    border.width: 3
    radius: th.radius

    function clear() { strokes = []; ink = 0; strokeCount = 0; canvas.requestPaint() }
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
        objectName: "signaturePad"
        anchors.fill: parent
        preventStealing: true
        onPressed: function(mouse) { area.drawing = true; area.strokes.push([{x: mouse.x, y: mouse.y}]); area.strokeCount += 1 }
        onPositionChanged: function(mouse) {
            if (!area.drawing || area.strokes.length === 0) return
            var pts = area.strokes[area.strokes.length - 1]
            var last = pts[pts.length - 1]
            area.ink += Math.sqrt((mouse.x - last.x) * (mouse.x - last.x) + (mouse.y - last.y) * (mouse.y - last.y))
            pts.push({x: mouse.x, y: mouse.y}); canvas.requestPaint()
        }
        onReleased: { area.drawing = false; canvas.requestPaint() }
    }
}
