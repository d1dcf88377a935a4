"""Prove that tests can fail: plant the fault each one guards against, run it, restore.

    .venv/bin/python tools/planted_faults.py

Each case replaces one line of mlsd or of a design with a fault, runs the test that should
catch it, and puts the file back. Every line printed should say "FAILS as it should".
"""
import subprocess, sys, pathlib
cases = [
 ("src/mlsd/plan.py", "        elif record is not None and _current(job, record, hashes):", "        elif False:", "tests/test_incremental.py::test_noop_build_touches_nothing_and_imports_no_design"),
 ("src/mlsd/output.py", "            finally:\n                clear_staging(self.root)", "            finally:\n                pass", "tests/test_incremental.py::test_no_temporary_or_staging_files_are_left"),
 ("src/mlsd/plan.py", "        elif record is not None and _current(job, record, hashes):", "        elif False:", "tests/test_incremental.py::test_unchanged_designs_are_neither_drawn_nor_filled_again"),
 ("src/mlsd/design_build.py", "        if any(data is None for data in files.values()):", "        if True:", "tests/test_incremental.py::test_unchanged_diagrams_are_not_laid_out_again"),
 ("src/mlsd/design_build.py", "        files = {self.path, *helpers,", "        files = {self.path,", "tests/test_incremental.py::test_a_helper_is_an_input_of_the_designs_that_import_it"),
 ("src/mlsd/design_build.py", "*(Path(i) for i in icons if not _shipped(i))}", "}", "tests/test_incremental.py::test_replacing_an_icon_redraws_the_diagrams_that_use_it"),
 ("designs/visual_search.py", "        rollout=(", '        rollout="" and (', "tests/test_designs.py::test_design_covers_every_stage_at_full_depth[visual_search]"),
 ("designs/visual_search.py", 'slug="visual-search"', 'slug="visual-search-2"', "tests/test_designs.py::test_the_ten_case_studies_load_with_their_slugs"),
 ("src/mlsd/workers.py", "    os._exit = _refuse_exit\n", "", "tests/test_isolation.py::test_a_design_that_exits_costs_only_itself[os_exit]"),
 ("src/mlsd/workers.py", "    _die_with(parent)\n", "", "tests/test_isolation.py::test_killing_a_build_kills_its_pdf_workers"),
 ("src/mlsd/workers.py", "    _silence()\n", "", "tests/test_isolation.py::test_a_design_that_prints_never_mixes_into_json_or_the_summary"),
 ("src/mlsd/output.py", "errno.EXDEV, ", "", "tests/test_isolation.py::test_output_folder_on_another_filesystem"),
 ("src/mlsd/output.py", "fcntl.LOCK_EX | fcntl.LOCK_NB", "fcntl.LOCK_SH | fcntl.LOCK_NB", "tests/test_isolation.py::test_a_second_build_into_the_same_folder_is_refused"),
]
for path, old, new, test in cases:
    p = pathlib.Path(path); text = p.read_text()
    assert old in text, (path, old)
    p.write_text(text.replace(old, new, 1))
    try:
        r = subprocess.run([".venv/bin/python", "-m", "pytest", "-q", "-x", test], capture_output=True, text=True)
    finally:
        p.write_text(text)
    print("FAILS as it should" if r.returncode else "STILL PASSES", "|", test.split("::")[1], "| fault:", path, new.strip()[:40])
