"""The static files a full build hands to another process (casebook/output.py) are written
as MkDocs writes generated files, and a failure to write them is an error, not a silence."""

import os

import pytest

from casebook.output import start_writing, write_files

CONTENTS = {
    "2015/01/20/old-post/index.html": "<!doctype html>\n<title>Redirecting…</title>\n",
    "blog/2015/01/a-post/cite.bib": "@online{a,\n  title = {Código para la Ciudad},\n}\n",
    "blog/2015/01/a-post/cite.ris": "TY  - ELEC\r\nTI  - Line ends kept\r\n",
    "atom.xml": "<feed/>\n",
}


def test_files_are_written_with_their_text_by_another_process(tmp_path):
    writing = start_writing(tmp_path, CONTENTS)
    assert writing.result(timeout=60) is None
    written = {
        path.relative_to(tmp_path).as_posix(): path.read_bytes().decode("utf-8")
        for path in tmp_path.rglob("*")
        if path.is_file()
    }
    assert written == CONTENTS


def test_the_child_writes_what_writing_here_writes(tmp_path):
    start_writing(tmp_path / "aside", CONTENTS).result(timeout=60)
    write_files(tmp_path / "here", CONTENTS)
    for src_uri in CONTENTS:
        assert (tmp_path / "aside" / src_uri).read_bytes() == (tmp_path / "here" / src_uri).read_bytes()


@pytest.mark.skipif(os.name != "posix", reason="forks")
def test_an_error_of_the_child_is_raised_by_result(tmp_path):
    (tmp_path / "blog").write_text("a file where a folder must go\n")
    writing = start_writing(tmp_path, CONTENTS)
    with pytest.raises(NotADirectoryError, match="blog"):
        writing.result(timeout=60)
