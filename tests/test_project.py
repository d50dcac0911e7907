"""The project's paths: names shown relative to its root, and the template files a brief's fingerprint lists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reegen.errors import ProjectError
from reegen.project import bundled_templates, load_project


def _rglob_listing(project, name: str) -> list[str]:
    """What the fingerprint listed before `template_files`: every file under each folder, by `display`."""
    found = []
    for folder in project.template_dirs(name):
        found += sorted(project.display(p) for p in folder.rglob("*") if p.is_file())
    return found


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "p"
    (root / "briefs").mkdir(parents=True)
    (root / "reegen.toml").write_text("")
    return root


def test_template_files_list_what_rglob_and_is_file_list_links_included(project, tmp_path):
    own = project / "templates" / "executive"
    (own / "partials" / "deep").mkdir(parents=True)
    (own / "brief.md.j2").write_text("x")
    (own / ".hidden").write_text("x")
    (own / "partials" / "head.md.j2").write_text("x")
    (own / "partials" / "deep" / "a.txt").write_text("x")
    shared = project / "shared"
    shared.mkdir()
    (shared / "inside.md.j2").write_text("x")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "out.md.j2").write_text("x")
    os.symlink(shared / "inside.md.j2", own / "linked-in.md.j2")      # a link to a file in the project
    os.symlink(outside / "out.md.j2", own / "linked-out.md.j2")        # a link to a file outside it
    os.symlink(shared, own / "linked-folder")                          # a linked folder: not entered
    os.symlink(own / "missing", own / "dangling")                      # a link to nothing: not a file
    os.mkfifo(own / "pipe")                                            # not a regular file
    loaded = load_project(project / "briefs" / "x.yaml")
    listed = loaded.template_files("executive")
    assert listed == _rglob_listing(loaded, "executive")
    assert "templates/executive/partials/deep/a.txt" in listed and "shared/inside.md.j2" in listed
    assert str(own / "linked-out.md.j2") in listed  # outside the project: shown as it was reached
    assert not any("linked-folder" in name or "dangling" in name or "pipe" in name for name in listed)
    assert listed[-len(_bundled(loaded)):] == _bundled(loaded)


def _bundled(project) -> list[str]:
    return sorted(project.display(p) for p in (bundled_templates() / "executive").rglob("*") if p.is_file())


def test_template_files_through_a_project_root_reached_by_a_link(project, tmp_path):
    (project / "templates" / "executive").mkdir(parents=True)
    (project / "templates" / "executive" / "brief.md.j2").write_text("x")
    link = tmp_path / "link-to-project"
    os.symlink(project, link)
    loaded = load_project(link / "briefs" / "x.yaml")
    assert loaded.template_files("executive")[0] == "templates/executive/brief.md.j2"
    assert loaded.template_files("executive") == _rglob_listing(loaded, "executive")
    assert loaded.display(link / "briefs" / "x.yaml") == "briefs/x.yaml"


def test_a_template_folder_linked_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside-templates"
    outside.mkdir()
    (project / "templates").mkdir()
    os.symlink(outside, project / "templates" / "executive")
    with pytest.raises(ProjectError) as caught:
        load_project(project / "briefs" / "x.yaml").template_files("executive")
    assert caught.value.code == "template.outside"


def test_a_template_folder_linked_to_the_bundled_one_is_refused_as_outside_too(project):
    (project / "templates").mkdir()
    os.symlink(bundled_templates() / "executive", project / "templates" / "executive", target_is_directory=True)
    loaded = load_project(project / "briefs" / "x.yaml")
    with pytest.raises(ProjectError):
        loaded.template_files("executive")


def test_display_names_paths_inside_relative_and_outside_as_given(project, tmp_path):
    loaded = load_project(project / "briefs" / "x.yaml")
    assert loaded.display(project / "briefs" / "x.yaml") == "briefs/x.yaml"
    assert loaded.display(tmp_path / "other.yaml") == str(tmp_path / "other.yaml")
    assert loaded.real_root == Path(os.path.realpath(project))


def test_the_root_is_the_nearest_folder_with_reegen_toml_else_the_specs_grandparent(tmp_path):
    from reegen.project import find_root

    (tmp_path / "p" / "briefs").mkdir(parents=True)
    (tmp_path / "p" / "reegen.toml").write_text("")
    (tmp_path / "q" / "briefs").mkdir(parents=True)
    os.symlink(tmp_path / "p", tmp_path / "link")
    real = Path(os.path.realpath(tmp_path))
    assert find_root(tmp_path / "p" / "briefs" / "x.yaml") == real / "p"
    assert find_root(tmp_path / "p" / "briefs") == real / "p"
    assert find_root(tmp_path / "link" / "briefs" / "x.yaml") == real / "p"  # the real path, links followed
    assert find_root(tmp_path / "q" / "briefs" / "y.yaml") == real / "q"  # no reegen.toml: briefs/.. of a spec
    assert find_root(tmp_path / "q" / "briefs") == real / "q" / "briefs"  # ... and a folder itself
