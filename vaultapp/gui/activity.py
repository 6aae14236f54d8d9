"""The activity list: a Qt model over the window's jobs, a delegate that paints each row,
and the view that runs them (at most two at a time).

Each row shows a job's name, its status (green when it worked, amber when a batch partly
did, red when not) and, while it runs, a progress bar; its actions (Cancel, Details,
Show in folder) are buttons painted by the delegate, which handles their clicks in
editorEvent. The same actions are reachable from the keyboard on the current row
(Delete cancels, Enter shows in folder, the context-menu key or Shift+F10 opens a menu
with all three) and from the context menu with the mouse.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from vaultapp.core.jobs import SMALL_FILE_LIMIT

from .job import AUTO, FAILED, OK, OPEN, PARTLY, REWRAP, SEAL, ConflictQuestions, Job
from .worker import emit

__all__ = ["AUTO", "BATCH_MAX_FILE_SIZE", "BATCH_MIN", "OPEN", "REWRAP", "SEAL",
           "ActivityList", "ActivityModel", "Job"]

BATCH_MIN = 20
"""A drop of more than this many files of at most BATCH_MAX_FILE_SIZE becomes one batch
job (one row, one worker) instead of a job per file."""
BATCH_MAX_FILE_SIZE = SMALL_FILE_LIMIT
"""Larger files keep a job each: one of them already keeps both cores busy, and its own
row shows its progress in bytes (vaultapp.core.jobs' limit, as `vaultapp seal` uses)."""

JobRole = Qt.ItemDataRole.UserRole + 1
"""The Job object of a row."""
StatusRole = Qt.ItemDataRole.UserRole + 2
"""The status line: "Sealed → x.vault", "12 of 200 · 340 files/s", an error."""
ProgressRole = Qt.ItemDataRole.UserRole + 3
"""0..1 while the job runs, None once it finished (no bar)."""
StateRole = Qt.ItemDataRole.UserRole + 4
"""RUNNING, OK, PARTLY or FAILED (the status line's colour)."""
StatusToolTipRole = Qt.ItemDataRole.UserRole + 5
"""The messages of a batch's failed files (the first few), "" if none."""
ActionsRole = Qt.ItemDataRole.UserRole + 6
"""The row's actions available now, in the order shown: CANCEL, DETAILS, SHOW."""
NameRole = Qt.ItemDataRole.UserRole + 7
"""The row's name: the file's, or "200 files in Scans" for a batch."""

CANCEL, DETAILS, SHOW = "cancel", "details", "show"
COLOURS = {OK: "#2e7d32", PARTLY: "#9e6a00", FAILED: "#c62828"}


def actions_of(job: Job) -> list[str]:
    return [name for name, on in ((CANCEL, job.can_cancel), (DETAILS, job.can_details),
                                  (SHOW, job.can_show)) if on]


class ActivityModel(QAbstractListModel):
    """One row per job, newest at the bottom; rows are only ever added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs: list[Job] = []
        self._rows: dict[int, int] = {}  # id(job) -> row

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
                 ) -> int:
        return 0 if parent.isValid() else len(self.jobs)

    def add(self, job: Job) -> QModelIndex:
        row = len(self.jobs)
        self.beginInsertRows(QModelIndex(), row, row)
        self.jobs.append(job)
        self._rows[id(job)] = row
        self.endInsertRows()
        job.changed.connect(self._job_changed)
        return self.index(row)

    def index_of(self, job: Job) -> QModelIndex:
        row = self._rows.get(id(job))
        return QModelIndex() if row is None else self.index(row)

    def job_at(self, index: QModelIndex | QPersistentModelIndex) -> Job | None:
        if not index.isValid() or not 0 <= index.row() < len(self.jobs):
            return None
        return self.jobs[index.row()]

    def _job_changed(self, job: object) -> None:
        if isinstance(job, Job):
            index = self.index_of(job)
            if index.isValid():
                emit(self.dataChanged, index, index, [])

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self.job_at(index)
        if job is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{job.title}: {job.status}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join(t for t in (job.tooltip, job.status_tooltip) if t)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            names = {CANCEL: self.tr("Delete cancels"), SHOW: self.tr("Enter shows it in "
                                                                        "its folder"),
                     DETAILS: self.tr("the menu lists the files that failed")}
            return "; ".join(names[a] for a in actions_of(job))
        if role == JobRole:
            return job
        if role == NameRole:
            return job.title
        if role == StatusRole:
            return job.status
        if role == ProgressRole:
            return job.progress
        if role == StateRole:
            return job.state
        if role == StatusToolTipRole:
            return job.status_tooltip
        if role == ActionsRole:
            return actions_of(job)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ActivityDelegate(QStyledItemDelegate):
    """Paints a row (name, status, bar, buttons) and turns clicks on its buttons into the
    job's actions."""

    HEIGHT = 64
    MARGIN = 8

    def labels(self) -> dict[str, str]:
        return {CANCEL: self.tr("Cancel"), DETAILS: self.tr("Details"),
                SHOW: self.tr("Show in folder")}

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(200, self.HEIGHT)

    def button_rects(self, option: QStyleOptionViewItem | Any,
                     index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, QRect]]:
        """Where each of the row's buttons is, right-aligned, in the view's coordinates."""
        rect: QRect = option.rect
        metrics = option.fontMetrics
        labels = self.labels()
        out: list[tuple[str, QRect]] = []
        right = rect.right() - self.MARGIN
        height = max(metrics.height() + 12, 28)
        top = rect.top() + (rect.height() - height) // 2
        for action in reversed(index.data(ActionsRole) or []):
            width = metrics.horizontalAdvance(labels[action]) + 24
            out.insert(0, (action, QRect(right - width + 1, top, width, height)))
            right -= width + 6
        return out

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        buttons = self.button_rects(option, index)
        rect: QRect = option.rect
        left = rect.left() + self.MARGIN
        text_right = (buttons[0][1].left() if buttons else rect.right()) - self.MARGIN
        width = max(text_right - left, 10)
        metrics = option.fontMetrics
        line = metrics.height()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.highlightedText().color() if selected else palette.text().color()
        progress = index.data(ProgressRole)
        top = rect.top() + (rect.height() - (2 * line + 2 + (10 if progress is not None
                                                              else 0))) // 2
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        name = painter.fontMetrics().elidedText(index.data(NameRole), Qt.TextElideMode.ElideMiddle,
                                                width)
        painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setFont(option.font)
        colour = COLOURS.get(index.data(StateRole))
        painter.setPen(QColor(colour) if colour and not selected else text_colour)
        status = metrics.elidedText(index.data(StatusRole), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top + line + 2, width, line), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter, status)
        painter.restore()
        if progress is not None:
            bar = QStyleOptionProgressBar()
            bar.rect = QRect(left, top + 2 * line + 6, width, 6)
            bar.minimum, bar.maximum = 0, 1000
            bar.progress = int(1000 * progress)
            bar.textVisible = False
            bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
            bar.palette = palette
            style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
        labels = self.labels()
        for action, button_rect in buttons:
            button = QStyleOptionButton()
            button.rect = button_rect
            button.text = labels[action]
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            button.palette = palette
            button.fontMetrics = metrics
            style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, widget)

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        """A left click on a painted button runs its action (on release, as a button)."""
        if event.type() not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                                QEvent.Type.MouseButtonDblClick):
            return False
        assert isinstance(event, QMouseEvent)
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos = event.position().toPoint()
        for action, rect in self.button_rects(option, index):
            if rect.contains(pos):
                if event.type() == QEvent.Type.MouseButtonRelease:
                    job = index.data(JobRole)
                    if isinstance(job, Job):
                        run_action(job, action)
                return True
        return False


def run_action(job: Job, action: str) -> None:
    if action == CANCEL and job.can_cancel:
        job.cancel()
    elif action == SHOW and job.can_show:
        job.show_in_folder()
    elif action == DETAILS and job.can_details:
        job.show_details()


class ActivityList(QListView):
    """The list of jobs (a file or a batch each), newest at the bottom; runs at most two
    at a time, and lets them ask about taken output names one at a time.

    One Tab stop: Tab leaves the list, the arrow keys move between its rows."""

    job_finished = Signal(object)
    notice = Signal(str)
    """A job's message for the status bar (see Job.notice)."""
    MAX_RUNNING = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityList")
        self.setAccessibleName(self.tr("Activity"))
        self.activity_model = ActivityModel(self)
        self.setModel(self.activity_model)
        self.delegate = ActivityDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setUniformItemSizes(True)
        self.setAlternatingRowColors(True)  # rows of one height: tell them apart
        # Three rows at least, so a finished job, a failed one and a running one show
        # together even when the window is small.
        self.setMinimumHeight(3 * ActivityDelegate.HEIGHT + 2 * self.frameWidth())
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._waiting: list[Job] = []
        self._running = 0
        self.questions = ConflictQuestions()

    @property
    def jobs(self) -> list[Job]:
        return self.activity_model.jobs

    def add_job(self, job: Job) -> None:
        job.dialog_parent = self
        job.questions = self.questions
        job.notice.connect(self.notice)
        index = self.activity_model.add(job)
        self.scrollTo(index)
        job.finished.connect(self._on_finished)
        self._waiting.append(job)
        self._pump()

    def _pump(self) -> None:
        while self._waiting and self._running < self.MAX_RUNNING:
            job = self._waiting.pop(0)
            self._running += 1
            job.start()

    def _on_finished(self, job: Job) -> None:
        self._running -= 1
        emit(self.job_finished, job)
        self._pump()

    def cancel_all(self) -> None:
        for job in self._waiting:  # never started: finished here, not left "Cancelling…"
            job.cancelled = True
            job.set_result(self.tr("Cancelled; nothing was written"), False)
        self._waiting.clear()
        for job in self.jobs:
            if job.ok is None:
                job.cancel()

    def busy(self) -> bool:
        return self._running > 0 or bool(self._waiting)

    # --- the current row's actions, from the keyboard and the context menu ---

    def item_option(self, index: QModelIndex) -> QStyleOptionViewItem:
        """The style option the delegate gets for `index` (its rect: where it is now)."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        return option

    def button_rect(self, job: Job, action: str) -> QRect | None:
        """Where `job`'s row paints the button of `action` (viewport coordinates), or None
        when the row has no such button now."""
        index = self.activity_model.index_of(job)
        rects = dict(self.delegate.button_rects(self.item_option(index), index))
        return rects.get(action)

    def current_job(self) -> Job | None:
        return self.activity_model.job_at(self.currentIndex())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        job = self.current_job()
        key = event.key()
        if job is not None and key == Qt.Key.Key_Delete:
            run_action(job, CANCEL)
        elif job is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            run_action(job, SHOW)
        elif (job is not None and key == Qt.Key.Key_F10
              and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.open_menu(self.visualRect(self.currentIndex()).center())
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if index.isValid():
                self.setCurrentIndex(index)
            pos = event.pos()
        else:  # the menu key: at the current row
            pos = self.visualRect(self.currentIndex()).center()
        self.open_menu(pos)

    def menu_for(self, job: Job) -> QMenu:
        """Cancel, Details and Show in folder, each enabled when it applies now."""
        menu = QMenu(self)
        labels = self.delegate.labels()
        available = actions_of(job)
        for name in (CANCEL, DETAILS, SHOW):
            action = menu.addAction(labels[name])
            action.setEnabled(name in available)
            action.setData(name)
        return menu

    def open_menu(self, pos: QPoint) -> None:
        job = self.current_job()
        if job is None:
            return
        self.menu = self.menu_for(job)
        chosen = self.choose(self.menu, self.viewport().mapToGlobal(pos))
        if chosen:
            run_action(job, chosen)

    @staticmethod
    def choose(menu: QMenu, where: QPoint) -> str | None:
        """Show `menu` at `where` (global) until a choice; the chosen action's name, or
        None (a test seam, as the dialogs' ask())."""
        chosen = menu.exec(where)
        return None if chosen is None else str(chosen.data())
