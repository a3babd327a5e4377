// The capture screen (over the materials step): the document camera's live preview with the page
// outline it found, 拍照, then the flattened page to confirm (使用这张) or retake (重拍). The camera, the
// outline and the flattening are camera.capture's (kiosk.ui.views.capture); this page only shows them.
// The footer's 返回 closes it without a photo.
import QtQuick
import QtQuick.Layouts

Item {
    id: page
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    readonly property var cap: camera.capture
    readonly property bool reviewing: cap.state === "review"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin / 2
        spacing: th.margin / 2
        KText {
            objectName: "captureTitle"
            Layout.fillWidth: true
            text: t.captureTitle.replace("{name}", cap.material)
            font.pixelSize: th.title; font.bold: true; color: th.text; wrapMode: Text.WordWrap
        }
        KText { Layout.fillWidth: true; text: bridge.view.instruction; color: th.muted; wrapMode: Text.WordWrap }

        Rectangle {
            id: stage
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: "#1B1F24"
            radius: th.radius
            clip: true

            Image {   // the live preview
                id: live
                objectName: "captureLive"
                anchors.fill: parent
                anchors.margins: 4
                visible: !page.reviewing
                fillMode: Image.PreserveAspectFit
                cache: false
                asynchronous: false
                source: cap.liveRevision > 0 ? "image://kiosk/camera/live?" + cap.liveRevision : ""
            }
            Canvas {  // the page outline found on the last frame, over the picture as painted
                id: outline
                objectName: "captureOutline"
                anchors.fill: live
                visible: !page.reviewing && cap.corners.length === 8
                property var corners: cap.corners
                property bool found: cap.found
                onCornersChanged: requestPaint()
                onFoundChanged: requestPaint()
                onPaint: {
                    var ctx = getContext("2d")
                    ctx.reset()
                    if (corners.length !== 8 || live.paintedWidth <= 0)
                        return
                    var ox = (width - live.paintedWidth) / 2, oy = (height - live.paintedHeight) / 2
                    ctx.lineWidth = Math.max(4, th.margin / 6)
                    ctx.strokeStyle = found ? "#2ECC71" : "#F5A623"
                    ctx.beginPath()
                    for (var i = 0; i < 4; i++) {
                        var x = ox + corners[2 * i] * live.paintedWidth, y = oy + corners[2 * i + 1] * live.paintedHeight
                        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y)
                    }
                    ctx.closePath()
                    ctx.stroke()
                }
            }
            Image {   // the flattened page, to check before it is used
                objectName: "capturePage"
                anchors.fill: parent
                anchors.margins: 8
                visible: page.reviewing
                fillMode: Image.PreserveAspectFit
                cache: false
                source: page.reviewing ? "image://kiosk/camera/page?" + cap.pageRevision : ""
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: hint.implicitHeight + th.margin / 2
            radius: th.radius
            color: cap.state === "fault" ? th.blockBack : cap.found || page.reviewing ? th.okBack : th.warnBack
            KText {
                id: hint
                objectName: "captureHint"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                text: cap.hint
                color: cap.state === "fault" ? th.block : cap.found || page.reviewing ? th.ok : th.warn
                wrapMode: Text.WordWrap
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: th.margin / 2
            BigButton {
                objectName: "btnCaptureTake"
                Layout.fillWidth: true
                visible: !page.reviewing && cap.state !== "fault"
                enabled: cap.state === "live" && cap.found
                kind: "primary"
                text: cap.state === "processing" ? t.captureWorking : t.captureTake
                onClicked: cap.take()
            }
            BigButton {
                objectName: "btnCaptureRetake"
                Layout.fillWidth: true
                visible: page.reviewing || cap.state === "fault"
                text: t.captureRetake
                onClicked: cap.retake()
            }
            BigButton {
                objectName: "btnCaptureUse"
                Layout.fillWidth: true
                visible: page.reviewing
                kind: "primary"
                text: t.captureUse
                onClicked: cap.use()
            }
        }
    }
}
