"""Progress bars: drawn on a terminal only, forced by FACTLINT_PROGRESS, never changing the items."""
import io

from factlint import progress


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_a_bar_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("FACTLINT_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert progress.enabled(_Tty()) and not progress.enabled(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled(_Tty())
    monkeypatch.setenv("FACTLINT_PROGRESS", "1")
    assert progress.enabled(io.StringIO())
    monkeypatch.setenv("FACTLINT_PROGRESS", "0")
    monkeypatch.delenv("CI")
    assert not progress.enabled(_Tty())


def test_track_yields_every_item_and_draws_when_forced(monkeypatch, capsys):
    monkeypatch.setenv("FACTLINT_PROGRESS", "1")
    assert list(progress.track(range(5), desc="work")) == [0, 1, 2, 3, 4]
    assert "work" in capsys.readouterr().err
    monkeypatch.setenv("FACTLINT_PROGRESS", "0")
    assert list(progress.track(iter("abc"))) == ["a", "b", "c"]
    assert capsys.readouterr().err == ""
