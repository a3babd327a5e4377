// Qt Virtual Keyboard docked in the window: Pinyin (简体中文) and English. Its size and colours come
// from the theme (kiosk/ui/theme.py keyboard_values): in elder mode the key rows, the labels and the
// candidate bar grow with everything else; every label keeps 4.5:1 contrast (the style's fading of the
// space bar's language name is undone); the globe key toggles 简体中文 / English (no pop-up list). The layout follows the screen's language, and goes back to it
// (unshifted, letters, closed) when a visit ends, so the next applicant never inherits the last one's.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: inputPanel
    objectName: "inputPanel"
    visible: active
    readonly property var th: bridge.theme
    readonly property var kbStyle: keyboard ? keyboard.style : null
    readonly property string wantedLocale: bridge.view.language === "en" ? "en_US" : "zh_CN"
    readonly property string locale: InputContext.locale          // for tests: the layout in use
    readonly property bool symbols: keyboard ? keyboard.symbolMode : false

    function resetForNextApplicant() {
        Qt.inputMethod.hide()
        useWantedLocale()
        if (keyboard) keyboard.symbolMode = false
        var shift = InputContext.priv ? InputContext.priv.shiftHandler : null
        if (shift && (InputContext.capsLockActive || InputContext.shiftActive)) shift.toggleShift()
    }
    function useWantedLocale() {
        // the settings' locale is the default; the globe key moves the keyboard's own index away from it
        VirtualKeyboardSettings.locale = wantedLocale
        if (keyboard && keyboard.findLocale) keyboard.localeIndex = keyboard.findLocale(wantedLocale, keyboard.localeIndex)
    }
    function restyle() {
        var s = kbStyle
        if (!s) return
        s.keyboardDesignHeight = th.kbDesignHeight
        s.keyboardDesignWidth = th.kbDesignWidth
        s.selectionListHeight = th.kbCandidates
        s.keyboardBackgroundColor = th.kbBackground
        s.normalKeyBackgroundColor = th.kbKey
        s.highlightedKeyBackgroundColor = th.kbKeyHighlight
        s.keyTextColor = th.kbKeyText
        s.keySmallTextColor = th.kbKeyText
        s.popupBackgroundColor = th.kbPopup
        s.popupBorderColor = th.kbPopupBorder
        s.popupTextColor = th.kbPopupText
        s.popupHighlightColor = th.kbPopupHighlight
        s.selectionListBackgroundColor = th.kbSelection
        s.selectionListTextColor = th.kbSelectionText
        s.inputLocaleIndicatorOpacity = 1.0
        // Two languages: the globe key switches between them at once. The style's pop-up list had
        // 60 px rows (elder mode) and a highlight at 3.85:1.
        s.languagePopupListEnabled = false
        // New candidates show at once and whole: the style slid and faded them in over 200 ms, so on
        // the frames after each key they were drawn at about 3:1 (a fast typist reads half-faded words).
        s.selectionListAdd = null
        s.selectionListRemove = null
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = wantedLocale
        restyle()
    }
    onKbStyleChanged: restyle()
    onThChanged: restyle()
    onWantedLocaleChanged: useWantedLocale()
    Connections {
        target: inputPanel.kbStyle
        ignoreUnknownSignals: true
        // the style fades the space bar's language name to half after a second (3.08:1): keep it whole
        function onInputLocaleIndicatorOpacityChanged() {
            if (inputPanel.kbStyle.inputLocaleIndicatorOpacity < 1.0) inputPanel.kbStyle.inputLocaleIndicatorOpacity = 1.0
        }
    }
    Connections {
        target: bridge
        function onVisitEnded() { inputPanel.resetForNextApplicant() }
    }
}
