"""The run's own local temp folder, removed when the run ends.

Beam creates folders in the system temp folder that nobody removes: with the DirectRunner,
each run first tries the Prism runner (see `release.NO_PRISM`), whose job server makes a
`beam-temp*` folder and whose environments make two `tmp*` staging folders before the
missing binary makes it fall back to the FnApiRunner; and its stager keeps a
`beam-requirements-cache` there. `make test` left about 200 of each behind. While the
pipeline runs, `tempfile` (and `TMPDIR`, for the worker processes it starts) points at a
folder of this run's, which goes when the run ends, however it ends.

With a local OUT that folder is OUT/tmp/<run_id>/local-temp, inside the run's scratch
folder, so a run killed before it could remove it leaves it where the next successful run's
clean-up deletes it anyway; with an object store OUT it is `wchat-<run_id>-*` in the system
temp folder.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from apache_beam.io.filesystems import FileSystems
from apache_beam.io.localfilesystem import LocalFileSystem

from pipelines import layout

__all__ = ["redirected_temp", "run_temp"]


@contextlib.contextmanager
def redirected_temp(folder: str):
    """`tempfile` and `TMPDIR` point at `folder` (created) inside the block; afterwards they
    are restored and `folder` is removed with everything in it."""
    os.makedirs(folder, exist_ok=True)
    saved_dir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir, os.environ["TMPDIR"] = folder, folder
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


def run_temp(paths: layout.RunPaths):
    """`redirected_temp` on the run's folder (see the module docstring)."""
    if isinstance(FileSystems.get_filesystem(paths.out), LocalFileSystem):
        folder = os.path.join(os.path.abspath(paths.tmp), "local-temp")
    else:
        folder = tempfile.mkdtemp(prefix=f"wchat-{paths.run_id}-")
    return redirected_temp(folder)
