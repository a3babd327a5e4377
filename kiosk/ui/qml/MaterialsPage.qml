// Screen 6 — materials and commitment: what shared data covers, what is promised under 告知承诺,
// the generated application form as pages, the 承诺书, and a finger signature or "我已阅读并同意".
// The promise marks are the session's (view.materials_promised); this page keeps no state of its own.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: page
    readonly property var th: bridge.theme
    readonly property var t: bridge.t

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin / 2
        spacing: th.margin / 2
        Flickable {
            id: flick
            objectName: "materialsFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: body.implicitHeight + th.margin
            clip: true
            interactive: !signArea.drawing
            boundsBehavior: Flickable.StopAtBounds
            ColumnLayout {
                id: body
                width: flick.width - 16
                spacing: th.margin / 2
                KText { text: t.materialsTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
                Repeater {
                    model: bridge.view.materials_info
                    Rectangle {
                        Layout.fillWidth: true
                        color: th.surface; border.color: th.border; border.width: 2; radius: th.radius
                        implicitHeight: mrow.implicitHeight + th.margin / 2
                        RowLayout {
                            id: mrow
                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: th.margin / 2 }
                            ColumnLayout {
                                Layout.fillWidth: true
                                KText { Layout.fillWidth: true; text: "◆ " + modelData.name; font.bold: true; color: th.text; wrapMode: Text.WordWrap }
                                KText { Layout.fillWidth: true; text: modelData.status; color: th.muted; font.pixelSize: th.small; wrapMode: Text.WordWrap }
                            }
                            BigButton {
                                objectName: "promise_" + index
                                visible: modelData.promisable
                                text: t.promised
                                selected: bridge.view.materials_promised.indexOf(modelData.material || modelData.name) >= 0
                                onClicked: bridge.actions.promise(modelData.material || modelData.name, !selected)
                            }
                        }
                    }
                }
                BigButton {
                    objectName: "btnMaterialsOk"
                    Layout.fillWidth: true
                    visible: bridge.view.materials.length > 0
                    text: bridge.view.materials_confirmed ? t.materialsOk : t.confirmMaterials
                    selected: bridge.view.materials_confirmed
                    onClicked: bridge.actions.confirmMaterials()
                }
                KText { visible: bridge.documents.pageCount > 0; text: "▎" + t.formPages; font.bold: true; color: th.text }
                Repeater {
                    model: bridge.documents.pageCount
                    Flickable {   // elder mode: the page theme.previewWidth wide (its text >= 30 px), swiped sideways
                        id: pageFlick
                        Layout.fillWidth: true
                        Layout.maximumWidth: th.landscape && !th.elder ? body.width * 0.6 : body.width
                        Layout.preferredHeight: pageImage.height
                        Layout.alignment: Qt.AlignHCenter
                        contentWidth: pageImage.width
                        flickableDirection: Flickable.HorizontalFlick
                        boundsBehavior: Flickable.StopAtBounds
                        clip: true
                        Image {
                            id: pageImage
                            objectName: "formPage_" + index
                            width: th.previewWidth > 0 ? th.previewWidth : pageFlick.width
                            height: width * 1.414
                            fillMode: Image.PreserveAspectFit
                            source: "image://kiosk/page/" + index + "?" + bridge.documents.pageRevision
                            cache: false
                        }
                    }
                }
                KText { text: "▎" + t.commitmentTitle; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1 }
                KText { objectName: "commitmentText"; Layout.fillWidth: true; text: bridge.startPages.intro.commitment || ""; color: th.text; wrapMode: Text.WordWrap; lineHeight: 1.2 }
                KText { Layout.fillWidth: true; text: "✍ " + t.signHere; color: th.muted; wrapMode: Text.WordWrap }
                SignatureArea { id: signArea; Layout.fillWidth: true; Layout.preferredHeight: th.target * 3 }
                RowLayout {
                    Layout.fillWidth: true
                    BigButton { objectName: "btnClearSign"; text: t.clearSign; onClicked: signArea.clear() }
                    BigButton { objectName: "btnUseSign"; Layout.fillWidth: true; enabled: signArea.hasInk; text: t.useSign; onClicked: bridge.actions.sign(signArea.toDataURL("image/png")) }
                }
                BigButton {
                    objectName: "btnAgree"
                    Layout.fillWidth: true
                    text: bridge.view.commitment ? t.agreed : t.agree
                    selected: !!bridge.view.commitment
                    onClicked: bridge.actions.agree()
                }
            }
        }
        NoticeBox { Layout.fillWidth: true }
        BigButton { objectName: "btnNext"; Layout.fillWidth: true; kind: "primary"; text: t.next + " ›"; onClicked: bridge.actions.next() }
    }
}
