// Text at the theme's body size (scaled in elder mode) unless a size is given.
import QtQuick

Text {
    font.pixelSize: bridge.theme.body
    color: bridge.theme.text
}
