<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../gui/hints.py" line="30"/>
        <source>Choose Replace or Keep both when asked, or another output folder in Settings.</source>
        <translation>Wählen Sie bei der Rückfrage „Ersetzen“ oder „Beide behalten“ oder in den Einstellungen einen anderen Zielordner.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="32"/>
        <source>Choose another output folder in Settings.</source>
        <translation>Wählen Sie in den Einstellungen einen anderen Zielordner.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="33"/>
        <source>Select the key and press Enable.</source>
        <translation>Wählen Sie den Schlüssel aus und klicken Sie auf „Aktivieren“.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="34"/>
        <source>Select the key and press Cancel destruction, then Enable.</source>
        <translation>Wählen Sie den Schlüssel aus, klicken Sie auf „Vernichtung abbrechen“ und dann auf „Aktivieren“.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="36"/>
        <source>Cancel the destruction first, or wait for it.</source>
        <translation>Brechen Sie zuerst die Vernichtung ab oder warten Sie, bis sie erfolgt ist.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="37"/>
        <source>Its material is erased; files sealed only under it cannot be opened.</source>
        <translation>Sein Schlüsselmaterial ist gelöscht; Dateien, die nur mit ihm versiegelt wurden, lassen sich nicht mehr öffnen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="39"/>
        <source>Press Rotate to give the profile a new primary key.</source>
        <translation>Klicken Sie auf „Rotieren“, um dem Profil einen neuen Primärschlüssel zu geben.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="40"/>
        <source>Create a keybox on the first-run screen.</source>
        <translation>Legen Sie auf der Einrichtungsseite einen Schlüsselkasten an.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="41"/>
        <source>Move that file out of the way to create a new keybox in its place, or put a keybox backup there.</source>
        <translation>Verschieben Sie diese Datei, um an ihrer Stelle einen neuen Schlüsselkasten anzulegen, oder legen Sie dort eine Sicherung des Schlüsselkastens ab.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="43"/>
        <source>Close and reopen Key slots to see the slots as they are now.</source>
        <translation>Schließen Sie „Schlüsselfächer“ und öffnen Sie es erneut, um die Fächer im aktuellen Stand zu sehen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="45"/>
        <source>Unlock the vault, then try again.</source>
        <translation>Entsperren Sie den Tresor und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="46"/>
        <source>Choose a profile from the list.</source>
        <translation>Wählen Sie ein Profil aus der Liste.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="47"/>
        <source>Create a profile with New profile.</source>
        <translation>Legen Sie mit „Neues Profil“ ein Profil an.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="48"/>
        <source>Select the profile to seal for in the list.</source>
        <translation>Wählen Sie in der Liste das Profil, für das versiegelt werden soll.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="49"/>
        <source>Untick “Keep the root key in the OS keyring” and set a recovery passphrase, or start a keyring such as gnome-keyring.</source>
        <translation>Entfernen Sie das Häkchen bei „Stammschlüssel im Schlüsselbund des Systems aufbewahren“ und legen Sie eine Wiederherstellungs-Passphrase fest, oder starten Sie einen Schlüsselbund-Dienst wie gnome-keyring.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="52"/>
        <source>Restore the keybox from a backup (Vault menu, Restore keybox…).</source>
        <translation>Stellen Sie den Schlüsselkasten aus einer Sicherung wieder her (Menü „Tresor“, „Schlüsselkasten wiederherstellen…“).</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="55"/>
        <source>If you did not expect this, restore the keybox from a backup (Vault menu, Restore keybox…).</source>
        <translation>Falls Sie das nicht erwartet haben, stellen Sie den Schlüsselkasten aus einer Sicherung wieder her (Menü „Tresor“, „Schlüsselkasten wiederherstellen…“).</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="61"/>
        <source>Open People → My recipient to make your identity.</source>
        <translation>Öffnen Sie Personen → Mein Empfänger, um Ihre Identität zu erstellen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="62"/>
        <source>Choose one of your identities in People.</source>
        <translation>Wählen Sie eine Ihrer Identitäten unter Personen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="63"/>
        <source>Add the person on the People page first.</source>
        <translation>Fügen Sie die Person zuerst unter Personen hinzu.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="54"/>
        <source>Try again in a moment.</source>
        <translation>Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="57"/>
        <source>Add another passphrase or AWS KMS slot first, or confirm the removal.</source>
        <translation>Fügen Sie zuerst eine weitere Passphrase oder ein AWS-KMS-Fach hinzu oder bestätigen Sie das Entfernen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="59"/>
        <source>Keep the profile, or confirm that its keys may be lost.</source>
        <translation>Behalten Sie das Profil oder bestätigen Sie, dass seine Schlüssel verloren gehen dürfen.</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="81"/>
        <source>Keybox created</source>
        <translation>Schlüsselkasten angelegt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="82"/>
        <source>Keybox authenticated</source>
        <translation>Schlüsselkasten authentifiziert</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="83"/>
        <source>Keybox backed up</source>
        <translation>Schlüsselkasten gesichert</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="84"/>
        <source>Keybox restored</source>
        <translation>Schlüsselkasten wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="85"/>
        <source>Profile created</source>
        <translation>Profil angelegt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="86"/>
        <source>Profile renamed</source>
        <translation>Profil umbenannt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="87"/>
        <source>Rotation period set</source>
        <translation>Rotationszeitraum festgelegt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="88"/>
        <source>Profile deleted</source>
        <translation>Profil gelöscht</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="89"/>
        <source>Key rotated</source>
        <translation>Schlüssel rotiert</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="90"/>
        <source>Key enabled</source>
        <translation>Schlüssel aktiviert</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="91"/>
        <source>Key disabled</source>
        <translation>Schlüssel deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="92"/>
        <source>Key destruction scheduled</source>
        <translation>Schlüsselvernichtung geplant</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="93"/>
        <source>Key destruction cancelled</source>
        <translation>Schlüsselvernichtung abgebrochen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="94"/>
        <source>Key destroyed</source>
        <translation>Schlüssel vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="95"/>
        <source>Files sealed</source>
        <translation>Versiegelte Dateien</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="96"/>
        <source>File rewrapped</source>
        <translation>Datei umgeschlüsselt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="97"/>
        <source>Key slot added</source>
        <translation>Schlüsselfach hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="98"/>
        <source>Key slot renamed</source>
        <translation>Schlüsselfach umbenannt</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="99"/>
        <source>Key slot removed</source>
        <translation>Schlüsselfach entfernt</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="63"/>
        <source>A team keybox lives in a PostgreSQL database: back it up and restore it with the database&apos;s own tools (such as pg_dump), as its administrator does.</source>
        <translation>Ein Team-Schlüsselkasten liegt in einer PostgreSQL-Datenbank: Er wird mit den Werkzeugen der Datenbank (etwa pg_dump) gesichert und wiederhergestellt, so wie es ihre Administration tut.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="75"/>
        <source>Back up the keybox to</source>
        <translation>Schlüsselkasten sichern nach</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="76"/>
        <location filename="../gui/maintenance_dialog.py" line="83"/>
        <source>Keybox backups (*.sqlite);;All files (*)</source>
        <translation>Sicherungen des Schlüsselkastens (*.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="82"/>
        <source>Restore the keybox from</source>
        <translation>Schlüsselkasten wiederherstellen aus</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="157"/>
        <location filename="../gui/profile_dialog.py" line="163"/>
        <source>Delete profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="158"/>
        <source>Delete the profile {0}?</source>
        <translation>Das Profil {0} löschen?</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="160"/>
        <source>No key of this profile can open files any more ({0} destroyed keys). The profile is removed; the audit log keeps its history.</source>
        <translation>Kein Schlüssel dieses Profils kann noch Dateien öffnen ({0} vernichtete Schlüssel). Das Profil wird entfernt; das Prüfprotokoll behält seinen Verlauf.</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="170"/>
        <source>Profile not deleted</source>
        <translation>Profil nicht gelöscht</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="171"/>
        <source>The profile {0} was not deleted: {1} of its keys still open files.</source>
        <translation>Das Profil {0} wurde nicht gelöscht: {1} seiner Schlüssel öffnen noch Dateien.</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="174"/>
        <source>Its keys: {0} enabled, {1} disabled, {2} pending destruction, {3} destroyed. Deleting the profile erases them all, and the files sealed under them ({4} that the audit log knows of) could never be opened again. Rewrap the files you still need under another profile first, or destroy the keys you no longer need.</source>
        <translation>Seine Schlüssel: {0} aktiviert, {1} deaktiviert, {2} mit geplanter Vernichtung, {3} vernichtet. Wird das Profil gelöscht, sind sie alle verloren, und die mit ihnen versiegelten Dateien (laut Prüfprotokoll {4}) ließen sich nie wieder öffnen. Schlüsseln Sie die Dateien, die Sie noch brauchen, zuerst unter ein anderes Profil um, oder vernichten Sie die Schlüssel, die Sie nicht mehr brauchen.</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="180"/>
        <source>Delete anyway…</source>
        <translation>Trotzdem löschen…</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="181"/>
        <source>Keep the profile</source>
        <translation>Profil behalten</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="249"/>
        <source>{0}: no automatic rotation</source>
        <translation>{0}: keine automatische Rotation</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="250"/>
        <location filename="../gui/profile_dialog.py" line="291"/>
        <source>{0}: the primary key is rotated every {1} days</source>
        <translation>{0}: der Primärschlüssel wird alle {1} Tage rotiert</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="274"/>
        <source>Profile {0} deleted</source>
        <translation>Profil {0} gelöscht</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="290"/>
        <source>{0}: automatic rotation off</source>
        <translation>{0}: automatische Rotation aus</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="52"/>
        <source>post-quantum (hybrid)</source>
        <translation>Post-Quanten (hybrid)</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="53"/>
        <source>classic — not post-quantum</source>
        <translation>klassisch – nicht Post-Quanten</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="58"/>
        <source>A classic X25519 recipient: files shared with it could be opened by whoever records them today and has a quantum computer later. Ask the person for a post-quantum recipient (age 1.3 or newer, rage or typage make one).</source>
        <translation>Ein klassischer X25519-Empfänger: Dateien, die damit geteilt werden, könnte öffnen, wer sie heute aufzeichnet und später einen Quantencomputer hat. Bitten Sie die Person um einen Post-Quanten-Empfänger (age 1.3 oder neuer, rage oder typage erstellen einen).</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="93"/>
        <source>“{0}” is not an image this program can read.</source>
        <translation>„{0}“ ist kein Bild, das dieses Programm lesen kann.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="94"/>
        <source>No QR code was found in “{0}”. Try a sharper or larger picture of the code alone.</source>
        <translation>In „{0}“ wurde kein QR-Code gefunden. Versuchen Sie ein schärferes oder größeres Bild, das nur den Code zeigt.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="96"/>
        <source>The QR code in “{0}” does not hold an age recipient (age1… or age1pq1…).</source>
        <translation>Der QR-Code in „{0}“ enthält keinen age-Empfänger (age1… oder age1pq1…).</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="98"/>
        <source>“{0}” shows the QR codes of several recipients; use a picture of one.</source>
        <translation>„{0}“ zeigt die QR-Codes mehrerer Empfänger; verwenden Sie ein Bild mit nur einem.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="100"/>
        <source>QR codes cannot be read: the zxing-cpp package is not installed. Paste the recipient instead.</source>
        <translation>QR-Codes können nicht gelesen werden: Das Paket zxing-cpp ist nicht installiert. Fügen Sie den Empfänger stattdessen ein.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="102"/>
        <source>“{0}” could not be read.</source>
        <translation>„{0}“ konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="250"/>
        <source>Rename contact</source>
        <translation>Kontakt umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="252"/>
        <source>New name:</source>
        <translation>Neuer Name:</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="281"/>
        <source>Remove contact</source>
        <translation>Kontakt entfernen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="282"/>
        <source>Remove the contact “{0}”?</source>
        <translation>Den Kontakt „{0}“ entfernen?</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="283"/>
        <source>Files you already shared with them still open for them. To share with them again, add their recipient again.</source>
        <translation>Dateien, die Sie bereits mit der Person geteilt haben, kann sie weiterhin öffnen. Um wieder mit ihr zu teilen, fügen Sie ihren Empfänger erneut hinzu.</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="286"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="287"/>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="290"/>
        <source>Remove the contact</source>
        <translation>Den Kontakt entfernen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="291"/>
        <source>Keep the contact</source>
        <translation>Den Kontakt behalten</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="83"/>
        <location filename="../gui/recovery_sheet.py" line="115"/>
        <source>vaultapp recovery sheet</source>
        <translation>vaultapp-Wiederherstellungsblatt</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="116"/>
        <source>Keybox: {0}</source>
        <translation>Schlüsselkasten: {0}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="117"/>
        <source>Where: {0}</source>
        <translation>Ort: {0}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="118"/>
        <source>Slot: {0}</source>
        <translation>Schlüsselfach: {0}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="119"/>
        <source>Made on: {0:%Y-%m-%d %H:%M}</source>
        <translation>Erstellt am: {0:%d.%m.%Y %H:%M}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="120"/>
        <source>Recovery code</source>
        <translation>Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="133"/>
        <source>This code unlocks the keybox wherever a passphrase is asked for, on any computer that has a copy of the keybox. Type it with or without the dashes; a typo is caught before anything is tried.</source>
        <translation>Dieser Code entsperrt den Schlüsselkasten überall, wo nach einer Passphrase gefragt wird, auf jedem Computer mit einer Kopie des Schlüsselkastens. Geben Sie ihn mit oder ohne Bindestriche ein; ein Tippfehler wird erkannt, bevor etwas versucht wird.</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="136"/>
        <source>Keep this sheet somewhere safe and away from the computer: whoever holds it and a copy of the keybox can open every file sealed with it. If it is lost or seen by someone else, remove this slot and make a new code.</source>
        <translation>Bewahren Sie dieses Blatt sicher und getrennt vom Computer auf: Wer es und eine Kopie des Schlüsselkastens hat, kann jede damit versiegelte Datei öffnen. Ist es verloren oder hat es jemand anderes gesehen, entfernen Sie dieses Schlüsselfach und erstellen Sie einen neuen Code.</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="32"/>
        <source>{device} was not touched within {seconds:g} seconds</source>
        <translation>{device} wurde nicht innerhalb von {seconds:g} Sekunden berührt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="33"/>
        <source>{device} was not touched in time</source>
        <translation>{device} wurde nicht rechtzeitig berührt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="39"/>
        <source>the slot is damaged</source>
        <translation>das Schlüsselfach ist beschädigt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="40"/>
        <source>added since this computer last unlocked; it is used once another slot has unlocked the keybox here</source>
        <translation>hinzugefügt, seit dieser Computer zuletzt entsperrt hat; es wird verwendet, sobald ein anderes Schlüsselfach den Schlüsselkasten hier entsperrt hat</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="42"/>
        <source>a kind of slot this version of vaultapp does not know</source>
        <translation>eine Art von Schlüsselfach, die diese vaultapp-Version nicht kennt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="43"/>
        <source>no passphrase was given</source>
        <translation>keine Passphrase angegeben</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="44"/>
        <source>no PIN was given</source>
        <translation>keine PIN angegeben</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="45"/>
        <source>wrong passphrase</source>
        <translation>falsche Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="46"/>
        <source>wrong recovery code (a valid code, but not this slot&apos;s)</source>
        <translation>falscher Wiederherstellungscode (ein gültiger Code, aber nicht der dieses Schlüsselfachs)</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="48"/>
        <source>the system keyring has no entry for this keybox</source>
        <translation>der Schlüsselbund des Systems hat keinen Eintrag für diesen Schlüsselkasten</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="49"/>
        <source>the system keyring did not answer</source>
        <translation>der Schlüsselbund des Systems hat nicht geantwortet</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="50"/>
        <source>no security key is connected: plug one in</source>
        <translation>kein Sicherheitsschlüssel ist angeschlossen: Schließen Sie einen an</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="51"/>
        <source>the connected security key does not hold this slot&apos;s credential: another key, or one that was reset</source>
        <translation>der angeschlossene Sicherheitsschlüssel hat die Anmeldedaten dieses Schlüsselfachs nicht: ein anderer Schlüssel, oder einer, der zurückgesetzt wurde</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="54"/>
        <source>wrong PIN for {device} ({retries} tries left before the key blocks it)</source>
        <translation>falsche PIN für {device} (noch {retries} Versuche, bevor der Schlüssel sie sperrt)</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="55"/>
        <source>wrong PIN for {device}</source>
        <translation>falsche PIN für {device}</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="57"/>
        <source>the PIN of {device} is blocked after too many wrong tries; only a reset unblocks the key, and a reset erases this slot&apos;s credential: unlock with another slot</source>
        <translation>die PIN von {device} ist nach zu vielen Fehlversuchen gesperrt; nur ein Zurücksetzen entsperrt den Schlüssel, und das löscht die Anmeldedaten dieses Schlüsselfachs: Entsperren Sie mit einem anderen Schlüsselfach</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="60"/>
        <source>too many wrong PINs in a row for {device}: unplug it, plug it in again and retry</source>
        <translation>zu viele falsche PINs hintereinander für {device}: Ziehen Sie ihn ab, stecken Sie ihn wieder an und versuchen Sie es erneut</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="63"/>
        <source>cancelled while waiting for {device}</source>
        <translation>abgebrochen beim Warten auf {device}</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="64"/>
        <source>the touch was refused on {device}</source>
        <translation>die Berührung wurde auf {device} abgelehnt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="65"/>
        <source>{device} stopped answering (unplugged?)</source>
        <translation>{device} antwortet nicht mehr (abgezogen?)</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="66"/>
        <source>not tried: nothing asked for the touch of a security key</source>
        <translation>nicht versucht: nichts hat nach der Berührung eines Sicherheitsschlüssels gefragt</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="68"/>
        <source>{device} already unlocks this keybox: a second slot on the same key is no spare; add a different key</source>
        <translation>{device} entsperrt diesen Schlüsselkasten bereits: Ein zweites Schlüsselfach auf demselben Schlüssel ist kein Ersatz; fügen Sie einen anderen Schlüssel hinzu</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="71"/>
        <source>this computer&apos;s TPM is not reachable</source>
        <translation>das TPM dieses Computers ist nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="73"/>
        <source>wrong PIN ({retries} tries left before the TPM locks PINs out)</source>
        <translation>falsche PIN (noch {retries} Versuche, bevor das TPM PINs sperrt)</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="74"/>
        <source>wrong PIN</source>
        <translation>falsche PIN</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="75"/>
        <source>the TPM refuses PINs for now after too many wrong ones (dictionary attack protection)</source>
        <translation>das TPM lehnt nach zu vielen falschen PINs vorerst alle PINs ab (Schutz vor Wörterbuchangriffen)</translation>
    </message>
    <message>
        <location filename="../gui/slot_reasons.py" line="77"/>
        <source>the TPM was cleared: the sealed key is gone (or this is another computer&apos;s TPM)</source>
        <translation>das TPM wurde zurückgesetzt: Der gebundene Schlüssel ist verloren (oder dies ist das TPM eines anderen Computers)</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../gui/about_dialog.py" line="40"/>
        <source>About vaultapp</source>
        <translation>Über vaultapp</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="41"/>
        <source>&lt;h2&gt;vaultapp {0}&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;vaultapp {0}&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="43"/>
        <source>A desktop vault for envelope encryption: files are sealed under versioned profile keys kept in an encrypted keybox.</source>
        <translation>Ein Tresor für Umschlagverschlüsselung auf dem Desktop: Dateien werden mit versionierten Profilschlüsseln versiegelt, die in einem verschlüsselten Schlüsselkasten liegen.</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="58"/>
        <source>Qt {0}, PySide6 {1}</source>
        <translation>Qt {0}, PySide6 {1}</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="65"/>
        <source>&lt;a href=&quot;{0}&quot;&gt;The user guide&lt;/a&gt; ({1})</source>
        <translation>&lt;a href=&quot;{0}&quot;&gt;Das Benutzerhandbuch&lt;/a&gt; ({1})</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="70"/>
        <source>Open the user guide</source>
        <translation>Benutzerhandbuch öffnen</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="72"/>
        <source>The user guide, USER-GUIDE.md, is in the docs folder of vaultapp&apos;s source.</source>
        <translation>Das Benutzerhandbuch, USER-GUIDE.md, liegt im Ordner „docs“ der Quellen von vaultapp.</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="77"/>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="78"/>
        <source>Keybox:</source>
        <translation>Schlüsselkasten:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="79"/>
        <source>Licence:</source>
        <translation>Lizenz:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="80"/>
        <source>Toolkit:</source>
        <translation>Oberfläche:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="81"/>
        <source>Python:</source>
        <translation>Python:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="82"/>
        <source>Documentation:</source>
        <translation>Dokumentation:</translation>
    </message>
    <message>
        <location filename="../gui/about_dialog.py" line="85"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>ActivityDelegate</name>
    <message>
        <location filename="../gui/activity.py" line="160"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="160"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="161"/>
        <source>Show in folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
</context>
<context>
    <name>ActivityList</name>
    <message>
        <location filename="../gui/activity.py" line="282"/>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="328"/>
        <source>Cancelled; nothing was written</source>
        <translation>Abgebrochen; es wurde nichts geschrieben</translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <location filename="../gui/activity.py" line="126"/>
        <source>Delete cancels</source>
        <translation>Entf bricht ab</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="126"/>
        <source>Enter shows it in its folder</source>
        <translation>Eingabetaste zeigt die Datei in ihrem Ordner</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="128"/>
        <source>the menu lists the files that failed</source>
        <translation>das Kontextmenü listet die fehlgeschlagenen Dateien auf</translation>
    </message>
</context>
<context>
    <name>AddContactDialog</name>
    <message>
        <location filename="../gui/contact_dialogs.py" line="115"/>
        <source>Add a contact</source>
        <translation>Kontakt hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="119"/>
        <source>Contact name</source>
        <translation>Name des Kontakts</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="122"/>
        <source>Recipient</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="124"/>
        <source>The person&apos;s age recipient, age1… or age1pq1…, as they sent it</source>
        <translation>Der age-Empfänger der Person, age1… oder age1pq1…, so wie sie ihn geschickt hat</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="125"/>
        <source>age1pq1… or age1…</source>
        <translation>age1pq1… oder age1…</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="128"/>
        <source>Read &amp;QR code image…</source>
        <translation>&amp;QR-Code-Bild lesen…</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="130"/>
        <source>Read the recipient from a QR code image</source>
        <translation>Den Empfänger aus einem QR-Code-Bild lesen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="135"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="142"/>
        <location filename="../gui/contact_dialogs.py" line="143"/>
        <source>Add contact</source>
        <translation>Kontakt hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="147"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="148"/>
        <source>&amp;Recipient:</source>
        <translation>&amp;Empfänger:</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="176"/>
        <source>Read a QR code image</source>
        <translation>Ein QR-Code-Bild lesen</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="177"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.svg);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.svg);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../gui/contact_dialogs.py" line="185"/>
        <source>Reading the QR code…</source>
        <translation>Der QR-Code wird gelesen…</translation>
    </message>
</context>
<context>
    <name>AgePassphraseDialog</name>
    <message>
        <location filename="../gui/age_passphrase.py" line="32"/>
        <location filename="../gui/age_passphrase.py" line="49"/>
        <source>Passphrase of the age file</source>
        <translation>Passphrase der age-Datei</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="35"/>
        <source>“{0}” was encrypted with a passphrase. Type it to open the file.</source>
        <translation>„{0}“ wurde mit einer Passphrase verschlüsselt. Geben Sie sie ein, um die Datei zu öffnen.</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="39"/>
        <source>{0} files were encrypted with a passphrase ({1}). Type it to open them; each file that does not open with it fails alone.</source>
        <translation>{0} Dateien wurden mit einer Passphrase verschlüsselt ({1}). Geben Sie sie ein, um sie zu öffnen; jede Datei, die sich damit nicht öffnen lässt, scheitert für sich allein.</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="51"/>
        <source>The passphrase the sender chose when they encrypted the file</source>
        <translation>Die Passphrase, die der Absender beim Verschlüsseln der Datei gewählt hat</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="55"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="56"/>
        <source>Open with this passphrase</source>
        <translation>Mit dieser Passphrase öffnen</translation>
    </message>
    <message>
        <location filename="../gui/age_passphrase.py" line="58"/>
        <source>Cancel: do not open</source>
        <translation>Abbrechen: nicht öffnen</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <location filename="../gui/log_dialog.py" line="264"/>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="266"/>
        <location filename="../gui/log_dialog.py" line="415"/>
        <source>Checking the log&apos;s chain…</source>
        <translation>Die Kette des Protokolls wird geprüft…</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="270"/>
        <source>Audit log check</source>
        <translation>Prüfung des Protokolls</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="281"/>
        <source>All profiles</source>
        <translation>Alle Profile</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="282"/>
        <source>Show only this profile</source>
        <translation>Nur dieses Profil zeigen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="284"/>
        <source>Choose or type a profile name; empty shows every profile</source>
        <translation>Wählen oder tippen Sie einen Profilnamen; leer zeigt alle Profile</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="287"/>
        <source>All keys (or the first digits of a key id)</source>
        <translation>Alle Schlüssel (oder Anfang einer Schlüssel-ID)</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="288"/>
        <source>Show only this key</source>
        <translation>Nur diesen Schlüssel zeigen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="290"/>
        <source>A key id or its first digits; empty shows every key</source>
        <translation>Eine Schlüssel-ID oder ihre ersten Ziffern; leer zeigt alle Schlüssel</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="293"/>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="296"/>
        <source>Show only this action</source>
        <translation>Nur diese Aktion zeigen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="297"/>
        <source>C&amp;lear filters</source>
        <translation>Filter &amp;zurücksetzen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="298"/>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="303"/>
        <source>&amp;Profile:</source>
        <translation>&amp;Profil:</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="304"/>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="308"/>
        <source>&amp;Action:</source>
        <translation>&amp;Aktion:</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="316"/>
        <source>Audit log entries, newest first</source>
        <translation>Einträge des Prüfprotokolls, neueste zuerst</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="339"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="347"/>
        <source>Entries shown</source>
        <translation>Angezeigte Einträge</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="348"/>
        <source>&amp;Copy selected rows</source>
        <translation>Ausgewählte Zeilen k&amp;opieren</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="350"/>
        <source>Copy selected rows</source>
        <translation>Ausgewählte Zeilen kopieren</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="357"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="424"/>
        <source>✓ The log&apos;s chain is intact: {0} entries.</source>
        <translation>✓ Die Kette des Protokolls ist unversehrt: {0} Einträge.</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="429"/>
        <source>⚠ The log&apos;s chain breaks at entry {0} (after {1} intact entries): entries were edited, inserted or removed outside vaultapp. If you did not expect this, restore the keybox from a backup.</source>
        <translation>⚠ Die Kette des Protokolls bricht bei Eintrag {0} ab (nach {1} unversehrten Einträgen): Einträge wurden außerhalb von vaultapp geändert, eingefügt oder entfernt. Falls Sie das nicht erwartet haben, stellen Sie den Schlüsselkasten aus einer Sicherung wieder her.</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="439"/>
        <source>⚠ The log could not be checked: {0}</source>
        <translation>⚠ Das Protokoll konnte nicht geprüft werden: {0}</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="456"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="471"/>
        <source>{0} entries</source>
        <translation>{0} Einträge</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="472"/>
        <source>No entries match these filters.</source>
        <translation>Keine Einträge passen zu diesen Filtern.</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="474"/>
        <source>{0} newest entries shown; scroll down for more</source>
        <translation>Die {0} neuesten Einträge; für weitere nach unten blättern</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="481"/>
        <source>The log could not be read: {0}</source>
        <translation>Das Protokoll konnte nicht gelesen werden: {0}</translation>
    </message>
</context>
<context>
    <name>AuditLogModel</name>
    <message>
        <location filename="../gui/log_dialog.py" line="202"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="202"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="202"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="202"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="203"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="203"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../gui/log_dialog.py" line="216"/>
        <source>{0} UTC</source>
        <translation>{0} UTC</translation>
    </message>
</context>
<context>
    <name>CheckReportDialog</name>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="201"/>
        <source>Keybox check</source>
        <translation>Prüfung des Schlüsselkastens</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="203"/>
        <source>✓ The keybox is in order.</source>
        <translation>✓ Der Schlüsselkasten ist in Ordnung.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="206"/>
        <source>⚠ The keybox has problems; nothing was changed. If you did not expect this, restore it from a backup (Vault menu, Restore keybox…).</source>
        <translation>⚠ Der Schlüsselkasten hat Probleme; es wurde nichts geändert. Falls Sie das nicht erwartet haben, stellen Sie ihn aus einer Sicherung wieder her (Menü „Tresor“, „Schlüsselkasten wiederherstellen…“).</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="214"/>
        <source>Problem: {0}</source>
        <translation>Problem: {0}</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="215"/>
        <source>Note: {0}</source>
        <translation>Hinweis: {0}</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="219"/>
        <source>What the check found</source>
        <translation>Ergebnis der Prüfung</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="228"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>ConfirmDestroyDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="99"/>
        <source>Destroy key {0}</source>
        <translation>Schlüssel {0} vernichten</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="102"/>
        <source>&lt;b&gt;Destroying key {0} (version {1} of {2}) erases its material for good.&lt;/b&gt;&lt;br&gt;Files sealed only under this key can never be opened again. The audit log knows of &lt;b&gt;{3}&lt;/b&gt; file(s) sealed under it; rewrap any you still need first.</source>
        <translation>&lt;b&gt;Das Vernichten von Schlüssel {0} (Version {1} von {2}) löscht sein Schlüsselmaterial endgültig.&lt;/b&gt;&lt;br&gt;Dateien, die nur mit diesem Schlüssel versiegelt wurden, lassen sich nie wieder öffnen. Laut Prüfprotokoll wurden &lt;b&gt;{3}&lt;/b&gt; Datei(en) mit ihm versiegelt; schlüsseln Sie alle, die Sie noch brauchen, vorher um.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="107"/>
        <source>Destroy after a waiting period (can be cancelled)</source>
        <translation>Nach einer Wartezeit vernichten (kann abgebrochen werden)</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="108"/>
        <source>Destroy now (cannot be undone)</source>
        <translation>Jetzt vernichten (kann nicht rückgängig gemacht werden)</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="116"/>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="117"/>
        <source>Waiting period in days</source>
        <translation>Wartezeit in Tagen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="120"/>
        <source>Destroy</source>
        <translation>Vernichten</translation>
    </message>
</context>
<context>
    <name>ConfirmRemoveSlot</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="515"/>
        <source>Remove key slot</source>
        <translation>Schlüsselfach entfernen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="516"/>
        <source>Remove the key slot “{0}” ({1})?</source>
        <translation>Das Schlüsselfach „{0}“ ({1}) entfernen?</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="521"/>
        <source>This is the last key slot that does not depend on this machine. Without it, the keybox opens only here: if this machine or its keyring is lost, nobody can open your sealed files again.</source>
        <translation>Dies ist das letzte Schlüsselfach, das nicht von diesem Rechner abhängt. Ohne es öffnet sich der Schlüsselkasten nur hier: Gehen dieser Rechner oder sein Schlüsselbund verloren, kann niemand Ihre versiegelten Dateien je wieder öffnen.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="526"/>
        <source>Remove the last portable way in</source>
        <translation>Letzten übertragbaren Zugang entfernen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="530"/>
        <source>The other key slots still unlock the keybox.</source>
        <translation>Die anderen Schlüsselfächer entsperren den Schlüsselkasten weiterhin.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="532"/>
        <source>Remove slot</source>
        <translation>Fach entfernen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="534"/>
        <source>Keep it</source>
        <translation>Behalten</translation>
    </message>
</context>
<context>
    <name>ConfirmRestoreDialog</name>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="135"/>
        <source>Restore the keybox</source>
        <translation>Schlüsselkasten wiederherstellen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="137"/>
        <source>an unknown time</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="140"/>
        <source>&lt;b&gt;There is no keybox at {0} yet: the backup {1} becomes this machine&apos;s keybox.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Its newest entry is from {2}; it holds {3} profiles and {4} keys. Its own key slots unlock it.</source>
        <translation>&lt;b&gt;Unter {0} gibt es noch keinen Schlüsselkasten: Die Sicherung {1} wird zum Schlüsselkasten dieses Rechners.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Ihr neuester Eintrag: {2}; sie enthält {3} Profile und {4} Schlüssel. Ihre eigenen Schlüsselfächer entsperren sie.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="152"/>
        <source>⚠ This backup is of another keybox, not of the one it replaces: its own key slots unlock it, and this machine will trust it from now on.</source>
        <translation>⚠ Diese Sicherung stammt von einem anderen Schlüsselkasten als dem, den sie ersetzt: Ihre eigenen Schlüsselfächer entsperren sie, und dieser Rechner vertraut ihr von nun an.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="161"/>
        <source>Replace the keybox</source>
        <translation>Schlüsselkasten ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="161"/>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="164"/>
        <source>Replace the keybox with the backup</source>
        <translation>Schlüsselkasten durch die Sicherung ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="166"/>
        <source>Restore the keybox from the backup</source>
        <translation>Schlüsselkasten aus der Sicherung wiederherstellen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="169"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="180"/>
        <source>&lt;b&gt;Restoring replaces the current keybox at {0} with the backup {1}.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Profiles, keys, key slots and the audit log go back to the backup&apos;s state (its newest entry is from {2}; it holds {3} profiles and {4} keys). Keys made since then are lost, and files sealed under them cannot be opened with the restored keybox. Keys disabled or destroyed since then come back as they were in the backup: a backup made before a key was destroyed still holds that key.&lt;br&gt;&lt;br&gt;The current keybox is kept beside it under a new name, so nothing is erased.</source>
        <translation>&lt;b&gt;Das Wiederherstellen ersetzt den aktuellen Schlüsselkasten unter {0} durch die Sicherung {1}.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Profile, Schlüssel, Schlüsselfächer und das Prüfprotokoll kehren zum Stand der Sicherung zurück (ihr neuester Eintrag: {2}; sie enthält {3} Profile und {4} Schlüssel). Seitdem erzeugte Schlüssel gehen verloren, und damit versiegelte Dateien lassen sich mit dem wiederhergestellten Schlüsselkasten nicht öffnen. Seitdem deaktivierte oder vernichtete Schlüssel kommen so zurück, wie sie in der Sicherung waren: Eine Sicherung von vor der Vernichtung eines Schlüssels enthält diesen Schlüssel noch.&lt;br&gt;&lt;br&gt;Der aktuelle Schlüsselkasten wird unter neuem Namen daneben aufbewahrt; es wird also nichts gelöscht.</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../gui/main_window.py" line="90"/>
        <source>Drop zone: drop files to seal or open them</source>
        <translation>Ablagefläche: Dateien hier ablegen, um sie zu versiegeln oder zu öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="91"/>
        <source>Press Enter to choose files</source>
        <translation>Eingabetaste drücken, um Dateien auszuwählen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="95"/>
        <source>&lt;b&gt;Drop files or folders here&lt;/b&gt;</source>
        <translation>&lt;b&gt;Dateien oder Ordner hier ablegen&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="96"/>
        <source>Plain files are sealed with the selected profile; sealed .vault files and .age files are opened.</source>
        <translation>Einfache Dateien werden mit dem gewählten Profil versiegelt; versiegelte .vault-Dateien und .age-Dateien werden geöffnet.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="99"/>
        <source>Seal files…</source>
        <translation>Dateien versiegeln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="101"/>
        <source>Seal files</source>
        <translation>Dateien versiegeln</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="102"/>
        <source>Open files…</source>
        <translation>Dateien öffnen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="104"/>
        <source>Open files</source>
        <translation>Dateien öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="105"/>
        <source>Share…</source>
        <translation>Teilen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="107"/>
        <source>Share files with people</source>
        <translation>Dateien mit Personen teilen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="108"/>
        <source>Encrypt files as age files for contacts (Ctrl+Shift+E)</source>
        <translation>Dateien als age-Dateien für Kontakte verschlüsseln (Strg+Umschalt+E)</translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="285"/>
        <source>Files that failed</source>
        <translation>Fehlgeschlagene Dateien</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="299"/>
        <source>Messages of the files that failed</source>
        <translation>Meldungen zu den fehlgeschlagenen Dateien</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../gui/job.py" line="125"/>
        <source>{0} files</source>
        <translation>{0} Dateien</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="126"/>
        <source>… and {0} more</source>
        <translation>… und {0} weitere</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="128"/>
        <source>Waiting…</source>
        <translation>Wartet…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="207"/>
        <source>Preparing…</source>
        <translation>Wird vorbereitet…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="215"/>
        <source>the output folder {0} does not exist; create it or choose another in Settings</source>
        <translation>der Zielordner {0} existiert nicht; legen Sie ihn an oder wählen Sie in den Einstellungen einen anderen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="233"/>
        <location filename="../gui/job.py" line="253"/>
        <location filename="../gui/job.py" line="263"/>
        <location filename="../gui/job.py" line="276"/>
        <location filename="../gui/job.py" line="341"/>
        <location filename="../gui/job.py" line="412"/>
        <location filename="../gui/job.py" line="442"/>
        <source>Cancelled; nothing was written</source>
        <translation>Abgebrochen; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="236"/>
        <source>{0} in {1}</source>
        <translation>{0} in {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="246"/>
        <source>Waiting until the open question is answered…</source>
        <translation>Wartet, bis die offene Frage beantwortet ist…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="259"/>
        <source>Waiting for the passphrase…</source>
        <translation>Warten auf die Passphrase…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="270"/>
        <source>Output names are taken: waiting for your answer…</source>
        <translation>Zielnamen sind vergeben: wartet auf Ihre Antwort…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="287"/>
        <source>Rewrapping</source>
        <translation>Umschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="287"/>
        <source>Opening</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="288"/>
        <source>Sealing</source>
        <translation>Versiegeln</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="288"/>
        <source>Encrypting for people</source>
        <translation>Für Personen verschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="291"/>
        <source>Encrypting for people…</source>
        <translation>Für Personen verschlüsseln…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="292"/>
        <source>Sealing and opening…</source>
        <translation>Versiegeln und Öffnen…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="312"/>
        <source>Verifying before removing originals: {0} of {1}</source>
        <translation>Prüfung vor dem Entfernen der Originale: {0} von {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="317"/>
        <source>{0}% · {1} MB/s</source>
        <translation>{0} % · {1} MB/s</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="321"/>
        <source>{0} of {1} · {2} files/s</source>
        <translation>{0} von {1} · {2} Dateien/s</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="343"/>
        <source>Skipped: {0} already exists</source>
        <translation>Übersprungen: {0} existiert bereits</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="346"/>
        <source>Rewrapped to the current key</source>
        <translation>Auf den aktuellen Schlüssel umgeschlüsselt</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="349"/>
        <source>Shared → {0}</source>
        <translation>Geteilt → {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="352"/>
        <source>Opened → {0}</source>
        <translation>Geöffnet → {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="352"/>
        <source>Sealed → {0}</source>
        <translation>Versiegelt → {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="355"/>
        <source> (original removed)</source>
        <translation> (Original entfernt)</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="360"/>
        <source>Shared {0}</source>
        <translation>Geteilt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="363"/>
        <source>Sealed {0}</source>
        <translation>Versiegelt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="364"/>
        <source>opened {0}</source>
        <translation>geöffnet: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="361"/>
        <location filename="../gui/job.py" line="365"/>
        <source>{0} failed</source>
        <translation>fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="367"/>
        <source>{0} skipped</source>
        <translation>übersprungen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="369"/>
        <source>{0} originals removed</source>
        <translation>Originale entfernt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="371"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="373"/>
        <source>{0} not started</source>
        <translation>nicht begonnen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="376"/>
        <source>… and {0} more (see Details)</source>
        <translation>… und {0} weitere (siehe Details)</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="386"/>
        <source>The audit log could not count the sealed files: {0}</source>
        <translation>Das Prüfprotokoll konnte die versiegelten Dateien nicht zählen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="396"/>
        <location filename="../gui/job.py" line="417"/>
        <source>Cannot read {0}: {1}</source>
        <translation>{0} kann nicht gelesen werden: {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="398"/>
        <source>The passphrase is wrong; nothing was written</source>
        <translation>Die Passphrase ist falsch; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="400"/>
        <source>None of this keybox&apos;s identities can open it: it was made for someone else; nothing was written</source>
        <translation>Keine Identität dieses Schlüsselkastens kann sie öffnen: Sie wurde für jemand anderen erstellt; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="407"/>
        <source>sealed, but the original was kept: {0}</source>
        <translation>versiegelt, aber das Original wurde behalten: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="416"/>
        <source>the files</source>
        <translation>die Dateien</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="419"/>
        <source>Unexpected error: {0}</source>
        <translation>Unerwarteter Fehler: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="446"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="457"/>
        <source>{0} (no file manager could be started to show its folder)</source>
        <translation>{0} (kein Dateimanager ließ sich starten, um den Ordner zu zeigen)</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="459"/>
        <source>Could not start a file manager to show the folder {0}.</source>
        <translation>Es ließ sich kein Dateimanager starten, um den Ordner {0} zu zeigen.</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="468"/>
        <source>{0} of {1} files failed:</source>
        <translation>{0} von {1} Dateien sind fehlgeschlagen:</translation>
    </message>
</context>
<context>
    <name>KeyTableModel</name>
    <message>
        <location filename="../gui/indirect_words.py" line="16"/>
        <location filename="../gui/key_model.py" line="60"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="17"/>
        <location filename="../gui/key_model.py" line="61"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="18"/>
        <location filename="../gui/key_model.py" line="62"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="19"/>
        <location filename="../gui/key_model.py" line="63"/>
        <source>Primary</source>
        <translation>Primär</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="20"/>
        <location filename="../gui/key_model.py" line="64"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="21"/>
        <location filename="../gui/key_model.py" line="65"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="22"/>
        <location filename="../gui/key_model.py" line="66"/>
        <source>Next rotation</source>
        <translation>Nächste Rotation</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="23"/>
        <location filename="../gui/key_model.py" line="67"/>
        <source>Files sealed</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="25"/>
        <location filename="../gui/key_model.py" line="39"/>
        <source>● Enabled</source>
        <translation>● Aktiviert</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="26"/>
        <location filename="../gui/key_model.py" line="40"/>
        <source>◐ Disabled</source>
        <translation>◐ Deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="27"/>
        <location filename="../gui/key_model.py" line="41"/>
        <source>⚠ Pending destruction</source>
        <translation>⚠ Vernichtung geplant</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="28"/>
        <location filename="../gui/key_model.py" line="43"/>
        <source>✕ Destroyed</source>
        <translation>✕ Vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="52"/>
        <location filename="../gui/key_model.py" line="118"/>
        <source>{0} d</source>
        <translation>{0} T</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="55"/>
        <source>{0} h</source>
        <translation>{0} Std.</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="56"/>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="134"/>
        <source>Destroyed after {0:%Y-%m-%d %H:%M} UTC</source>
        <translation>Wird nach {0:%d.%m.%Y %H:%M} UTC vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="139"/>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="117"/>
        <location filename="../gui/key_model.py" line="154"/>
        <source>★ Primary</source>
        <translation>★ Primär</translation>
    </message>
</context>
<context>
    <name>KeyboxController</name>
    <message>
        <location filename="../gui/controller.py" line="165"/>
        <source>After a lock the vault is unlocked with a passphrase, not the system keyring alone.</source>
        <translation>Nach einer Sperre wird der Tresor mit einer Passphrase entsperrt, nicht allein mit dem Schlüsselbund des Systems.</translation>
    </message>
</context>
<context>
    <name>KmsSlotDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="107"/>
        <source>Add an AWS KMS key slot</source>
        <translation>AWS-KMS-Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="110"/>
        <source>KMS key ARN</source>
        <translation>ARN des KMS-Schlüssels</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="114"/>
        <source>AWS region</source>
        <translation>AWS-Region</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="115"/>
        <source>from the ARN when empty</source>
        <translation>leer: aus dem ARN</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="118"/>
        <source>Endpoint URL</source>
        <translation>Endpunkt-URL</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="119"/>
        <source>optional, e.g. a VPC endpoint</source>
        <translation>optional, z. B. ein VPC-Endpunkt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="122"/>
        <source>Connection test result</source>
        <translation>Ergebnis des Verbindungstests</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="128"/>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="130"/>
        <source>Test the connection to the KMS key</source>
        <translation>Verbindung zum KMS-Schlüssel testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="138"/>
        <source>Key &amp;ARN:</source>
        <translation>Schlüssel-&amp;ARN:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="139"/>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="140"/>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="141"/>
        <source>Credentials come from the standard AWS chain (environment, profile, SSO); vaultapp never stores them.</source>
        <translation>Die Zugangsdaten kommen aus der üblichen AWS-Kette (Umgebung, Profil, SSO); vaultapp speichert sie nie.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="172"/>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../gui/main_window.py" line="245"/>
        <location filename="../gui/main_window.py" line="1009"/>
        <source>vaultapp</source>
        <translation>vaultapp</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="258"/>
        <source>Opening the keybox…</source>
        <translation>Schlüsselkasten wird geöffnet…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="266"/>
        <source>Lock state</source>
        <translation>Sperrzustand</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="270"/>
        <source>Last backup</source>
        <translation>Letzte Sicherung</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="274"/>
        <source>Files waiting for the unlock</source>
        <translation>Dateien, die auf das Entsperren warten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="277"/>
        <source>Keybox: {0}</source>
        <translation>Schlüsselkasten: {0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="279"/>
        <source>Keybox location</source>
        <translation>Ort des Schlüsselkastens</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="317"/>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="319"/>
        <source>New files are sealed with the selected profile&apos;s primary key</source>
        <translation>Neue Dateien werden mit dem Primärschlüssel des gewählten Profils versiegelt</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="322"/>
        <source>New profile…</source>
        <translation>Neues Profil…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="325"/>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="331"/>
        <source>&lt;b&gt;Profiles&lt;/b&gt;</source>
        <translation>&lt;b&gt;Profile&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="351"/>
        <source>Keys of the selected profile</source>
        <translation>Schlüssel des gewählten Profils</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="383"/>
        <source>&amp;Rotate</source>
        <translation>&amp;Rotieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="384"/>
        <source>Make a new primary key; older keys still open their files</source>
        <translation>Einen neuen Primärschlüssel erzeugen; ältere Schlüssel öffnen ihre Dateien weiterhin</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="386"/>
        <source>&amp;Enable</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="387"/>
        <source>Let this key open files again</source>
        <translation>Diesen Schlüssel wieder Dateien öffnen lassen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="388"/>
        <source>&amp;Disable</source>
        <translation>Dea&amp;ktivieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="389"/>
        <source>Stop this key from sealing and opening</source>
        <translation>Mit diesem Schlüssel nicht mehr versiegeln und öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="391"/>
        <source>Destroy…</source>
        <translation>Vernichten…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="392"/>
        <source>Erase this key (after a waiting period)</source>
        <translation>Diesen Schlüssel löschen (nach einer Wartezeit)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="395"/>
        <source>Cancel destruction</source>
        <translation>Vernichtung abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="396"/>
        <source>Keep this key (it stays disabled)</source>
        <translation>Diesen Schlüssel behalten (er bleibt deaktiviert)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="410"/>
        <source>&lt;b&gt;Keys&lt;/b&gt;</source>
        <translation>&lt;b&gt;Schlüssel&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="426"/>
        <source>&lt;b&gt;Activity&lt;/b&gt;</source>
        <translation>&lt;b&gt;Aktivität&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="437"/>
        <location filename="../gui/main_window.py" line="479"/>
        <source>&amp;Lock</source>
        <translation>&amp;Sperren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="439"/>
        <source>Lock the vault</source>
        <translation>Tresor sperren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="440"/>
        <source>Lock now: keys leave memory (Ctrl+L)</source>
        <translation>Jetzt sperren: die Schlüssel verlassen den Speicher (Strg+L)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="457"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="458"/>
        <source>&amp;Seal files…</source>
        <translation>Dateien &amp;versiegeln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="461"/>
        <source>&amp;Open files…</source>
        <translation>Dateien ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="464"/>
        <source>&amp;Rewrap sealed files to the current key…</source>
        <translation>Versiegelte Dateien auf den aktuellen Schlüssel &amp;umschlüsseln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="466"/>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="468"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="477"/>
        <source>&amp;Vault</source>
        <translation>&amp;Tresor</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="483"/>
        <source>&amp;Key slots…</source>
        <translation>Schlüssel&amp;fächer…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="486"/>
        <source>&amp;Audit log…</source>
        <translation>&amp;Prüfprotokoll…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="491"/>
        <source>&amp;Back up keybox…</source>
        <translation>Schlüsselkasten si&amp;chern…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="494"/>
        <source>&amp;Restore keybox…</source>
        <translation>Schlüsselkasten &amp;wiederherstellen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="497"/>
        <source>&amp;Check keybox</source>
        <translation>Schlüsselkasten p&amp;rüfen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="503"/>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="504"/>
        <source>&amp;New profile…</source>
        <translation>&amp;Neues Profil…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="506"/>
        <source>&amp;Rename profile…</source>
        <translation>Profil &amp;umbenennen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="508"/>
        <source>Rotation &amp;period…</source>
        <translation>&amp;Rotationszeitraum…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="511"/>
        <source>&amp;Delete profile…</source>
        <translation>Profil &amp;löschen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="519"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="520"/>
        <source>&amp;About vaultapp</source>
        <translation>Ü&amp;ber vaultapp</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="656"/>
        <source>Tried:
{0}</source>
        <translation>Versucht:
{0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="704"/>
        <source>Locked. Keys were removed from memory.</source>
        <translation>Gesperrt. Die Schlüssel wurden aus dem Speicher entfernt.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="733"/>
        <source>Unlocked ({0})</source>
        <translation>Entsperrt ({0})</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="735"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="772"/>
        <source>Team keybox: back it up with pg_dump</source>
        <translation>Team-Schlüsselkasten: mit pg_dump sichern</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="775"/>
        <source>Last backup: never — back up the keybox to a safe place</source>
        <translation>Letzte Sicherung: nie – sichern Sie den Schlüsselkasten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="779"/>
        <source>Last backup: {0:%Y-%m-%d} ({1} days ago)</source>
        <translation>Letzte Sicherung: {0:%d.%m.%Y} (vor {1} Tagen)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="801"/>
        <source>Create a profile to start sealing.</source>
        <translation>Legen Sie ein Profil an, um mit dem Versiegeln zu beginnen.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="803"/>
        <source>⚠ {0} cannot seal: its primary key is not enabled. Enable or rotate it.</source>
        <translation>⚠ {0} kann nicht versiegeln: sein Primärschlüssel ist nicht aktiviert. Aktivieren oder rotieren Sie ihn.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="806"/>
        <source>{0} seals with key {1} (version {2}).</source>
        <translation>{0} versiegelt mit Schlüssel {1} (Version {2}).</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="839"/>
        <source>Rotated {0}: new primary key</source>
        <translation>{0} rotiert: neuer Primärschlüssel</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="845"/>
        <source>Key {0} enabled</source>
        <translation>Schlüssel {0} aktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="851"/>
        <source>Key {0} disabled</source>
        <translation>Schlüssel {0} deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="861"/>
        <source>Key {0} destroyed</source>
        <translation>Schlüssel {0} vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="863"/>
        <source>Key {0} will be destroyed in {1} days</source>
        <translation>Schlüssel {0} wird in {1} Tagen vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="870"/>
        <source>Destruction of {0} cancelled; the key is disabled</source>
        <translation>Vernichtung von {0} abgebrochen; der Schlüssel ist deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="989"/>
        <source>Sealed and age files (*.vault *.age);;All files (*)</source>
        <translation>Versiegelte und age-Dateien (*.vault *.age);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1093"/>
        <source>S&amp;hare with people…</source>
        <translation>Mit Personen &amp;teilen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1098"/>
        <source>P&amp;eople</source>
        <translation>P&amp;ersonen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1100"/>
        <source>&amp;People…</source>
        <translation>&amp;Personen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1103"/>
        <source>&amp;My recipient…</source>
        <translation>&amp;Mein Empfänger…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1127"/>
        <source>Share files with people</source>
        <translation>Dateien mit Personen teilen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1146"/>
        <source>Share with people</source>
        <translation>Mit Personen teilen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1147"/>
        <source>There is nobody to share with yet. Add the people you share with as contacts, from the recipient they give you.</source>
        <translation>Es gibt noch niemanden zum Teilen. Fügen Sie die Personen, mit denen Sie teilen, als Kontakte hinzu, mit dem Empfänger, den sie Ihnen geben.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="324"/>
        <location filename="../gui/main_window.py" line="875"/>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="878"/>
        <source>Profile {0} created</source>
        <translation>Profil {0} angelegt</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="327"/>
        <location filename="../gui/main_window.py" line="884"/>
        <source>Rename profile</source>
        <translation>Profil umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="887"/>
        <source>Profile renamed to {0}</source>
        <translation>Profil umbenannt in {0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="955"/>
        <source>Waiting for unlock: 1 file</source>
        <translation>Wartet auf Entsperren: 1 Datei</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="957"/>
        <source>Waiting for unlock: {0} files</source>
        <translation>Wartet auf Entsperren: {0} Dateien</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="961"/>
        <source>The files will be sealed or opened once the keybox is unlocked.</source>
        <translation>Die Dateien werden versiegelt oder geöffnet, sobald der Schlüsselkasten entsperrt ist.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="982"/>
        <source>Seal files</source>
        <translation>Dateien versiegeln</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="988"/>
        <source>Open sealed files</source>
        <translation>Versiegelte Dateien öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="995"/>
        <source>Rewrap sealed files</source>
        <translation>Versiegelte Dateien umschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="995"/>
        <source>Sealed files (*.vault)</source>
        <translation>Versiegelte Dateien (*.vault)</translation>
    </message>
</context>
<context>
    <name>Maintenance</name>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="325"/>
        <source>Backing up the keybox…</source>
        <translation>Schlüsselkasten wird gesichert…</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="329"/>
        <source>Backup written to {0}; it is protected by the same key slots</source>
        <translation>Sicherung in {0} geschrieben; sie ist durch dieselben Schlüsselfächer geschützt</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="346"/>
        <location filename="../gui/maintenance_dialog.py" line="424"/>
        <source>Restore the keybox</source>
        <translation>Schlüsselkasten wiederherstellen</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="347"/>
        <source>Files are being sealed or opened. Wait for them to finish (or cancel them), then restore.</source>
        <translation>Es werden gerade Dateien versiegelt oder geöffnet. Warten Sie, bis sie fertig sind (oder brechen Sie sie ab), und stellen Sie dann wieder her.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="361"/>
        <source>Nothing restored</source>
        <translation>Nichts wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="382"/>
        <source>The keybox was restored from {0}. The replaced keybox was kept as {1}.</source>
        <translation>Der Schlüsselkasten wurde aus {0} wiederhergestellt. Der ersetzte Schlüsselkasten wurde als {1} aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="385"/>
        <source>The keybox was restored from {0}.</source>
        <translation>Der Schlüsselkasten wurde aus {0} wiederhergestellt.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="388"/>
        <source>Keybox restored</source>
        <translation>Schlüsselkasten wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="398"/>
        <source>{0} It does not open: {1}</source>
        <translation>{0} Er lässt sich nicht öffnen: {1}</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="402"/>
        <source>{0} Unlock the restored keybox with one of its key slots.</source>
        <translation>{0} Entsperren Sie den wiederhergestellten Schlüsselkasten mit einem seiner Schlüsselfächer.</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="422"/>
        <source>The keybox was not restored: {0}</source>
        <translation>Der Schlüsselkasten wurde nicht wiederhergestellt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/maintenance_dialog.py" line="430"/>
        <source>Checking the keybox…</source>
        <translation>Schlüsselkasten wird geprüft…</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../gui/indirect_words.py" line="30"/>
        <location filename="../gui/slots_dialog.py" line="212"/>
        <source>New passphrase</source>
        <translation>Neue Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="31"/>
        <location filename="../gui/slots_dialog.py" line="214"/>
        <source>Repeat the passphrase</source>
        <translation>Passphrase wiederholen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="207"/>
        <source>Add a recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="213"/>
        <source>Four unrelated words are strong enough</source>
        <translation>Vier zufällige Wörter sind stark genug</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="223"/>
        <source>Slot label</source>
        <translation>Bezeichnung des Fachs</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="225"/>
        <source>A name for this slot, for example where the passphrase is written down</source>
        <translation>Ein Name für dieses Fach, zum Beispiel, wo die Passphrase aufgeschrieben ist</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="226"/>
        <source>chosen for you when empty</source>
        <translation>leer: wird automatisch gewählt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="230"/>
        <source>Add passphrase</source>
        <translation>Passphrase hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="234"/>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="235"/>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="238"/>
        <source>&amp;Label:</source>
        <translation>&amp;Bezeichnung:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="255"/>
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <location filename="../gui/people_dialog.py" line="77"/>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="81"/>
        <location filename="../gui/people_dialog.py" line="101"/>
        <source>My recipient</source>
        <translation>Mein Empfänger</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="85"/>
        <source>QR code of my recipient</source>
        <translation>QR-Code meines Empfängers</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="87"/>
        <source>Another person scans it with their phone, or saves it as an image, to add you</source>
        <translation>Eine andere Person scannt ihn mit dem Telefon oder speichert ihn als Bild, um Sie hinzuzufügen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="103"/>
        <source>Give this text to the people who share files with you; it is public</source>
        <translation>Geben Sie diesen Text den Personen, die Dateien mit Ihnen teilen; er ist öffentlich</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="104"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="106"/>
        <source>Copy my recipient to the clipboard</source>
        <translation>Meinen Empfänger in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="111"/>
        <source>&amp;Save QR code image…</source>
        <translation>QR-Code-Bild &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="113"/>
        <source>Save the QR code as an image</source>
        <translation>Den QR-Code als Bild speichern</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="115"/>
        <source>A PNG image to send to someone who adds you from it</source>
        <translation>Ein PNG-Bild für jemanden, der Sie damit hinzufügt</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="132"/>
        <source>You have no identity yet. Make one, then give its recipient to the people who share files with you: only your keybox can open what they encrypt to it. New identities are post-quantum (hybrid ML-KEM-768 and X25519); the other person needs age 1.3 or newer, rage or typage.</source>
        <translation>Sie haben noch keine Identität. Erstellen Sie eine und geben Sie ihren Empfänger den Personen, die Dateien mit Ihnen teilen: Nur Ihr Schlüsselkasten kann öffnen, was sie dafür verschlüsseln. Neue Identitäten sind Post-Quanten (hybrid ML-KEM-768 und X25519); die andere Person braucht age 1.3 oder neuer, rage oder typage.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="137"/>
        <source>Make a c&amp;lassic X25519 identity instead</source>
        <translation>Stattdessen eine k&amp;lassische X25519-Identität erstellen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="140"/>
        <source>Only for people whose age is older than 1.3: files shared with a classic identity are not safe from a future quantum computer</source>
        <translation>Nur für Personen mit einem age älter als 1.3: Dateien, die mit einer klassischen Identität geteilt werden, sind nicht vor einem künftigen Quantencomputer sicher</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="143"/>
        <source>Only for people whose age is older than 1.3, which cannot encrypt to a post-quantum recipient. Files shared with a classic identity are not safe from a future quantum computer.</source>
        <translation>Nur für Personen mit einem age älter als 1.3, das nicht für einen Post-Quanten-Empfänger verschlüsseln kann. Dateien, die mit einer klassischen Identität geteilt werden, sind nicht vor einem künftigen Quantencomputer sicher.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="148"/>
        <source>&amp;Make my identity</source>
        <translation>Meine Identität &amp;erstellen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="150"/>
        <source>Make my identity</source>
        <translation>Meine Identität erstellen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="163"/>
        <location filename="../gui/people_dialog.py" line="166"/>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="168"/>
        <source>Each contact&apos;s name, kind and recipient; classic ones are not post-quantum</source>
        <translation>Name, Art und Empfänger jedes Kontakts; klassische sind nicht Post-Quanten</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="169"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="169"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="170"/>
        <source>Recipient</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="178"/>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="180"/>
        <source>Add a contact</source>
        <translation>Einen Kontakt hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="182"/>
        <source>Re&amp;name…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="184"/>
        <source>Rename the selected contact</source>
        <translation>Den gewählten Kontakt umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="186"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="188"/>
        <source>Remove the selected contact</source>
        <translation>Den gewählten Kontakt entfernen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="200"/>
        <source>People status</source>
        <translation>Status der Personen</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="251"/>
        <source>“{0}”, post-quantum (hybrid). The other person needs age 1.3 or newer, rage or typage.</source>
        <translation>„{0}“, Post-Quanten (hybrid). Die andere Person braucht age 1.3 oder neuer, rage oder typage.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="255"/>
        <source>“{0}”, classic X25519 — not post-quantum.</source>
        <translation>„{0}“, klassisch X25519 – nicht Post-Quanten.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="263"/>
        <source>Drawing the QR code…</source>
        <translation>Der QR-Code wird gezeichnet…</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="331"/>
        <source>Your recipient is on the clipboard.</source>
        <translation>Ihr Empfänger ist in der Zwischenablage.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="336"/>
        <source>Save the QR code of my recipient</source>
        <translation>Den QR-Code meines Empfängers speichern</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="337"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="350"/>
        <source>Saved the QR code of your recipient to {0}.</source>
        <translation>Der QR-Code Ihres Empfängers wurde in {0} gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="366"/>
        <source>Made your classic identity “{0}”.</source>
        <translation>Ihre klassische Identität „{0}“ wurde erstellt.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="367"/>
        <source>Made your post-quantum identity “{0}”.</source>
        <translation>Ihre Post-Quanten-Identität „{0}“ wurde erstellt.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="382"/>
        <source>Added {0}.</source>
        <translation>{0} hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="384"/>
        <source>Added {0} (classic — not post-quantum).</source>
        <translation>{0} hinzugefügt (klassisch – nicht Post-Quanten).</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="396"/>
        <source>Renamed {0} to {1}.</source>
        <translation>{0} in {1} umbenannt.</translation>
    </message>
    <message>
        <location filename="../gui/people_dialog.py" line="404"/>
        <source>Removed {0}.</source>
        <translation>{0} entfernt.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../gui/security_key.py" line="92"/>
        <source>TPM PIN</source>
        <translation>TPM-PIN</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="93"/>
        <source>Type the PIN of this computer&apos;s TPM key slot.</source>
        <translation>Geben Sie die PIN des TPM-Schlüsselfachs dieses Computers ein.</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="95"/>
        <source>Security key PIN</source>
        <translation>PIN des Sicherheitsschlüssels</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="96"/>
        <source>Type the PIN of your security key.</source>
        <translation>Geben Sie die PIN Ihres Sicherheitsschlüssels ein.</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="104"/>
        <source>About this PIN</source>
        <translation>Zu dieser PIN</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="107"/>
        <source>The PIN given before was wrong.</source>
        <translation>Die zuvor eingegebene PIN war falsch.</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="109"/>
        <source>Tries left before the PIN is blocked: {0}</source>
        <translation>Versuche, bevor die PIN gesperrt wird: {0}</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="115"/>
        <source>The PIN</source>
        <translation>Die PIN</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="116"/>
        <source>Nothing is sent until you press OK</source>
        <translation>Es wird nichts gesendet, bevor Sie OK drücken</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="121"/>
        <source>Use this PIN</source>
        <translation>Diese PIN verwenden</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="124"/>
        <source>Do not give a PIN</source>
        <translation>Keine PIN angeben</translation>
    </message>
</context>
<context>
    <name>QuitQuestion</name>
    <message>
        <location filename="../gui/main_window.py" line="1177"/>
        <source>Quit vaultapp?</source>
        <translation>vaultapp beenden?</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1179"/>
        <source>A job is still running. Quit and cancel it?</source>
        <translation>Ein Auftrag läuft noch. Beenden und ihn abbrechen?</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1181"/>
        <source>{0} jobs are still running. Quit and cancel them?</source>
        <translation>{0} Aufträge laufen noch. Beenden und sie abbrechen?</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1183"/>
        <source>Files already done are kept; a file not finished is left as it was, with no partial output.</source>
        <translation>Fertige Dateien bleiben erhalten; eine nicht fertige Datei bleibt, wie sie war, ohne halbe Ausgabe.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1186"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1189"/>
        <source>Keep running</source>
        <translation>Weiterlaufen lassen</translation>
    </message>
</context>
<context>
    <name>RecoveryCodeDialog</name>
    <message>
        <location filename="../gui/recovery_sheet.py" line="151"/>
        <source>New recovery code</source>
        <translation>Neuer Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="153"/>
        <source>Write this code down or save the recovery sheet now: it is shown once and never again. It unlocks the keybox wherever a passphrase is asked for.</source>
        <translation>Schreiben Sie diesen Code jetzt auf oder speichern Sie das Wiederherstellungsblatt: Er wird nur dieses eine Mal angezeigt. Er entsperrt den Schlüsselkasten überall, wo nach einer Passphrase gefragt wird.</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="164"/>
        <source>The recovery code</source>
        <translation>Der Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="168"/>
        <source>The recovery code as a QR code</source>
        <translation>Der Wiederherstellungscode als QR-Code</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="175"/>
        <source>Keybox {0} · made on {1:%Y-%m-%d}</source>
        <translation>Schlüsselkasten {0} · erstellt am {1:%d.%m.%Y}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="184"/>
        <source>Recovery sheet status</source>
        <translation>Status des Wiederherstellungsblatts</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="185"/>
        <source>&amp;Save recovery sheet (PDF)…</source>
        <translation>Wiederherstellungsblatt &amp;speichern (PDF)…</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="187"/>
        <source>Save the recovery sheet as a PDF file</source>
        <translation>Das Wiederherstellungsblatt als PDF-Datei speichern</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="189"/>
        <source>A page to print with the keybox id, the date and the code as text and QR code</source>
        <translation>Eine Seite zum Ausdrucken mit der ID des Schlüsselkastens, dem Datum und dem Code als Text und QR-Code</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="192"/>
        <source>&amp;Done</source>
        <translation>&amp;Fertig</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="195"/>
        <source>Close: the code is not shown again</source>
        <translation>Schließen: Der Code wird nicht wieder angezeigt</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="212"/>
        <source>Save the recovery sheet</source>
        <translation>Wiederherstellungsblatt speichern</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="213"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="234"/>
        <source>Saved the recovery sheet to {0}. Print it, then delete the file.</source>
        <translation>Das Wiederherstellungsblatt wurde unter {0} gespeichert. Drucken Sie es aus und löschen Sie dann die Datei.</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="239"/>
        <source>The recovery sheet was not saved: {0}</source>
        <translation>Das Wiederherstellungsblatt wurde nicht gespeichert: {0}</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="247"/>
        <source>Close without the sheet?</source>
        <translation>Ohne das Blatt schließen?</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="248"/>
        <source>You will not see this recovery code again. Close only if you have written it down.</source>
        <translation>Sie sehen diesen Wiederherstellungscode nicht wieder. Schließen Sie nur, wenn Sie ihn aufgeschrieben haben.</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="252"/>
        <source>I wrote it down</source>
        <translation>Ich habe ihn aufgeschrieben</translation>
    </message>
    <message>
        <location filename="../gui/recovery_sheet.py" line="254"/>
        <source>Back to the code</source>
        <translation>Zurück zum Code</translation>
    </message>
</context>
<context>
    <name>RotationDialog</name>
    <message>
        <location filename="../gui/profile_dialog.py" line="203"/>
        <source>Rotation period of {0}</source>
        <translation>Rotationszeitraum von {0}</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="205"/>
        <source>When the primary key is older than the period, the keybox rotates it the next time it is unlocked: a new primary key seals from then on, and older keys still open their files.</source>
        <translation>Ist der Primärschlüssel älter als der Zeitraum, rotiert der Schlüsselkasten ihn beim nächsten Entsperren: Ab dann versiegelt ein neuer Primärschlüssel, und ältere Schlüssel öffnen ihre Dateien weiterhin.</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="209"/>
        <source>&amp;Rotate the primary key automatically</source>
        <translation>Primärschlüssel automatisch &amp;rotieren</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="211"/>
        <source>Rotate the primary key automatically</source>
        <translation>Primärschlüssel automatisch rotieren</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="215"/>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="216"/>
        <source>Rotation period in days</source>
        <translation>Rotationszeitraum in Tagen</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="223"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="225"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="231"/>
        <source>&amp;Every:</source>
        <translation>&amp;Alle:</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="183"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="186"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="187"/>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="189"/>
        <source>Lock after idle minutes</source>
        <translation>Sperren nach Minuten ohne Benutzung</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="190"/>
        <location filename="../gui/dialogs.py" line="192"/>
        <source>Lock when the screen locks or the computer sleeps</source>
        <translation>Sperren, wenn der Bildschirm gesperrt wird oder der Rechner in den Ruhezustand geht</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="194"/>
        <location filename="../gui/dialogs.py" line="197"/>
        <source>Unlock with the system keyring after a lock</source>
        <translation>Nach einer Sperre mit dem Schlüsselbund des Systems entsperren</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="200"/>
        <source>Off: after a lock the vault asks for your passphrase, so a lock protects it from anyone at this unlocked account. On: the keyring unlocks it again without a passphrase, which is convenient but means a lock only hides the window.</source>
        <translation>Aus: Nach einer Sperre fragt der Tresor nach Ihrer Passphrase; so schützt eine Sperre ihn vor jedem an diesem angemeldeten Benutzerkonto. An: Der Schlüsselbund entsperrt ihn ohne Passphrase wieder; das ist bequem, doch dann verbirgt eine Sperre nur das Fenster.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="208"/>
        <source>Language of the window</source>
        <translation>Sprache des Fensters</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="210"/>
        <source>As the system ({0})</source>
        <translation>Wie das System ({0})</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="215"/>
        <source>A new language applies when vaultapp starts again.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von vaultapp.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="219"/>
        <source>Remove originals after sealing</source>
        <translation>Originale nach dem Versiegeln entfernen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="222"/>
        <source>An original is removed only after its sealed file was re-opened and verified. Removing is not secure erasure: on SSDs and journaling file systems the old data may remain readable on the disk.</source>
        <translation>Ein Original wird erst entfernt, nachdem seine versiegelte Datei erneut geöffnet und geprüft wurde. Entfernen ist kein sicheres Löschen: Auf SSDs und Dateisystemen mit Journal können die alten Daten auf dem Datenträger lesbar bleiben.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="226"/>
        <source>Beside each original</source>
        <translation>Neben dem jeweiligen Original</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="227"/>
        <source>Into this folder:</source>
        <translation>In diesen Ordner:</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="229"/>
        <location filename="../gui/dialogs.py" line="262"/>
        <source>Output folder</source>
        <translation>Zielordner</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="230"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="241"/>
        <source>Lock after idle:</source>
        <translation>Sperren nach Leerlauf:</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="247"/>
        <source>Sealed and opened files go:</source>
        <translation>Versiegelte und geöffnete Dateien:</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="248"/>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <location filename="../gui/pages.py" line="156"/>
        <source>&lt;h2&gt;Set up your vault&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Tresor einrichten&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="158"/>
        <source>vaultapp keeps your keys in an encrypted &lt;b&gt;keybox&lt;/b&gt; at&lt;br&gt;&lt;code&gt;{0}&lt;/code&gt;. Its root key goes into your system keyring, so the vault opens without a password on this account. A recovery passphrase opens it anywhere else.</source>
        <translation>vaultapp bewahrt Ihre Schlüssel in einem verschlüsselten &lt;b&gt;Schlüsselkasten&lt;/b&gt; unter&lt;br&gt;&lt;code&gt;{0}&lt;/code&gt; auf. Sein Stammschlüssel kommt in den Schlüsselbund Ihres Systems, sodass sich der Tresor in diesem Benutzerkonto ohne Passwort öffnet. Überall sonst öffnet ihn eine Wiederherstellungs-Passphrase.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="163"/>
        <location filename="../gui/pages.py" line="166"/>
        <source>Keep the root key in the system keyring</source>
        <translation>Stammschlüssel im Schlüsselbund des Systems aufbewahren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="170"/>
        <source>Recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="172"/>
        <source>Opens the keybox on any machine, and after a lock. It must be strong enough; four unrelated words are.</source>
        <translation>Öffnet den Schlüsselkasten auf jedem Rechner und nach einer Sperre. Sie muss stark genug sein; vier zufällige Wörter sind es.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="174"/>
        <source>for example four unrelated words</source>
        <translation>z. B. vier zufällige Wörter</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="178"/>
        <source>Repeat the recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase wiederholen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="180"/>
        <source>Personal</source>
        <translation>Persönlich</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="182"/>
        <source>First profile name</source>
        <translation>Name des ersten Profils</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="185"/>
        <source>Recovery &amp;passphrase:</source>
        <translation>Wiederherstellungs-&amp;Passphrase:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="186"/>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="188"/>
        <source>First &amp;profile:</source>
        <translation>Erstes P&amp;rofil:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="192"/>
        <source>⚠ &lt;b&gt;If every way in is lost — the keyring entry and the passphrase — your sealed files cannot be recovered by anyone.&lt;/b&gt; Write the passphrase down and keep it somewhere safe.</source>
        <translation>⚠ &lt;b&gt;Gehen alle Zugänge verloren – der Eintrag im Schlüsselbund und die Passphrase –, kann niemand Ihre versiegelten Dateien wiederherstellen.&lt;/b&gt; Schreiben Sie die Passphrase auf und bewahren Sie sie an einem sicheren Ort auf.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="203"/>
        <location filename="../gui/pages.py" line="206"/>
        <source>Create keybox</source>
        <translation>Schlüsselkasten anlegen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="234"/>
        <source>No secure system keyring is available here</source>
        <translation>Kein sicherer Schlüsselbund des Systems verfügbar</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="247"/>
        <source>Without the system keyring a recovery passphrase is required.</source>
        <translation>Ohne den Schlüsselbund des Systems ist eine Wiederherstellungs-Passphrase nötig.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="249"/>
        <source>Choose a stronger passphrase.</source>
        <translation>Wählen Sie eine stärkere Passphrase.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="251"/>
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="253"/>
        <source>Name the first profile.</source>
        <translation>Geben Sie dem ersten Profil einen Namen.</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../gui/share_dialog.py" line="57"/>
        <source>Share with people</source>
        <translation>Mit Personen teilen</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="64"/>
        <source>Encrypt “{0}” as an age file that only the people you tick can open, with vaultapp, age, rage or typage.</source>
        <translation>„{0}“ als age-Datei verschlüsseln, die nur die angekreuzten Personen öffnen können, mit vaultapp, age, rage oder typage.</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="67"/>
        <source>Encrypt {0} files ({1}) as age files that only the people you tick can open, with vaultapp, age, rage or typage.</source>
        <translation>{0} Dateien ({1}) als age-Dateien verschlüsseln, die nur die angekreuzten Personen öffnen können, mit vaultapp, age, rage oder typage.</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="76"/>
        <source>Contacts to share with</source>
        <translation>Kontakte zum Teilen</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="78"/>
        <source>Tick each person who may open the files; Space ticks the current one</source>
        <translation>Kreuzen Sie jede Person an, die die Dateien öffnen darf; die Leertaste kreuzt die aktuelle an</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="80"/>
        <source>{0} — {1}</source>
        <translation>{0} – {1}</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="93"/>
        <source>You have no contacts yet: add the people you share with in People (People menu).</source>
        <translation>Sie haben noch keine Kontakte: Fügen Sie die Personen, mit denen Sie teilen, unter Personen hinzu (Menü Personen).</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="100"/>
        <source>Also &amp;me (“{0}”), so that I can open the files too</source>
        <translation>Auch &amp;ich („{0}“), damit ich die Dateien ebenfalls öffnen kann</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="103"/>
        <source>Also &amp;me</source>
        <translation>Auch &amp;ich</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="105"/>
        <source>You have no identity yet: make it in People, My recipient.</source>
        <translation>Sie haben noch keine Identität: Erstellen Sie sie unter Personen, Mein Empfänger.</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="107"/>
        <source>Also encrypt for me</source>
        <translation>Auch für mich verschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="108"/>
        <source>ASCII &amp;armor (text that survives email and chat)</source>
        <translation>ASCII-&amp;Armor (Text, der E-Mail und Chat übersteht)</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="111"/>
        <source>Writes the age file as text, about a third larger; every age program reads both</source>
        <translation>Schreibt die age-Datei als Text, etwa ein Drittel größer; jedes age-Programm liest beides</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="114"/>
        <source>Why the files cannot be shared yet</source>
        <translation>Warum die Dateien noch nicht geteilt werden können</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="120"/>
        <source>Share</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="122"/>
        <source>Share the files</source>
        <translation>Die Dateien teilen</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="157"/>
        <source>Tick at least one person to share with.</source>
        <translation>Kreuzen Sie mindestens eine Person zum Teilen an.</translation>
    </message>
    <message>
        <location filename="../gui/share_dialog.py" line="160"/>
        <source>Post-quantum and classic recipients cannot share a file: the file would not be safe from a quantum computer. Share with the classic ones ({0}) separately, or ask them for a post-quantum recipient.</source>
        <translation>Post-Quanten- und klassische Empfänger können keine Datei gemeinsam haben: Die Datei wäre nicht vor einem Quantencomputer sicher. Teilen Sie mit den klassischen ({0}) getrennt, oder bitten Sie sie um einen Post-Quanten-Empfänger.</translation>
    </message>
</context>
<context>
    <name>Skipped</name>
    <message>
        <location filename="../gui/main_window.py" line="1224"/>
        <source>Not found: it does not exist</source>
        <translation>Nicht gefunden: existiert nicht</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1225"/>
        <source>Not done: it cannot be read</source>
        <translation>Nicht erledigt: nicht lesbar</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1226"/>
        <source>Nothing to do: the folder has no files</source>
        <translation>Nichts zu tun: Der Ordner enthält keine Dateien</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1227"/>
        <source>Not done: the folder cannot be read (permission denied)</source>
        <translation>Nicht erledigt: Der Ordner ist nicht lesbar (keine Berechtigung)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1229"/>
        <source>Not done: a link to a folder; links are not followed (drop the folder itself)</source>
        <translation>Nicht erledigt: eine Verknüpfung auf einen Ordner; Verknüpfungen wird nicht gefolgt (legen Sie den Ordner selbst ab)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1231"/>
        <source>Not done: a link to nothing</source>
        <translation>Nicht erledigt: eine Verknüpfung ins Leere</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1232"/>
        <source>Not done: a link to something that is not a file</source>
        <translation>Nicht erledigt: eine Verknüpfung auf etwas, das keine Datei ist</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1234"/>
        <source>Not done: not a regular file (a FIFO, socket or device)</source>
        <translation>Nicht erledigt: keine gewöhnliche Datei (ein FIFO, Socket oder Gerät)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="1236"/>
        <source>Not done</source>
        <translation>Nicht erledigt</translation>
    </message>
</context>
<context>
    <name>SlotLabelDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="394"/>
        <source>Rename key slot</source>
        <translation>Schlüsselfach umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="397"/>
        <source>Slot label</source>
        <translation>Bezeichnung des Fachs</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="406"/>
        <source>&amp;Label:</source>
        <translation>&amp;Bezeichnung:</translation>
    </message>
</context>
<context>
    <name>SlotReasons</name>
    <message>
        <location filename="../gui/slot_reasons.py" line="95"/>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>SlotTestDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="293"/>
        <source>Test the recovery code</source>
        <translation>Wiederherstellungscode testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="294"/>
        <source>Test a key slot</source>
        <translation>Schlüsselfach testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="296"/>
        <source>Type the recovery code of the slot “{0}” as it is on the sheet, with or without the dashes. It is only checked; nothing changes.</source>
        <translation>Geben Sie den Wiederherstellungscode des Schlüsselfachs „{0}“ so ein, wie er auf dem Blatt steht, mit oder ohne Bindestriche. Er wird nur geprüft; nichts wird geändert.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="299"/>
        <source>Type the passphrase of the slot “{0}” as you wrote it down. It is only checked; nothing changes.</source>
        <translation>Geben Sie die Passphrase des Fachs „{0}“ so ein, wie Sie sie aufgeschrieben haben. Sie wird nur geprüft; nichts wird geändert.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="306"/>
        <source>Recovery code to test</source>
        <translation>Zu testender Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="307"/>
        <source>Passphrase to test</source>
        <translation>Zu testende Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="309"/>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="311"/>
        <source>Test this recovery code</source>
        <translation>Diesen Wiederherstellungscode testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="312"/>
        <source>Test this passphrase</source>
        <translation>Diese Passphrase testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="317"/>
        <source>Test result</source>
        <translation>Testergebnis</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="346"/>
        <source>Type the recovery code to test first.</source>
        <translation>Geben Sie zuerst den zu testenden Wiederherstellungscode ein.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="347"/>
        <source>Type the passphrase to test first.</source>
        <translation>Geben Sie zuerst die zu testende Passphrase ein.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="356"/>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="373"/>
        <source>This recovery code opens the keybox.</source>
        <translation>Dieser Wiederherstellungscode öffnet den Schlüsselkasten.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="374"/>
        <source>This passphrase opens the keybox.</source>
        <translation>Diese Passphrase öffnet den Schlüsselkasten.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="379"/>
        <source>This recovery code does not open the keybox: {0}</source>
        <translation>Dieser Wiederherstellungscode öffnet den Schlüsselkasten nicht: {0}</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="381"/>
        <source>This passphrase does not open the keybox: {0}</source>
        <translation>Diese Passphrase öffnet den Schlüsselkasten nicht: {0}</translation>
    </message>
</context>
<context>
    <name>SlotsDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="552"/>
        <location filename="../gui/slots_dialog.py" line="561"/>
        <source>Key slots</source>
        <translation>Schlüsselfächer</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="572"/>
        <source>Slot</source>
        <translation>Fach</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="567"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="563"/>
        <source>Each slot&apos;s label, kind, whether it survives losing this machine, and whether it unlocks after a lock</source>
        <translation>Bezeichnung und Art jedes Fachs, ob es den Verlust dieses Rechners übersteht und ob es nach einer Sperre entsperrt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="566"/>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="568"/>
        <source>Survives losing this machine</source>
        <translation>Übersteht Rechnerverlust</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="569"/>
        <source>Whether this slot still opens the keybox on another machine</source>
        <translation>Ob dieses Fach den Schlüsselkasten auch auf einem anderen Rechner öffnet</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="570"/>
        <source>Unlocks after a lock</source>
        <translation>Entsperrt nach Sperre</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="571"/>
        <source>Whether this slot proves a person after a lock (a typed secret)</source>
        <translation>Ob dieses Fach nach einer Sperre eine Person ausweist (ein eingegebenes Geheimnis)</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="590"/>
        <source>Key slots status</source>
        <translation>Status der Schlüsselfächer</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="601"/>
        <source>Add &amp;passphrase…</source>
        <translation>&amp;Passphrase hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="602"/>
        <source>Add a passphrase slot</source>
        <translation>Passphrase-Fach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="603"/>
        <source>Add recovery &amp;code…</source>
        <translation>Wiederherstellungs&amp;code hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="604"/>
        <source>Add a recovery code slot</source>
        <translation>Ein Schlüsselfach mit Wiederherstellungscode hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="606"/>
        <source>Makes a code to write down or print, shown once, that unlocks the keybox wherever a passphrase is asked for</source>
        <translation>Erstellt einen Code zum Aufschreiben oder Ausdrucken, der nur einmal angezeigt wird und den Schlüsselkasten überall entsperrt, wo nach einer Passphrase gefragt wird</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="608"/>
        <source>Add &amp;security key…</source>
        <translation>Sic&amp;herheitsschlüssel hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="609"/>
        <source>Add a hardware security key slot</source>
        <translation>Ein Schlüsselfach für einen Hardware-Sicherheitsschlüssel hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="612"/>
        <source>Connect only the key to add; it asks for a touch and its PIN</source>
        <translation>Schließen Sie nur den hinzuzufügenden Schlüssel an; er verlangt eine Berührung und seine PIN</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="613"/>
        <source>Add TP&amp;M…</source>
        <translation>TP&amp;M hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="614"/>
        <source>Add a slot sealed to this computer&apos;s TPM</source>
        <translation>Ein an das TPM dieses Computers gebundenes Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="616"/>
        <source>Add AWS &amp;KMS key…</source>
        <translation>AWS-&amp;KMS-Schlüssel hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="617"/>
        <source>Add an AWS KMS key slot</source>
        <translation>AWS-KMS-Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="622"/>
        <source>AWS KMS is not available</source>
        <translation>AWS KMS ist nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="627"/>
        <location filename="../gui/slots_dialog.py" line="729"/>
        <source>&amp;Test…</source>
        <translation>&amp;Testen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="627"/>
        <source>Test the selected slot</source>
        <translation>Gewähltes Fach testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="630"/>
        <source>Checks that the selected slot opens the keybox, for example the passphrase you wrote down</source>
        <translation>Prüft, ob das gewählte Fach den Schlüsselkasten öffnet, zum Beispiel die Passphrase, die Sie aufgeschrieben haben</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="632"/>
        <source>Re&amp;name…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="633"/>
        <source>Rename the selected slot</source>
        <translation>Gewähltes Fach umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="634"/>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="635"/>
        <source>Remove the selected slot</source>
        <translation>Gewähltes Fach entfernen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="688"/>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="688"/>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="704"/>
        <source>⚠ No slot survives the loss of this computer: add a recovery code, a passphrase or a security key, or losing this computer locks the keybox for good.</source>
        <translation>⚠ Kein Schlüsselfach übersteht den Verlust dieses Computers: Fügen Sie einen Wiederherstellungscode, eine Passphrase oder einen Sicherheitsschlüssel hinzu, sonst sperrt der Verlust dieses Computers den Schlüsselkasten für immer.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="729"/>
        <source>&amp;Test recovery code…</source>
        <translation>Wiederherstellungscode &amp;testen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="793"/>
        <source>Added the recovery code slot “{0}”</source>
        <translation>Schlüsselfach mit Wiederherstellungscode „{0}“ hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="804"/>
        <source>Adding a security key: connect only the key to add, and touch it when it blinks…</source>
        <translation>Sicherheitsschlüssel wird hinzugefügt: Schließen Sie nur den hinzuzufügenden Schlüssel an und berühren Sie ihn, wenn er blinkt…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="815"/>
        <source>Added the security key slot “{0}”</source>
        <translation>Schlüsselfach für Sicherheitsschlüssel „{0}“ hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="818"/>
        <source>This key has no PIN: whoever holds it and a copy of the keybox can unlock with a touch. Set a PIN on the key, then add it again.</source>
        <translation>Dieser Schlüssel hat keine PIN: Wer ihn und eine Kopie des Schlüsselkastens hat, entsperrt mit einer Berührung. Legen Sie auf dem Schlüssel eine PIN fest und fügen Sie ihn dann erneut hinzu.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="833"/>
        <source>Sealing the root key to this computer&apos;s TPM…</source>
        <translation>Der Stammschlüssel wird an das TPM dieses Computers gebunden…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="842"/>
        <source>Added the TPM slot “{0}”</source>
        <translation>TPM-Schlüsselfach „{0}“ hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="755"/>
        <source>To use AWS KMS, install the optional AWS support: {0}</source>
        <translation>Um AWS KMS zu nutzen, installieren Sie die optionale AWS-Unterstützung: {0}</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="554"/>
        <source>Any one key slot unlocks the keybox. Keep at least one that survives losing this machine (a recovery code or passphrase kept somewhere safe, or a security key), and test it now and then.</source>
        <translation>Jedes einzelne Schlüsselfach entsperrt den Schlüsselkasten. Behalten Sie mindestens eines, das den Verlust dieses Rechners übersteht (einen Wiederherstellungscode oder eine Passphrase an einem sicheren Ort, oder einen Sicherheitsschlüssel), und testen Sie es ab und zu.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="779"/>
        <source>Added the passphrase slot “{0}”</source>
        <translation>Passphrase-Fach „{0}“ hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="865"/>
        <source>Testing “{0}”…</source>
        <translation>„{0}“ wird getestet…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="879"/>
        <source>No PIN was given; nothing was tested.</source>
        <translation>Keine PIN angegeben; nichts wurde getestet.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="893"/>
        <source>The slot “{0}” opens the keybox.</source>
        <translation>Das Fach „{0}“ öffnet den Schlüsselkasten.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="900"/>
        <source>The slot “{0}” does not open the keybox: {1}</source>
        <translation>Das Fach „{0}“ öffnet den Schlüsselkasten nicht: {1}</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="913"/>
        <source>Renamed the slot to “{0}”</source>
        <translation>Fach umbenannt in „{0}“</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="931"/>
        <source>Removed the slot “{0}”</source>
        <translation>Fach „{0}“ entfernt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="852"/>
        <source>Added {0} ({1})</source>
        <translation>{0} hinzugefügt ({1})</translation>
    </message>
</context>
<context>
    <name>StrengthLabel</name>
    <message>
        <location filename="../gui/pages.py" line="69"/>
        <source>Passphrase strength</source>
        <translation>Stärke der Passphrase</translation>
    </message>
</context>
<context>
    <name>TouchDialog</name>
    <message>
        <location filename="../gui/security_key.py" line="54"/>
        <location filename="../gui/security_key.py" line="64"/>
        <source>Security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="56"/>
        <source>Touch your security key…</source>
        <translation>Berühren Sie Ihren Sicherheitsschlüssel…</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="59"/>
        <source>What the security key waits for</source>
        <translation>Worauf der Sicherheitsschlüssel wartet</translation>
    </message>
    <message>
        <location filename="../gui/security_key.py" line="69"/>
        <source>Stop waiting for the security key</source>
        <translation>Nicht länger auf den Sicherheitsschlüssel warten</translation>
    </message>
</context>
<context>
    <name>TpmSlotDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="425"/>
        <source>Add a TPM slot</source>
        <translation>TPM-Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="428"/>
        <source>The root key is sealed to this computer&apos;s TPM: it unlocks here without typing, and nowhere else. It does not survive the loss of this computer. With a PIN it also unlocks after a lock.</source>
        <translation>Der Stammschlüssel wird an das TPM dieses Computers gebunden: Er entsperrt hier ohne Eingabe und nirgends sonst. Den Verlust dieses Computers übersteht er nicht. Mit einer PIN entsperrt er auch nach einer Sperre.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="432"/>
        <source>&amp;Ask for a PIN</source>
        <translation>Nach einer PIN &amp;fragen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="434"/>
        <source>Protect the TPM slot with a PIN</source>
        <translation>Das TPM-Schlüsselfach mit einer PIN schützen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="438"/>
        <source>New TPM PIN</source>
        <translation>Neue TPM-PIN</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="442"/>
        <source>Repeat the TPM PIN</source>
        <translation>Die TPM-PIN wiederholen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="448"/>
        <source>&amp;PIN:</source>
        <translation>Neue &amp;PIN:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="449"/>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="454"/>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="455"/>
        <source>Add the TPM slot</source>
        <translation>Das TPM-Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="475"/>
        <source>A TPM PIN has at least {0} characters.</source>
        <translation>Eine TPM-PIN hat mindestens {0} Zeichen.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="477"/>
        <source>The two PINs differ.</source>
        <translation>Die beiden PINs unterscheiden sich.</translation>
    </message>
</context>
<context>
    <name>TypedConfirmDialog</name>
    <message>
        <location filename="../gui/profile_dialog.py" line="93"/>
        <source>Delete profile {0} and its keys</source>
        <translation>Profil {0} mit seinen Schlüsseln löschen</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="95"/>
        <source>&lt;b&gt;This erases {0} keys that still open files.&lt;/b&gt; Every file sealed under them can never be opened again, by anyone. The audit log knows of {1} files sealed under this profile&apos;s keys.&lt;br&gt;&lt;br&gt;Type the profile&apos;s name to confirm:</source>
        <translation>&lt;b&gt;Damit werden {0} Schlüssel gelöscht, die noch Dateien öffnen.&lt;/b&gt; Keine mit ihnen versiegelte Datei lässt sich dann je wieder öffnen, von niemandem. Laut Prüfprotokoll wurden {1} Dateien mit den Schlüsseln dieses Profils versiegelt.&lt;br&gt;&lt;br&gt;Geben Sie zur Bestätigung den Namen des Profils ein:</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="102"/>
        <source>Type the profile name to confirm</source>
        <translation>Profilnamen zur Bestätigung eingeben</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="107"/>
        <source>Delete and lose {0} keys</source>
        <translation>Löschen und {0} Schlüssel verlieren</translation>
    </message>
    <message>
        <location filename="../gui/profile_dialog.py" line="114"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../gui/pages.py" line="296"/>
        <source>&lt;h2&gt;The vault is locked&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Der Tresor ist gesperrt&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="297"/>
        <source>Keybox: &lt;code&gt;{0}&lt;/code&gt;</source>
        <translation>Schlüsselkasten: &lt;code&gt;{0}&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="303"/>
        <source>Key slots tried</source>
        <translation>Versuchte Schlüsselfächer</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="307"/>
        <source>How to unlock</source>
        <translation>So entsperren Sie</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="316"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="311"/>
        <location filename="../gui/pages.py" line="314"/>
        <source>Passphrase or recovery code</source>
        <translation>Passphrase oder Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="313"/>
        <source>A passphrase of this keybox, or one of its recovery codes</source>
        <translation>Eine Passphrase dieses Schlüsselkastens oder einer seiner Wiederherstellungscodes</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="318"/>
        <source>Unlock with what you typed</source>
        <translation>Mit dem Eingegebenen entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="321"/>
        <location filename="../gui/pages.py" line="373"/>
        <location filename="../gui/pages.py" line="378"/>
        <source>Try the keyring again</source>
        <translation>Schlüsselbund erneut versuchen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="323"/>
        <location filename="../gui/pages.py" line="367"/>
        <source>Unlock with the system keyring</source>
        <translation>Mit dem Schlüsselbund des Systems entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="324"/>
        <source>Use security key</source>
        <translation>Sicherheitsschlüssel verwenden</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="326"/>
        <source>Unlock with a security key</source>
        <translation>Mit einem Sicherheitsschlüssel entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="328"/>
        <source>Asks you to touch the security key, and its PIN when it has one</source>
        <translation>Bittet Sie, den Sicherheitsschlüssel zu berühren, und um seine PIN, wenn er eine hat</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="331"/>
        <source>Use this computer&apos;s TPM</source>
        <translation>TPM dieses Computers verwenden</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="333"/>
        <source>Unlock with this computer&apos;s TPM</source>
        <translation>Mit dem TPM dieses Computers entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="334"/>
        <source>Asks for the PIN of the TPM key slot</source>
        <translation>Fragt nach der PIN des TPM-Schlüsselfachs</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="369"/>
        <source>This keybox has no passphrase slot, so after a lock only the system keyring can unlock it, and anyone at this account can do that. Add a passphrase in Key slots so that unlocking asks for it.</source>
        <translation>Dieser Schlüsselkasten hat kein Passphrase-Fach; nach einer Sperre kann ihn daher nur der Schlüsselbund des Systems entsperren, und das kann jeder an diesem Benutzerkonto. Fügen Sie unter „Schlüsselfächer“ eine Passphrase hinzu, damit das Entsperren nach ihr fragt.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="375"/>
        <source>The vault was locked, so it asks for your passphrase: the system keyring alone does not unlock it again.</source>
        <translation>Der Tresor wurde gesperrt und fragt daher nach Ihrer Passphrase: Der Schlüsselbund des Systems allein entsperrt ihn nicht wieder.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="379"/>
        <source>Type a passphrase of this keybox to unlock it.</source>
        <translation>Geben Sie eine Passphrase dieses Schlüsselkastens ein, um ihn zu entsperren.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="383"/>
        <source>Unlock with your security key or this computer&apos;s TPM, as offered below.</source>
        <translation>Entsperren Sie mit Ihrem Sicherheitsschlüssel oder dem TPM dieses Computers, wie unten angeboten.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="387"/>
        <source>The vault was locked, so it asks you to prove it is you: type a passphrase or a recovery code, or use a way offered below. The system keyring alone does not unlock it again.</source>
        <translation>Der Tresor wurde gesperrt, daher müssen Sie nachweisen, dass Sie es sind: Geben Sie eine Passphrase oder einen Wiederherstellungscode ein, oder nutzen Sie einen unten angebotenen Weg. Der Schlüsselbund des Systems allein entsperrt ihn nicht wieder.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="392"/>
        <source>Type a passphrase or a recovery code of this keybox, or use a way offered below.</source>
        <translation>Geben Sie eine Passphrase oder einen Wiederherstellungscode dieses Schlüsselkastens ein, oder nutzen Sie einen unten angebotenen Weg.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="397"/>
        <source>The vault was locked, so it asks for your passphrase or a recovery code: the system keyring alone does not unlock it again.</source>
        <translation>Der Tresor wurde gesperrt, daher fragt er nach Ihrer Passphrase oder einem Wiederherstellungscode: Der Schlüsselbund des Systems allein entsperrt ihn nicht wieder.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="401"/>
        <source>Type a passphrase or a recovery code of this keybox to unlock it.</source>
        <translation>Geben Sie eine Passphrase oder einen Wiederherstellungscode dieses Schlüsselkastens ein, um ihn zu entsperren.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="444"/>
        <source>Unlocking…</source>
        <translation>Wird entsperrt…</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="456"/>
        <source>Type the passphrase or the recovery code first.</source>
        <translation>Geben Sie zuerst die Passphrase oder den Wiederherstellungscode ein.</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../gui/dialogs.py" line="62"/>
        <source>File already exists</source>
        <translation>Datei existiert bereits</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="63"/>
        <source>“{0}” already exists in {1}.</source>
        <translation>„{0}“ existiert bereits in {1}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="65"/>
        <source>Keep both files, replace the existing one, or skip?</source>
        <translation>Beide Dateien behalten, die vorhandene ersetzen oder überspringen?</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="67"/>
        <location filename="../gui/dialogs.py" line="76"/>
        <source>Keep both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="67"/>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="67"/>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="69"/>
        <source>Files already exist</source>
        <translation>Dateien existieren bereits</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="70"/>
        <source>{0} of the outputs already exist, such as “{1}” in {2}.</source>
        <translation>{0} der Ausgabedateien existieren bereits, zum Beispiel „{1}“ in {2}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="73"/>
        <source>Keep both files each time (the new one gets a number), replace the existing ones, or skip these files? The answer applies to all {0}.</source>
        <translation>Jeweils beide Dateien behalten (die neue bekommt eine Nummer), die vorhandenen ersetzen oder diese Dateien überspringen? Die Antwort gilt für alle {0}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="76"/>
        <source>Replace all</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="76"/>
        <source>Skip all</source>
        <translation>Alle überspringen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="83"/>
        <source>The existing file is overwritten</source>
        <translation>Die vorhandene Datei wird überschrieben</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="160"/>
        <source>Profile name:</source>
        <translation>Profilname:</translation>
    </message>
</context>
<context>
    <name>icons</name>
    <message>
        <location filename="../gui/icons.py" line="16"/>
        <source>vaultapp logo</source>
        <translation>vaultapp-Logo</translation>
    </message>
    <message>
        <location filename="../gui/icons.py" line="17"/>
        <source>Locked vault</source>
        <translation>Gesperrter Tresor</translation>
    </message>
    <message>
        <location filename="../gui/icons.py" line="18"/>
        <source>Drop files here</source>
        <translation>Dateien hier ablegen</translation>
    </message>
    <message>
        <location filename="../gui/icons.py" line="19"/>
        <source>Sealed file</source>
        <translation>Versiegelte Datei</translation>
    </message>
</context>
<context>
    <name>slots</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="59"/>
        <source>System keyring</source>
        <translation>Schlüsselbund des Systems</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="60"/>
        <source>System keyring, wrapped by AWS KMS</source>
        <translation>Schlüsselbund des Systems, mit AWS KMS verschlüsselt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="61"/>
        <source>AWS KMS key</source>
        <translation>AWS-KMS-Schlüssel</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="62"/>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="63"/>
        <source>Recovery code</source>
        <translation>Wiederherstellungscode</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="64"/>
        <source>Security key (FIDO2)</source>
        <translation>Sicherheitsschlüssel (FIDO2)</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="65"/>
        <source>This computer&apos;s TPM</source>
        <translation>TPM dieses Rechners</translation>
    </message>
</context>
<context>
    <name>strength</name>
    <message>
        <location filename="../gui/strength_words.py" line="17"/>
        <source>Add another word or two. Uncommon words are better.</source>
        <translation>Fügen Sie ein oder zwei Wörter hinzu. Ungewöhnliche Wörter sind besser.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="18"/>
        <source>Capitalization doesn&apos;t help very much.</source>
        <translation>Großbuchstaben am Wortanfang helfen kaum.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="19"/>
        <source>Reversed words aren&apos;t much harder to guess.</source>
        <translation>Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="20"/>
        <source>Predictable substitutions like &apos;@&apos; instead of &apos;a&apos; don&apos;t help very much.</source>
        <translation>Vorhersehbare Ersetzungen wie „@“ statt „a“ helfen kaum.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="23"/>
        <source>Use a few words, avoid common phrases.</source>
        <translation>Nehmen Sie einige Wörter und meiden Sie gängige Redewendungen.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="24"/>
        <source>No need for symbols, digits, or uppercase letters.</source>
        <translation>Sonderzeichen, Ziffern oder Großbuchstaben sind nicht nötig.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="25"/>
        <source>Straight rows of keys are easy to guess.</source>
        <translation>Gerade Tastenreihen sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="26"/>
        <source>Short keyboard patterns are easy to guess.</source>
        <translation>Kurze Tastaturmuster sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="27"/>
        <source>This is a top-10 common password.</source>
        <translation>Dies ist eines der 10 häufigsten Passwörter.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="28"/>
        <source>This is similar to a commonly used password.</source>
        <translation>Dies ähnelt einem häufig verwendeten Passwort.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="29"/>
        <source>A word by itself is easy to guess.</source>
        <translation>Ein einzelnes Wort ist leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="30"/>
        <source>All-uppercase is almost as easy to guess as all-lowercase.</source>
        <translation>Nur Großbuchstaben sind fast so leicht zu erraten wie nur Kleinbuchstaben.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="31"/>
        <source>Use a longer keyboard pattern with more turns.</source>
        <translation>Nehmen Sie ein längeres Tastaturmuster mit mehr Richtungswechseln.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="32"/>
        <source>Repeats like &quot;aaa&quot; are easy to guess.</source>
        <translation>Wiederholungen wie „aaa“ sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="33"/>
        <source>Repeats like &quot;abcabcabc&quot; are only slightly harder to guess than &quot;abc&quot;.</source>
        <translation>Wiederholungen wie „abcabcabc“ sind nur wenig schwerer zu erraten als „abc“.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="36"/>
        <source>This is a top-100 common password.</source>
        <translation>Dies ist eines der 100 häufigsten Passwörter.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="37"/>
        <source>This is a very common password.</source>
        <translation>Dies ist ein sehr häufiges Passwort.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="38"/>
        <source>Names and surnames by themselves are easy to guess.</source>
        <translation>Vor- und Nachnamen allein sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="39"/>
        <source>Common names and surnames are easy to guess.</source>
        <translation>Häufige Vor- und Nachnamen sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="40"/>
        <source>Avoid repeated words and characters.</source>
        <translation>Vermeiden Sie wiederholte Wörter und Zeichen.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="41"/>
        <source>Sequences like &quot;abc&quot; or &quot;6543&quot; are easy to guess.</source>
        <translation>Folgen wie „abc“ oder „6543“ sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="42"/>
        <source>Avoid sequences.</source>
        <translation>Vermeiden Sie Folgen.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="43"/>
        <source>Recent years are easy to guess.</source>
        <translation>Jahreszahlen der letzten Jahre sind leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="44"/>
        <source>Dates are often easy to guess.</source>
        <translation>Datumsangaben sind oft leicht zu erraten.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="45"/>
        <source>Avoid recent years.</source>
        <translation>Vermeiden Sie Jahreszahlen der letzten Jahre.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="46"/>
        <source>Avoid years that are associated with you.</source>
        <translation>Vermeiden Sie Jahreszahlen, die mit Ihnen in Verbindung stehen.</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="47"/>
        <source>Avoid dates and years that are associated with you.</source>
        <translation>Vermeiden Sie Daten und Jahreszahlen, die mit Ihnen in Verbindung stehen.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="47"/>
        <location filename="../gui/strength_words.py" line="53"/>
        <source>Strong</source>
        <translation>Stark</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="48"/>
        <location filename="../gui/strength_words.py" line="54"/>
        <source>Good</source>
        <translation>Gut</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="49"/>
        <location filename="../gui/strength_words.py" line="55"/>
        <source>Too weak</source>
        <translation>Zu schwach</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="56"/>
        <source>Type a passphrase.</source>
        <translation>Geben Sie eine Passphrase ein.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="54"/>
        <location filename="../gui/strength_words.py" line="57"/>
        <source>Add another word or two; uncommon words are better.</source>
        <translation>Fügen Sie ein oder zwei Wörter hinzu; ungewöhnliche Wörter sind besser.</translation>
    </message>
</context>
</TS>
