"""A release run leaves nothing in the system temp folder (pipelines/local_temp.py)."""
from __future__ import annotations

import os
import tempfile

import pytest

from tests.conftest import current_manifest, run_cli
from pipelines.local_temp import redirected_temp


def test_a_release_run_leaves_no_folder_in_the_temp_folder(tmp_path, fast_config):
    # the run's own TMPDIR, empty: Beam's DirectRunner used to leave a beam-temp* folder
    # (Prism's job server), two tmp* staging folders and beam-requirements-cache in it
    system_temp = tmp_path / "temp"
    system_temp.mkdir()
    out = tmp_path / "out"
    proc = run_cli(out, "--direct_running_mode=in_memory", "--direct_num_workers=1",
                   config=fast_config, env={"TMPDIR": str(system_temp)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(system_temp)) == []
    # and its own local temp folder, inside its scratch folder, went with it
    run_id = current_manifest(out)["run_id"]
    assert not (out / "tmp" / run_id).exists()


def test_the_temp_folder_is_restored_and_removed_even_when_the_block_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", "/somewhere/else")
    before = tempfile.gettempdir()
    folder = tmp_path / "run-temp"
    with pytest.raises(RuntimeError, match="boom"):
        with redirected_temp(str(folder)):
            assert tempfile.gettempdir() == str(folder) == os.environ["TMPDIR"]
            assert tempfile.mkdtemp(prefix="beam-temp").startswith(str(folder))
            raise RuntimeError("boom")
    assert not folder.exists()
    assert tempfile.gettempdir() == before and os.environ["TMPDIR"] == "/somewhere/else"
