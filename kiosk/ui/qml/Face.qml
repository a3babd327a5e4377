// A drawn face for 好差评: mood 1 (very unhappy) .. 5 (very happy), so no emoji font is needed.
import QtQuick

Canvas {
    id: face
    property int mood: 3
    property color ink: "#1B1F24"
    onMoodChanged: requestPaint()
    onInkChanged: requestPaint()
    onPaint: {
        var ctx = getContext("2d")
        var r = Math.min(width, height) / 2 - 3
        var cx = width / 2, cy = height / 2
        ctx.reset()
        ctx.lineWidth = Math.max(3, r / 10)
        ctx.strokeStyle = ink
        ctx.fillStyle = ["#F6C1BC", "#F9D9B5", "#F4E7A8", "#D6EDB8", "#BFE6C5"][mood - 1]
        ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke()
        ctx.fillStyle = ink
        ctx.beginPath(); ctx.arc(cx - r * 0.35, cy - r * 0.25, r * 0.1, 0, 2 * Math.PI); ctx.fill()
        ctx.beginPath(); ctx.arc(cx + r * 0.35, cy - r * 0.25, r * 0.1, 0, 2 * Math.PI); ctx.fill()
        var curve = (mood - 3) * r * 0.22     // > 0 smile, < 0 frown
        var y = cy + r * 0.38 - curve / 2
        ctx.beginPath(); ctx.moveTo(cx - r * 0.42, y)
        ctx.quadraticCurveTo(cx, y + curve * 2, cx + r * 0.42, y)
        ctx.stroke()
    }
}
