// Screen 6 — materials and commitment (材料与承诺): the required actions on one screen, in order —
// ① the materials (what shared data covers, what is promised under 告知承诺, then 确认材料) and
// ② the 承诺书 (手写签名 opens the signing step; or 我已阅读并同意) — with what is still missing named
// beside 下一步 (view.missing). The generated application form follows as pages, below the actions.
// The promise marks and the commitment are the session's; this page keeps no state of its own.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: page
    readonly property var th: bridge.theme
    readonly property var t: bridge.t
    // Once the materials are confirmed, the 承诺书 and its two buttons come into view: in elder mode (and
    // with many materials) they sit below the fold while the line beside 下一步 names them as missing.
    readonly property bool materialsConfirmed: bridge.view.materials_confirmed
    onMaterialsConfirmedChanged: if (materialsConfirmed) Qt.callLater(showCommitment)

    function showCommitment() {
        if (!commitmentButtons.visible || bridge.view.commitment)
            return
        var bottom = commitmentButtons.mapToItem(body, 0, commitmentButtons.height).y + th.margin / 2
        if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(bottom - flick.height, Math.max(0, flick.contentHeight - flick.height))
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: th.margin / 2
        spacing: th.margin / 2
        Item {   // the page's content, and the 下面还有 bar under it while part of it is out of view
            Layout.fillWidth: true
            Layout.fillHeight: true
            Flickable {
                id: flick
                anchors { left: parent.left; right: parent.right; top: parent.top; bottom: more.visible ? more.top : parent.bottom }
                objectName: "materialsFlick"
                contentHeight: body.implicitHeight + th.margin
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: body
                    width: flick.width - 16
                    spacing: th.margin / 2
                    KText { text: t.materialsTitle; font.pixelSize: th.title; font.bold: true; color: th.text }
                    KText { Layout.fillWidth: true; text: t.stepsTitle; color: th.muted; wrapMode: Text.WordWrap }

                    // ① the materials
                    KText { objectName: "stepMaterials"; visible: bridge.view.materials.length > 0; Layout.fillWidth: true; text: t.stepMaterials; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1; wrapMode: Text.WordWrap }
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
                                    objectName: "photograph_" + index
                                    visible: !!modelData.photographable
                                    text: modelData.captured ? t.retakePhoto : t.photograph
                                    selected: !!modelData.captured
                                    onClicked: bridge.actions.photograph(modelData.material || modelData.name)
                                }
                                BigButton {
                                    objectName: "promise_" + index
                                    visible: modelData.promisable
                                    text: selected ? t.promised : t.promiseLater   // the act, then the state
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

                    // ② the commitment
                    ColumnLayout {
                        visible: bridge.view.requires_commitment
                        Layout.fillWidth: true
                        spacing: th.margin / 2
                        KText { objectName: "stepCommitment"; Layout.fillWidth: true; text: t.stepCommitment; font.bold: true; color: th.text; font.pixelSize: th.body * 1.1; wrapMode: Text.WordWrap }
                        KText { objectName: "commitmentText"; Layout.fillWidth: true; text: bridge.startPages.intro.commitment || ""; color: th.text; wrapMode: Text.WordWrap; lineHeight: 1.2 }
                        RowLayout {
                            id: commitmentButtons
                            Layout.fillWidth: true
                            spacing: th.margin / 2
                            BigButton {
                                objectName: "btnSign"
                                Layout.fillWidth: true
                                text: bridge.view.commitment === "signature" ? t.signed : t.signOpen
                                selected: bridge.view.commitment === "signature"
                                onClicked: bridge.actions.openSign()
                            }
                            BigButton {
                                objectName: "btnAgree"
                                Layout.fillWidth: true
                                text: bridge.view.commitment === "agree" ? t.agreed : t.agree + (bridge.view.materials_confirmed || bridge.view.materials.length === 0 ? " ›" : "")
                                selected: bridge.view.commitment === "agree"
                                onClicked: bridge.actions.agree()
                            }
                        }
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
                }
            }
            MoreBelow { id: more; flick: flick }
        }
        NoticeBox { Layout.fillWidth: true }
        RowLayout {
            Layout.fillWidth: true
            spacing: th.margin / 2
            KText {
                objectName: "missingText"
                Layout.fillWidth: true
                text: bridge.view.missing.length > 0 ? t.missingPrefix + bridge.view.missing.join(t.listJoin) : "✔ " + t.allDone
                color: bridge.view.missing.length > 0 ? th.block : th.ok
                font.bold: true
                wrapMode: Text.WordWrap
            }
            BigButton { objectName: "btnNext"; Layout.preferredWidth: th.target * 3; kind: "primary"; text: t.next + " ›"; onClicked: bridge.actions.next() }
        }
    }
}
