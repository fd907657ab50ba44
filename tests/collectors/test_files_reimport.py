"""The file collector across runs (grown, unchanged, rewritten files) and rows that break."""

from __future__ import annotations

import json
import shutil

from collectors.files import BATCH_ROWS
from tests.collectors.file_helpers import (
    JD_COLUMNS,
    append_lines,
    ids_of,
    last_state,
    read,
    warnings_of,
    write_lines,
)


def test_reimport_of_a_grown_file_yields_only_the_new_rows(tmp_path):
    path = write_lines(tmp_path / "reviews.csv", ["id,text", "1,first", "2,second"])
    first = read(path)
    append_lines(path, ["3,third", "4,fourth"])
    assert ids_of(read(path, last_state(first))) == ["3", "4"]


def test_reimport_of_an_unchanged_file_yields_no_posts(tmp_path):
    path = write_lines(tmp_path / "reviews.csv", ["id,text", "1,first", "2,second"])
    first = read(path)
    again = read(path, last_state(first))
    assert ids_of(again) == []
    assert last_state(again)["rows_done"] == 2


def test_file_rewritten_at_the_top_is_read_whole(tmp_path):
    path = write_lines(tmp_path / "reviews.csv", ["id,text", "1,first", "2,second"])
    first = read(path)
    write_lines(path, ["id,text", "9,newest on top", "1,first", "2,second"])
    assert ids_of(read(path, last_state(first))) == ["9", "1", "2"]


def test_new_rows_of_a_grown_file_without_ids_get_the_ids_a_full_read_gives(tmp_path):
    path = write_lines(tmp_path / "reviews.csv", ["text,rating", "好,5", "好,5"])
    first = read(path)
    append_lines(path, ["好,5", "差,1"])
    incremental = ids_of(first) + ids_of(read(path, last_state(first)))
    assert incremental == ids_of(read(path))
    assert len(set(incremental)) == 4


def test_grown_jsonl_file_yields_only_the_new_records(fixture_path, tmp_path):
    path = shutil.copy(fixture_path("app_reviews.jsonl"), tmp_path / "reviews.jsonl")
    first = read(path)
    append_lines(path, [json.dumps({"id": "ios-5", "text": "Fixed in 4.3, thanks"})])
    assert ids_of(read(path, last_state(first))) == ["ios-5"]


def test_large_file_comes_in_batches_each_with_a_checkpoint_to_resume_from(tmp_path):
    total = BATCH_ROWS * 2 + 37
    path = write_lines(
        tmp_path / "big.csv", ["id,text"] + [f"{n},review {n}" for n in range(total)]
    )
    batches = read(path)
    assert [len(batch.posts) for batch, _ in batches] == [BATCH_ROWS, BATCH_ROWS, 37]
    # a run that stopped after storing the first batch resumes right after it
    resumed = read(path, batches[0][0].state)
    assert ids_of(resumed) == [str(n) for n in range(BATCH_ROWS, total)]


def test_reimport_does_not_repeat_warnings_about_rows_read_before(fixture_path, tmp_path):
    path = shutil.copy(fixture_path("jd_export_bad_rows.csv"), tmp_path / "jd.csv")
    first = read(path, columns=JD_COLUMNS)
    append_lines(path, ["2001,jd_用户z,,5,2024-06-01 10:00:00,https://item.jd.com/1.html"])
    again = read(path, last_state(first), columns=JD_COLUMNS)
    assert warnings_of(again) == ["line 12: empty text, row skipped"]


def test_reimport_of_a_grown_jsonl_file_does_not_repeat_its_bad_lines(fixture_path, tmp_path):
    path = shutil.copy(fixture_path("app_reviews.jsonl"), tmp_path / "reviews.jsonl")
    first = read(path)
    append_lines(path, [json.dumps({"id": "ios-5", "text": "ok"})])
    assert warnings_of(read(path, last_state(first))) == []


def test_bad_row_after_the_first_batch_is_reported_with_a_later_batch(tmp_path):
    lines = ["id,text"] + [f"{n},review {n}" for n in range(BATCH_ROWS + 100)]
    lines[BATCH_ROWS + 50] = "x,too,many,fields"  # file line BATCH_ROWS + 51
    batches = read(write_lines(tmp_path / "big.csv", lines))
    assert warnings_of(batches) == [
        f"line {BATCH_ROWS + 51}: 4 fields where the header has 2, row skipped"
    ]


def test_short_row_without_the_text_field_is_reported_and_the_rest_read(tmp_path):
    path = write_lines(tmp_path / "reviews.csv", ["id,rating,text", "1,5,good", "2,4", "3,1,bad"])
    batches = read(path)
    assert ids_of(batches) == ["1", "3"]
    assert len(warnings_of(batches)) == 1 and warnings_of(batches)[0].startswith("line 3:")


def test_jsonl_record_without_text_is_reported_and_the_rest_read(tmp_path):
    records = [{"id": 1, "text": "ok"}, {"id": 2, "rating": 5}, {"id": 3, "text": "fine"}]
    path = write_lines(tmp_path / "reviews.jsonl", [json.dumps(r) for r in records])
    batches = read(path)
    assert ids_of(batches) == ["1", "3"]
    assert len(warnings_of(batches)) == 1 and warnings_of(batches)[0].startswith("line 2:")


def test_jsonl_text_with_a_unicode_line_separator_is_one_record(tmp_path):
    # json.dumps(ensure_ascii=False) writes U+2028 raw; it is not a line break in JSON Lines.
    records = [{"id": "a", "text": "第一行\u2028第二行"}, {"id": "b", "text": "next"}]
    path = write_lines(
        tmp_path / "reviews.jsonl", [json.dumps(r, ensure_ascii=False) for r in records]
    )
    batches = read(path)
    assert ids_of(batches) == ["a", "b"]
    assert warnings_of(batches) == []
