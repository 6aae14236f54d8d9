<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../gui/hints.py" line="19"/>
        <source>Choose Replace or Keep both when asked, or another output folder in Settings.</source>
        <translation>Wählen Sie bei der Rückfrage „Ersetzen“ oder „Beide behalten“ oder in den Einstellungen einen anderen Zielordner.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="21"/>
        <source>Choose another output folder in Settings.</source>
        <translation>Wählen Sie in den Einstellungen einen anderen Zielordner.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="22"/>
        <source>Select the key and press Enable.</source>
        <translation>Wählen Sie den Schlüssel aus und klicken Sie auf „Aktivieren“.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="23"/>
        <source>Select the key and press Cancel destruction, then Enable.</source>
        <translation>Wählen Sie den Schlüssel aus, klicken Sie auf „Vernichtung abbrechen“ und dann auf „Aktivieren“.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="25"/>
        <source>Cancel the destruction first, or wait for it.</source>
        <translation>Brechen Sie zuerst die Vernichtung ab oder warten Sie, bis sie erfolgt ist.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="26"/>
        <source>Its material is erased; files sealed only under it cannot be opened.</source>
        <translation>Sein Schlüsselmaterial ist gelöscht; Dateien, die nur mit ihm versiegelt wurden, lassen sich nicht mehr öffnen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="28"/>
        <source>Press Rotate to give the profile a new primary key.</source>
        <translation>Klicken Sie auf „Rotieren“, um dem Profil einen neuen Primärschlüssel zu geben.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="29"/>
        <source>Create a keybox on the first-run screen.</source>
        <translation>Legen Sie auf der Einrichtungsseite einen Schlüsselkasten an.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="30"/>
        <source>Choose a profile from the list.</source>
        <translation>Wählen Sie ein Profil aus der Liste.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="31"/>
        <source>Create a profile with New profile.</source>
        <translation>Legen Sie mit „Neues Profil“ ein Profil an.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="32"/>
        <source>Select the profile to seal for in the list.</source>
        <translation>Wählen Sie in der Liste das Profil, für das versiegelt werden soll.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="33"/>
        <source>Untick “Keep the root key in the OS keyring” and set a recovery passphrase, or start a keyring such as gnome-keyring.</source>
        <translation>Entfernen Sie das Häkchen bei „Stammschlüssel im Schlüsselbund des Systems aufbewahren“ und legen Sie eine Wiederherstellungs-Passphrase fest, oder starten Sie einen Schlüsselbund-Dienst wie gnome-keyring.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="36"/>
        <source>Restore the keybox from a backup.</source>
        <translation>Stellen Sie den Schlüsselkasten aus einer Sicherung wieder her.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="37"/>
        <source>Try again in a moment.</source>
        <translation>Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="38"/>
        <source>If you did not expect this, restore the keybox from a backup.</source>
        <translation>Wenn Sie damit nicht gerechnet haben, stellen Sie den Schlüsselkasten aus einer Sicherung wieder her.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="39"/>
        <source>Add another passphrase or AWS KMS slot first, or confirm the removal.</source>
        <translation>Fügen Sie zuerst eine weitere Passphrase oder ein AWS-KMS-Fach hinzu oder bestätigen Sie das Entfernen.</translation>
    </message>
    <message>
        <location filename="../gui/hints.py" line="41"/>
        <source>Keep the profile, or confirm that its keys may be lost.</source>
        <translation>Behalten Sie das Profil oder bestätigen Sie, dass seine Schlüssel verloren gehen dürfen.</translation>
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
        <location filename="../gui/activity.py" line="278"/>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <location filename="../gui/activity.py" line="320"/>
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
    <name>ConfirmDestroyDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="83"/>
        <source>Destroy key {0}</source>
        <translation>Schlüssel {0} vernichten</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="86"/>
        <source>&lt;b&gt;Destroying key {0} (version {1} of {2}) erases its material for good.&lt;/b&gt;&lt;br&gt;Files sealed only under this key can never be opened again. The audit log knows of &lt;b&gt;{3}&lt;/b&gt; file(s) sealed under it; rewrap any you still need first.</source>
        <translation>&lt;b&gt;Das Vernichten von Schlüssel {0} (Version {1} von {2}) löscht sein Schlüsselmaterial endgültig.&lt;/b&gt;&lt;br&gt;Dateien, die nur mit diesem Schlüssel versiegelt wurden, lassen sich nie wieder öffnen. Laut Prüfprotokoll wurden &lt;b&gt;{3}&lt;/b&gt; Datei(en) mit ihm versiegelt; schlüsseln Sie alle, die Sie noch brauchen, vorher um.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="91"/>
        <source>Destroy after a waiting period (can be cancelled)</source>
        <translation>Nach einer Wartezeit vernichten (kann abgebrochen werden)</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="92"/>
        <source>Destroy now (cannot be undone)</source>
        <translation>Jetzt vernichten (kann nicht rückgängig gemacht werden)</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="100"/>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="101"/>
        <source>Waiting period in days</source>
        <translation>Wartezeit in Tagen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="104"/>
        <source>Destroy</source>
        <translation>Vernichten</translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../gui/main_window.py" line="58"/>
        <source>Drop zone: drop files to seal or open them</source>
        <translation>Ablagefläche: Dateien hier ablegen, um sie zu versiegeln oder zu öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="62"/>
        <source>&lt;b&gt;Drop files or folders here&lt;/b&gt;</source>
        <translation>&lt;b&gt;Dateien oder Ordner hier ablegen&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="64"/>
        <source>Plain files are sealed with the selected profile; sealed .vault files are opened.</source>
        <translation>Gewöhnliche Dateien werden mit dem gewählten Profil versiegelt, versiegelte .vault-Dateien werden geöffnet.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="68"/>
        <source>Seal files…</source>
        <translation>Dateien versiegeln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="69"/>
        <source>Open files…</source>
        <translation>Dateien öffnen…</translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="211"/>
        <source>Files that failed</source>
        <translation>Fehlgeschlagene Dateien</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="218"/>
        <source>Messages of the files that failed</source>
        <translation>Meldungen zu den fehlgeschlagenen Dateien</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../gui/job.py" line="65"/>
        <source>{0} files</source>
        <translation>{0} Dateien</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="66"/>
        <source>… and {0} more</source>
        <translation>… und {0} weitere</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="68"/>
        <source>Waiting…</source>
        <translation>Wartet…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="128"/>
        <source>Preparing…</source>
        <translation>Wird vorbereitet…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="136"/>
        <source>the output folder {0} does not exist; create it or choose another in Settings</source>
        <translation>der Zielordner {0} existiert nicht; legen Sie ihn an oder wählen Sie in den Einstellungen einen anderen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="143"/>
        <location filename="../gui/job.py" line="213"/>
        <location filename="../gui/job.py" line="270"/>
        <source>Cancelled; nothing was written</source>
        <translation>Abgebrochen; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="146"/>
        <source>{0} in {1}</source>
        <translation>{0} in {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="157"/>
        <source>Rewrapping</source>
        <translation>Umschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="157"/>
        <source>Opening</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="158"/>
        <source>Sealing</source>
        <translation>Versiegeln</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="161"/>
        <source>Sealing and opening…</source>
        <translation>Versiegeln und Öffnen…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="184"/>
        <source>Verifying before removing originals: {0} of {1}</source>
        <translation>Prüfung vor dem Entfernen der Originale: {0} von {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="189"/>
        <source>{0}% · {1:.0f} MB/s</source>
        <translation>{0} % · {1:.0f} MB/s</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="193"/>
        <source>{0} of {1} · {2} files/s</source>
        <translation>{0} von {1} · {2} Dateien/s</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="215"/>
        <source>Skipped: {0} already exists</source>
        <translation>Übersprungen: {0} existiert bereits</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="218"/>
        <source>Rewrapped to the current key</source>
        <translation>Auf den aktuellen Schlüssel umgeschlüsselt</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="221"/>
        <source>Opened → {0}</source>
        <translation>Geöffnet → {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="221"/>
        <source>Sealed → {0}</source>
        <translation>Versiegelt → {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="224"/>
        <source> (original removed)</source>
        <translation> (Original entfernt)</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="228"/>
        <source>Sealed {0}</source>
        <translation>Versiegelt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="229"/>
        <source>opened {0}</source>
        <translation>geöffnet: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="230"/>
        <source>{0} failed</source>
        <translation>fehlgeschlagen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="232"/>
        <source>{0} skipped</source>
        <translation>übersprungen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="234"/>
        <source>{0} originals removed</source>
        <translation>Originale entfernt: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="236"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="238"/>
        <source>{0} not started</source>
        <translation>nicht begonnen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="241"/>
        <source>… and {0} more (see Details)</source>
        <translation>… und {0} weitere (siehe Details)</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="251"/>
        <source>The audit log could not count the sealed files: {0}</source>
        <translation>Das Prüfprotokoll konnte die versiegelten Dateien nicht zählen: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="261"/>
        <location filename="../gui/job.py" line="275"/>
        <source>Cannot read {0}: {1}</source>
        <translation>{0} kann nicht gelesen werden: {1}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="265"/>
        <source>sealed, but the original was kept: {0}</source>
        <translation>versiegelt, aber das Original wurde behalten: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="274"/>
        <source>the files</source>
        <translation>die Dateien</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="277"/>
        <source>Unexpected error: {0}</source>
        <translation>Unerwarteter Fehler: {0}</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="299"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../gui/job.py" line="313"/>
        <source>{0} of {1} files failed:</source>
        <translation>{0} von {1} Dateien sind fehlgeschlagen:</translation>
    </message>
</context>
<context>
    <name>KeyTableModel</name>
    <message>
        <location filename="../gui/indirect_words.py" line="16"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="17"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="18"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="19"/>
        <source>Primary</source>
        <translation>Primär</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="20"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="21"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="22"/>
        <source>Next rotation</source>
        <translation>Nächste Rotation</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="23"/>
        <source>Files sealed</source>
        <translation>Versiegelte Dateien</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="25"/>
        <source>● Enabled</source>
        <translation>● Aktiviert</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="26"/>
        <source>◐ Disabled</source>
        <translation>◐ Deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="27"/>
        <source>⚠ Pending destruction</source>
        <translation>⚠ Vernichtung geplant</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="28"/>
        <source>✕ Destroyed</source>
        <translation>✕ Vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="105"/>
        <source>Destroyed after {0:%Y-%m-%d %H:%M} UTC</source>
        <translation>Wird nach {0:%d.%m.%Y %H:%M} UTC vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/key_model.py" line="124"/>
        <source>★ Primary</source>
        <translation>★ Primär</translation>
    </message>
</context>
<context>
    <name>KmsSlotDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="37"/>
        <source>Add an AWS KMS key slot</source>
        <translation>AWS-KMS-Schlüsselfach hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="39"/>
        <source>KMS key ARN</source>
        <translation>ARN des KMS-Schlüssels</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="42"/>
        <source>AWS region</source>
        <translation>AWS-Region</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="43"/>
        <source>from the ARN when empty</source>
        <translation>leer: aus dem ARN</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="45"/>
        <source>Endpoint URL</source>
        <translation>Endpunkt-URL</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="46"/>
        <source>optional, e.g. a VPC endpoint</source>
        <translation>optional, z. B. ein VPC-Endpunkt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="49"/>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="56"/>
        <source>Key &amp;ARN:</source>
        <translation>Schlüssel-&amp;ARN:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="57"/>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="58"/>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="60"/>
        <source>Credentials come from the standard AWS chain (environment, profile, SSO); vaultapp never stores them.</source>
        <translation>Die Zugangsdaten kommen aus der üblichen AWS-Kette (Umgebung, Profil, SSO); vaultapp speichert sie nie.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="75"/>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../gui/main_window.py" line="126"/>
        <location filename="../gui/main_window.py" line="656"/>
        <source>vaultapp</source>
        <translation>vaultapp</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="137"/>
        <source>Opening the keybox…</source>
        <translation>Schlüsselkasten wird geöffnet…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="145"/>
        <source>Lock state</source>
        <translation>Sperrzustand</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="149"/>
        <source>Last backup</source>
        <translation>Letzte Sicherung</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="151"/>
        <source>Keybox: {0}</source>
        <translation>Schlüsselkasten: {0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="152"/>
        <source>Keybox location</source>
        <translation>Ort des Schlüsselkastens</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="179"/>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="181"/>
        <source>New profile…</source>
        <translation>Neues Profil…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="182"/>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="186"/>
        <source>&lt;b&gt;Profiles&lt;/b&gt;</source>
        <translation>&lt;b&gt;Profile&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="203"/>
        <source>Keys of the selected profile</source>
        <translation>Schlüssel des gewählten Profils</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="229"/>
        <source>&amp;Rotate</source>
        <translation>&amp;Rotieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="230"/>
        <source>Make a new primary key; older keys still open their files</source>
        <translation>Einen neuen Primärschlüssel erzeugen; ältere Schlüssel öffnen ihre Dateien weiterhin</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="232"/>
        <source>&amp;Enable</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="233"/>
        <source>Let this key open files again</source>
        <translation>Diesen Schlüssel wieder Dateien öffnen lassen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="234"/>
        <source>&amp;Disable</source>
        <translation>Dea&amp;ktivieren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="235"/>
        <source>Stop this key from sealing and opening</source>
        <translation>Mit diesem Schlüssel nicht mehr versiegeln und öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="237"/>
        <source>Destroy…</source>
        <translation>Vernichten…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="238"/>
        <source>Erase this key (after a waiting period)</source>
        <translation>Diesen Schlüssel löschen (nach einer Wartezeit)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="241"/>
        <source>Cancel destruction</source>
        <translation>Vernichtung abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="242"/>
        <source>Keep this key (it stays disabled)</source>
        <translation>Diesen Schlüssel behalten (er bleibt deaktiviert)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="256"/>
        <source>&lt;b&gt;Keys&lt;/b&gt;</source>
        <translation>&lt;b&gt;Schlüssel&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="259"/>
        <source>&lt;b&gt;Activity&lt;/b&gt;</source>
        <translation>&lt;b&gt;Aktivität&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="269"/>
        <location filename="../gui/main_window.py" line="318"/>
        <source>&amp;Lock</source>
        <translation>&amp;Sperren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="271"/>
        <source>Lock the vault</source>
        <translation>Tresor sperren</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="272"/>
        <source>Lock now: keys leave memory (Ctrl+L)</source>
        <translation>Jetzt sperren: die Schlüssel verlassen den Speicher (Strg+L)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="276"/>
        <source>&lt;b&gt;vaultapp&lt;/b&gt;</source>
        <translation>&lt;b&gt;vaultapp&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="298"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="299"/>
        <source>&amp;Seal files…</source>
        <translation>Dateien &amp;versiegeln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="302"/>
        <source>&amp;Open files…</source>
        <translation>Dateien ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="305"/>
        <source>&amp;Rewrap sealed files to the current key…</source>
        <translation>Versiegelte Dateien auf den aktuellen Schlüssel &amp;umschlüsseln…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="307"/>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="309"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="317"/>
        <source>&amp;Vault</source>
        <translation>&amp;Tresor</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="322"/>
        <source>&amp;Key slots…</source>
        <translation>Schlüssel&amp;fächer…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="386"/>
        <source>Tried:
{0}</source>
        <translation>Versucht:
{0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="408"/>
        <source>Locked. Keys were removed from memory.</source>
        <translation>Gesperrt. Die Schlüssel wurden aus dem Speicher entfernt.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="437"/>
        <source>Unlocked ({0})</source>
        <translation>Entsperrt ({0})</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="439"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="471"/>
        <source>Team keybox: back it up with pg_dump</source>
        <translation>Team-Schlüsselkasten: mit pg_dump sichern</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="474"/>
        <source>Last backup: never — back up the keybox to a safe place</source>
        <translation>Letzte Sicherung: nie – sichern Sie den Schlüsselkasten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="478"/>
        <source>Last backup: {0:%Y-%m-%d} ({1} days ago)</source>
        <translation>Letzte Sicherung: {0:%d.%m.%Y} (vor {1} Tagen)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="500"/>
        <source>Create a profile to start sealing.</source>
        <translation>Legen Sie ein Profil an, um mit dem Versiegeln zu beginnen.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="502"/>
        <source>⚠ {0} cannot seal: its primary key is not enabled. Enable or rotate it.</source>
        <translation>⚠ {0} kann nicht versiegeln: sein Primärschlüssel ist nicht aktiviert. Aktivieren oder rotieren Sie ihn.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="505"/>
        <source>{0} seals with key {1} (version {2}).</source>
        <translation>{0} versiegelt mit Schlüssel {1} (Version {2}).</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="538"/>
        <source>Rotated {0}: new primary key</source>
        <translation>{0} rotiert: neuer Primärschlüssel</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="544"/>
        <source>Key {0} enabled</source>
        <translation>Schlüssel {0} aktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="550"/>
        <source>Key {0} disabled</source>
        <translation>Schlüssel {0} deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="560"/>
        <source>Key {0} destroyed</source>
        <translation>Schlüssel {0} vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="562"/>
        <source>Key {0} will be destroyed in {1} days</source>
        <translation>Schlüssel {0} wird in {1} Tagen vernichtet</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="569"/>
        <source>Destruction of {0} cancelled; the key is disabled</source>
        <translation>Vernichtung von {0} abgebrochen; der Schlüssel ist deaktiviert</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="573"/>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="576"/>
        <source>Profile {0} created</source>
        <translation>Profil {0} angelegt</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="582"/>
        <source>Rename profile</source>
        <translation>Profil umbenennen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="585"/>
        <source>Profile renamed to {0}</source>
        <translation>Profil umbenannt in {0}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="629"/>
        <source>Seal files</source>
        <translation>Dateien versiegeln</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="635"/>
        <source>Open sealed files</source>
        <translation>Versiegelte Dateien öffnen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="636"/>
        <source>Sealed files (*.vault);;All files (*)</source>
        <translation>Versiegelte Dateien (*.vault);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="642"/>
        <source>Rewrap sealed files</source>
        <translation>Versiegelte Dateien umschlüsseln</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="642"/>
        <source>Sealed files (*.vault)</source>
        <translation>Versiegelte Dateien (*.vault)</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="677"/>
        <source>no secure OS keyring is available</source>
        <translation>kein sicherer Schlüsselbund des Systems verfügbar</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../gui/indirect_words.py" line="30"/>
        <source>New passphrase</source>
        <translation>Neue Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/indirect_words.py" line="31"/>
        <source>Repeat the passphrase</source>
        <translation>Passphrase wiederholen</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../gui/dialogs.py" line="143"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="146"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="147"/>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="149"/>
        <source>Lock after idle minutes</source>
        <translation>Sperren nach Minuten ohne Benutzung</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="150"/>
        <source>Lock when the screen locks or the computer sleeps</source>
        <translation>Sperren, wenn der Bildschirm gesperrt wird oder der Rechner in den Ruhezustand geht</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="152"/>
        <source>Remove originals after sealing</source>
        <translation>Originale nach dem Versiegeln entfernen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="155"/>
        <source>An original is removed only after its sealed file was re-opened and verified. Removing is not secure erasure: on SSDs and journaling file systems the old data may remain readable on the disk.</source>
        <translation>Ein Original wird erst entfernt, nachdem seine versiegelte Datei erneut geöffnet und geprüft wurde. Entfernen ist kein sicheres Löschen: Auf SSDs und Dateisystemen mit Journal können die alten Daten auf dem Datenträger lesbar bleiben.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="159"/>
        <source>Beside each original</source>
        <translation>Neben dem jeweiligen Original</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="160"/>
        <source>Into this folder:</source>
        <translation>In diesen Ordner:</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="162"/>
        <location filename="../gui/dialogs.py" line="190"/>
        <source>Output folder</source>
        <translation>Zielordner</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="163"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="174"/>
        <source>Lock after idle:</source>
        <translation>Sperren nach Leerlauf:</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="178"/>
        <source>Sealed and opened files go:</source>
        <translation>Versiegelte und geöffnete Dateien:</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <location filename="../gui/pages.py" line="72"/>
        <source>&lt;h2&gt;Set up your vault&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Tresor einrichten&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="74"/>
        <source>vaultapp keeps your keys in an encrypted &lt;b&gt;keybox&lt;/b&gt; at&lt;br&gt;&lt;code&gt;{0}&lt;/code&gt;.&lt;br&gt;Its root key goes into your system keyring, so the vault opens without a password on this account. A recovery passphrase opens it anywhere else.</source>
        <translation>vaultapp bewahrt Ihre Schlüssel in einem verschlüsselten &lt;b&gt;Schlüsselkasten&lt;/b&gt; unter&lt;br&gt;&lt;code&gt;{0}&lt;/code&gt; auf.&lt;br&gt;Sein Stammschlüssel kommt in den Schlüsselbund Ihres Systems, sodass sich der Tresor in diesem Benutzerkonto ohne Passwort öffnet. Überall sonst öffnet ihn eine Wiederherstellungs-Passphrase.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="79"/>
        <source>Keep the root key in the system keyring</source>
        <translation>Stammschlüssel im Schlüsselbund des Systems aufbewahren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="83"/>
        <source>Recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="84"/>
        <source>for example four unrelated words</source>
        <translation>z. B. vier zufällige Wörter</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="87"/>
        <source>Repeat the recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase wiederholen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="89"/>
        <source>Passphrase strength</source>
        <translation>Stärke der Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="90"/>
        <source>Personal</source>
        <translation>Persönlich</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="91"/>
        <source>First profile name</source>
        <translation>Name des ersten Profils</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="93"/>
        <source>Recovery &amp;passphrase:</source>
        <translation>Wiederherstellungs-&amp;Passphrase:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="94"/>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="96"/>
        <source>First &amp;profile:</source>
        <translation>Erstes P&amp;rofil:</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="100"/>
        <source>⚠ &lt;b&gt;If every way in is lost — the keyring entry and the passphrase — your sealed files cannot be recovered by anyone.&lt;/b&gt; Write the passphrase down and keep it somewhere safe.</source>
        <translation>⚠ &lt;b&gt;Gehen alle Zugänge verloren – der Eintrag im Schlüsselbund und die Passphrase –, kann niemand Ihre versiegelten Dateien wiederherstellen.&lt;/b&gt; Schreiben Sie die Passphrase auf und bewahren Sie sie an einem sicheren Ort auf.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="109"/>
        <location filename="../gui/pages.py" line="111"/>
        <source>Create keybox</source>
        <translation>Schlüsselkasten anlegen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="124"/>
        <source>No secure system keyring here: {0}</source>
        <translation>Kein sicherer Schlüsselbund des Systems: {0}</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="136"/>
        <source>Without the system keyring a recovery passphrase is required.</source>
        <translation>Ohne den Schlüsselbund des Systems ist eine Wiederherstellungs-Passphrase nötig.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="138"/>
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="140"/>
        <source>Name the first profile.</source>
        <translation>Geben Sie dem ersten Profil einen Namen.</translation>
    </message>
</context>
<context>
    <name>SlotsDialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="130"/>
        <location filename="../gui/slots_dialog.py" line="138"/>
        <source>Key slots</source>
        <translation>Schlüsselfächer</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="132"/>
        <source>Any one key slot unlocks the keybox. Keep at least two kinds (for example the keyring and a passphrase) so that no single outage locks you out.</source>
        <translation>Jedes einzelne Schlüsselfach entsperrt den Schlüsselkasten. Richten Sie mindestens zwei Arten ein (zum Beispiel den Schlüsselbund und eine Passphrase), damit Sie kein einzelner Ausfall aussperrt.</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="139"/>
        <source>Slot</source>
        <translation>Fach</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="139"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="140"/>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="147"/>
        <source>Add &amp;passphrase…</source>
        <translation>&amp;Passphrase hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="148"/>
        <source>Add AWS &amp;KMS key…</source>
        <translation>AWS-&amp;KMS-Schlüssel hinzufügen…</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="149"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="194"/>
        <source>Added passphrase slot {0}</source>
        <translation>Passphrasen-Fach {0} hinzugefügt</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="205"/>
        <source>Added {0} ({1})</source>
        <translation>{0} hinzugefügt ({1})</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="217"/>
        <source>Removed slot {0}</source>
        <translation>Fach {0} entfernt</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../gui/pages.py" line="166"/>
        <source>&lt;h2&gt;The vault is locked&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Der Tresor ist gesperrt&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="167"/>
        <source>Keybox: &lt;code&gt;{0}&lt;/code&gt;</source>
        <translation>Schlüsselkasten: &lt;code&gt;{0}&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="173"/>
        <source>Key slots tried</source>
        <translation>Versuchte Schlüsselfächer</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="177"/>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="178"/>
        <source>Recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="180"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="184"/>
        <source>Try the keyring again</source>
        <translation>Schlüsselbund erneut versuchen</translation>
    </message>
    <message>
        <location filename="../gui/pages.py" line="199"/>
        <source>Unlocking…</source>
        <translation>Wird entsperrt…</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../gui/dialogs.py" line="45"/>
        <source>File already exists</source>
        <translation>Datei existiert bereits</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="46"/>
        <source>“{0}” already exists in {1}.</source>
        <translation>„{0}“ existiert bereits in {1}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="48"/>
        <source>Keep both files, replace the existing one, or skip?</source>
        <translation>Beide Dateien behalten, die vorhandene ersetzen oder überspringen?</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="50"/>
        <location filename="../gui/dialogs.py" line="59"/>
        <source>Keep both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="50"/>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="50"/>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="52"/>
        <source>Files already exist</source>
        <translation>Dateien existieren bereits</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="53"/>
        <source>{0} of the outputs already exist, such as “{1}” in {2}.</source>
        <translation>{0} der Ausgabedateien existieren bereits, zum Beispiel „{1}“ in {2}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="56"/>
        <source>Keep both files each time (the new one gets a number), replace the existing ones, or skip these files? The answer applies to all {0}.</source>
        <translation>Jeweils beide Dateien behalten (die neue bekommt eine Nummer), die vorhandenen ersetzen oder diese Dateien überspringen? Die Antwort gilt für alle {0}.</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="59"/>
        <source>Replace all</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message>
        <location filename="../gui/dialogs.py" line="59"/>
        <source>Skip all</source>
        <translation>Alle überspringen</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../gui/slots_dialog.py" line="104"/>
        <source>Add a recovery passphrase</source>
        <translation>Wiederherstellungs-Passphrase hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="114"/>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <location filename="../gui/slots_dialog.py" line="115"/>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
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
    <name>parent</name>
    <message>
        <location filename="../gui/dialogs.py" line="127"/>
        <source>Profile name:</source>
        <translation>Profilname:</translation>
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
        <location filename="../gui/strength_words.py" line="53"/>
        <source>Strong</source>
        <translation>Stark</translation>
    </message>
    <message>
        <location filename="../gui/strength_words.py" line="54"/>
        <source>Good</source>
        <translation>Gut</translation>
    </message>
    <message>
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
        <location filename="../gui/strength_words.py" line="57"/>
        <source>Add another word or two; uncommon words are better.</source>
        <translation>Fügen Sie ein oder zwei Wörter hinzu; ungewöhnliche Wörter sind besser.</translation>
    </message>
</context>
</TS>
