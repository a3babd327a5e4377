// 下面还有 ↓ as a bar under a scrolling page while part of it is out of view (elder mode in landscape is
// taller than the screen: the rating faces and the commitment buttons sit below the fold); a tap scrolls most
// of a screen on. Put it in an Item beside the Flickable it watches, whose bottom is anchored to the bar
// while it shows: it never covers what can be tapped. It hides near the end, measured against the whole
// Item's height (not the Flickable's, which its own visibility changes).
import QtQuick

Rectangle {
    id: cue
    required property Flickable flick
    readonly property var th: bridge.theme
    objectName: "moreBelow"
    // Shown after the change settles (Qt.callLater): showing it shortens the Flickable, which may move
    // its contentY back in bounds and would re-enter a plain binding.
    readonly property bool wanted: flick.contentHeight - flick.contentY - parent.height > th.small
    visible: false
    onWantedChanged: Qt.callLater(() => { cue.visible = cue.wanted })
    Component.onCompleted: cue.visible = cue.wanted
    anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
    height: th.target
    radius: th.radius
    color: th.surface   // a hint, not an action: outlined, so it does not look like the page's main button
    border.color: th.primary
    border.width: 3
    KText {
        anchors.centerIn: parent
        text: bridge.t.moreBelow
        color: th.primary
        font.pixelSize: th.small
        font.bold: true
    }
    // Content cut by the Flickable's bottom edge fades out above the bar instead of leaving a sliver of a
    // line there (a stray dash under the sign buttons in elder landscape). Not a tap target: taps pass.
    Rectangle {
        objectName: "moreBelowFade"
        anchors { left: parent.left; right: parent.right; bottom: parent.top }
        height: th.small
        gradient: Gradient {
            GradientStop { position: 0.0; color: "#00" + String(cue.th.background).slice(1) }  // #AARRGGBB
            GradientStop { position: 1.0; color: cue.th.background }
        }
    }
    TapHandler {
        onTapped: cue.flick.contentY = Math.max(0, Math.min(cue.flick.contentY + cue.flick.height * 0.8,
                                                            cue.flick.contentHeight - cue.flick.height))
    }
}
