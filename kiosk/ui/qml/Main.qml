// The kiosk window: header with hall name, clock and progress; the current page; a footer with
// 呼叫工作人员 on every screen; the idle countdown; the docked Pinyin keyboard; the demo drawer; the
// technician's PIN pad and panel over everything.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    objectName: "kioskWindow"
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    width: th.width
    height: th.height
    visible: true
    color: th.background
    font.pixelSize: th.body
    title: "秒办"

    // The first frame holds only what the start screen shows. The Pinyin keyboard and the demo drawer
    // load after it, once the services are ready (no field to type in and nothing to simulate before),
    // asynchronously: compiled off the GUI thread and created in slices between frames. While `bridge`
    // is the start screen's stand-in (kiosk.ui.startbridge), `started` waits for the real bridge
    // (kiosk.ui.app.finish_ui sets it then). The cancel question and the idle countdown are created
    // when they show.
    property bool started: false
    onFrameSwapped: if (!started && !bridge.starting) started = true

    ColumnLayout {
        id: frame
        anchors.fill: parent
        // Portrait: the page ends above the keyboard. Landscape: the keyboard docks on the right and the
        // page keeps the full height on the left (several fields stay in view while typing).
        readonly property bool keyboardOpen: !!keyboard.item && keyboard.item.active
        anchors.bottomMargin: keyboardOpen && !th.landscape ? keyboard.item.height : 0
        anchors.rightMargin: keyboardOpen && th.landscape ? keyboard.width : 0
        spacing: 0

        Header { Layout.fillWidth: true }

        Loader {
            id: pageLoader
            objectName: "pageLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: pageSource(bridge.page)
            function pageSource(page) {
                var pages = {
                    "home": "HomePage.qml", "catalog": "CatalogPage.qml", "intro": "IntroPage.qml",
                    "lookup": "LookupPage.qml", "card": "CardPage.qml", "form": "FormPage.qml",
                    "prereview": "PrereviewPage.qml", "materials": "MaterialsPage.qml", "sign": "SignPage.qml",
                    "result": "ResultPage.qml", "saving": "PrintingPage.qml", "printing": "PrintingPage.qml",
                    "print_failed": "PrintingPage.qml", "rating": "RatingPage.qml", "thanks": "ThanksPage.qml",
                    "card_swap": "CardSwapPage.qml", "capture": "CapturePage.qml"
                }
                return pages[page] || "HomePage.qml"
            }
        }

        Footer { Layout.fillWidth: true }
    }

    Loader { anchors.fill: parent; z: 19; active: !!bridge.view.confirm_cancel; sourceComponent: CancelDialog {} }

    Loader { anchors.fill: parent; z: 20; active: bridge.countingDown; sourceComponent: CountdownOverlay {} }

    Loader {
        anchors.fill: parent; z: 30
        active: window.started && bridge.ready && bridge.demo
        asynchronous: true
        source: "DemoDrawer.qml"
    }

    // The technician's PIN pad, then the panel (PIN-protected; opened by five taps on the hall name).
    Loader {
        objectName: "techLoader"
        anchors.fill: parent
        z: 50
        active: tech.techMode !== ""
        source: tech.techMode === "pin" ? "PinPad.qml" : tech.techMode === "panel" ? "TechPanel.qml" : ""
    }

    Rectangle {   // the landscape keyboard's column, from the top of the window to the bottom
        objectName: "keyboardBand"
        z: tech.techMode === "panel" ? 59 : 39
        visible: frame.keyboardOpen && th.landscape
        x: keyboard.x; y: 0; width: keyboard.width; height: window.height
        color: th.kbBackground
    }

    Loader {
        id: keyboard
        z: tech.techMode === "panel" ? 60 : 40   // over the technician panel's fields too
        // Full width in portrait; in landscape the right part of the window (theme.kbWidth).
        width: th.kbWidth
        x: window.width - width
        y: item && item.active ? window.height - item.height : window.height
        active: window.started && bridge.ready
        asynchronous: true
        source: "Keyboard.qml"
    }
}
