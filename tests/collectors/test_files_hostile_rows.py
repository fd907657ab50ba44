"""Exports with one hostile row: the row is skipped by line number, every good row is kept."""

from __future__ import annotations

import zipfile

from sqlalchemy import func, select

from data import connect
from data.schema import posts
from hundredfold.config import config_from_table
from hundredfold.pipeline import collect
from tests.collectors.file_helpers import posts_of, read


def warnings_of(batches):
    """Every warning of every batch, in order."""
    return [warning for _, warnings in batches for warning in warnings]


def utf8_export_with_two_bad_bytes(path, rows=2_000, bad_row=1_000):
    """A UTF-8 CSV export of `rows` reviews, one of them carrying two undecodable bytes."""
    lines = [b"id,text"]
    for n in range(1, rows + 1):
        text = f"评价 {n} 退款很慢".encode()
        lines.append(b"%d,%s" % (n, text + b"\xff\xfe" if n == bad_row else text))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


def test_two_undecodable_bytes_cost_their_row_not_the_file(tmp_path):
    batches = read(utf8_export_with_two_bad_bytes(tmp_path / "reviews.csv"))
    stored = posts_of(batches)
    assert len(stored) == 1_999 and "1000" not in {post.external_id for post in stored}
    assert stored[998].body == "评价 999 退款很慢" and stored[999].body == "评价 1001 退款很慢"
    assert warnings_of(batches) == ["line 1001: not readable as utf-8-sig, row skipped"]


def test_a_gbk_export_with_a_broken_row_is_read_as_gb18030_line_by_line(tmp_path):
    path = tmp_path / "taobao.csv"
    rows = ["评论ID,评价内容", "1,物流太慢了", "2,客服态度很好", "3,退款还没到账"]
    data = [row.encode("gbk") for row in rows]
    data[2] = data[2] + b"\xff"  # no GB18030 sequence starts with 0xFF
    path.write_bytes(b"\n".join(data) + b"\n")
    batches = read(path, columns={"id": "评论ID", "text": "评价内容"})
    assert [post.body for post in posts_of(batches)] == ["物流太慢了", "退款还没到账"]
    assert warnings_of(batches) == ["line 3: not readable as gb18030, row skipped"]


def test_an_undecodable_line_inside_a_quoted_field_skips_that_record_only(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_bytes(
        b'id,text\n1,"first line\nsecond \xff line"\n2,"whole, and fine"\n3,also fine\n'
    )
    batches = read(path)
    assert [post.body for post in posts_of(batches)] == ["whole, and fine", "also fine"]
    assert warnings_of(batches) == ["line 2: not readable as utf-8-sig, row skipped"]


def test_absurd_numbers_and_deep_nesting_in_jsonl_cost_their_lines(tmp_path):
    path = tmp_path / "app_reviews.jsonl"
    lines = [
        '{"id": "a", "text": "app crashes on login"}',
        '{"id": "b", "text": "huge", "rating": ' + "9" * 5_000 + "}",
        '{"id": "c", "text": "deep", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "d", "text": "rating is not finite", "rating": 1e999}',
        '{"id": "e", "text": "refund arrived", "rating": NaN}',
        '{"id": "f", "text": "fine again", "rating": 4}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batches = read(path)
    assert [post.external_id for post in posts_of(batches)] == ["a", "d", "e", "f"]
    assert [post.rating for post in posts_of(batches)] == [None, None, None, 4.0]
    assert warnings_of(batches) == [
        "line 2: a number too long to read, row skipped",
        "line 3: nested too deeply to read, row skipped",
        "line 4: rating 'inf' is not a number",
        "line 5: rating 'nan' is not a number",
    ]


def xlsx_with_raw_cells(tmp_path, raw_rows: dict[int, str]):
    """A workbook whose sheet XML has rows replaced by hand-written (hostile) markup."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["id", "text"])
    for n in range(1, 6):
        workbook.active.append([n, f"review {n}"])
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for number, markup in raw_rows.items():
                    start = text.index(f'<row r="{number}"')
                    end = text.index("</row>", start) + len("</row>")
                    text = text[:start] + markup + text[end:]
                data = text.encode()
            target.writestr(item, data)
    return hostile


def test_unreadable_worksheet_cells_cost_their_rows_not_the_sheet(tmp_path):
    path = xlsx_with_raw_cells(
        tmp_path,
        {
            3: f'<row r="3"><c r="A3"><v>{"9" * 5_000}</v></c><c r="B3" t="s"><v>0</v></c></row>',
            4: '<row r="4"><c r="A4"><v>4</v></c><c r="B4" t="s"><v>99999</v></c></row>',
            5: '<row r="5"><c r="A5" t="b"><v>maybe</v></c><c r="B5" t="str"><v>x</v></c></row>',
        },
    )
    batches = read(path)
    assert [post.body for post in posts_of(batches)] == ["review 1", "review 5"]
    warnings = warnings_of(batches)
    assert [warning.split(":")[0] for warning in warnings] == ["line 3", "line 4", "line 5"]
    assert all(warning.endswith("row skipped") for warning in warnings)
    assert "ValueError" in warnings[0] and "IndexError" in warnings[1]


def test_the_export_is_stored_without_its_undecodable_row_on_every_run(database_url, tmp_path):
    path = utf8_export_with_two_bad_bytes(tmp_path / "reviews.csv")
    source = {"kind": "file", "name": "reviews", "path": str(path)}
    config = config_from_table({"database_url": database_url, "source": [source]})
    engine = connect(database_url)
    [first] = collect(config, engine)
    [again] = collect(config, engine)
    assert first.status == "warning" and first.counts.posts_new == 1_999
    assert first.warnings == ["line 1001: not readable as utf-8-sig, row skipped"]
    assert again.counts.posts_new == 0
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(posts)).scalar_one() == 1_999


def test_lone_surrogates_in_a_jsonl_export_are_dropped_and_the_rows_stored(database_url, tmp_path):
    path = tmp_path / "reviews.jsonl"
    path.write_text(
        '{"id": "r-1\\ud800", "text": "bad \\udfff refund", "url": "https://x.example/\\ud83d"}\n'
        '{"id": "r-2", "text": "fine"}\n',
        encoding="utf-8",
    )
    source = {"kind": "file", "name": "reviews", "path": str(path)}
    config = config_from_table({"database_url": database_url, "source": [source]})
    engine = connect(database_url)
    [outcome] = collect(config, engine)
    assert outcome.error is None and outcome.counts.posts_new == 2
    with engine.connect() as connection:
        rows = connection.execute(select(posts.c.external_id, posts.c.body, posts.c.url)).all()
    assert sorted(rows) == [("r-1", "bad refund", "https://x.example/"), ("r-2", "fine", "")]
