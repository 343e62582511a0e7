"""Fixtures of the app tests: the files a page's download buttons would hand to the browser."""

from __future__ import annotations

import pytest
import streamlit.testing.v1.app_test as app_test_module


class Files:
    """The media file managers of AppTest's runs, so a deferred download can be generated and read after a run
    (AppTest drops its runtime when the run ends). Streamlit's own class, recorded, not replaced."""

    def __init__(self) -> None:
        self.managers: list = []

    def read(self, button) -> bytes:
        mgr = self.managers[-1]
        url = mgr.execute_deferred(button.proto.deferred_file_id)
        return mgr._storage.get_file(url.rsplit("/", 1)[1]).content


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> Files:
    rec = Files()
    base = app_test_module.MediaFileManager

    class Recorded(base):  # type: ignore[misc,valid-type]
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            rec.managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recorded)
    return rec
