"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects cycles in whichever thread crosses its allocation threshold. In the
window that is often a worker or the keybox's executor (they allocate the most), and a
cycle that holds a Qt object (a dialog's callback closure, a task's signals) is then
freed off the GUI thread; shiboken hands the C++ deletion to the GUI thread, where Qt may
already have deleted the object (deleteLater), and the process dies in
`BindingManager::runDeletionInMainThread` (tests/gui/test_gui_translation.py builds every
dialog twice and crashed so). calibre, pyqtgraph and Anki do what this does: automatic
collection off, and a GUI-thread timer that collects each generation once its threshold
is crossed, as the interpreter itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
"""How often the GUI thread looks at the allocation counts."""


class GuiThreadCollector(QObject):
    """Collects cycles on the GUI thread, generation by generation, as thresholds say."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.start()

    def start(self) -> None:
        """Automatic collection off; the GUI thread's timer collects (again, after a
        stop: an application whose event loop quit and started once more)."""
        gc.disable()
        self.timer.start()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; objects freed."""
        counts, freed = gc.get_count(), 0
        for generation in (2, 1, 0):  # the oldest due one (collecting it includes the rest)
            if counts[generation] > self.thresholds[generation]:
                freed = gc.collect(generation)
                break
        return freed

    def stop(self) -> None:
        """Give collection back to the interpreter (a test's application lives on)."""
        self.timer.stop()
        gc.enable()


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Turn automatic collection off for `app`'s lifetime and collect on its thread."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        existing.start()  # stopped by an earlier aboutToQuit of the same application
        return existing
    collector = GuiThreadCollector(app)
    app.aboutToQuit.connect(collector.stop)
    return collector
