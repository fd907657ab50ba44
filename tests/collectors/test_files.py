"""The file collector on review exports: CSV (UTF-8 and GBK), JSONL, XLSX, re-imports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from collectors.base import SourceError
from collectors.files import FileCollector, FileSettings
from tests.collectors.file_helpers import JD_COLUMNS, posts_of, read, warnings_of

TAOBAO_COLUMNS = {
    "author": "买家昵称",
    "text": "评价内容",
    "published_at": "评价时间",
    "rating": "评分",
}


@pytest.fixture
def jd_batches(fixture_path):
    return read(
        fixture_path("jd_export_bad_rows.csv"), columns=JD_COLUMNS, timezone="Asia/Shanghai"
    )


def write_csv(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding, newline="")
    return path


def test_good_rows_are_kept_and_rows_that_cannot_be_read_are_skipped(jd_batches):
    assert [post.external_id for post in posts_of(jd_batches)] == [
        "1001",
        "1004",
        "1005",
        "1006",
        "1007",
    ]


def test_each_bad_row_is_reported_with_its_line_number(jd_batches):
    assert warnings_of(jd_batches) == [
        "line 3: 8 fields where the header has 6, row skipped",
        "line 4: empty text, row skipped",
        "line 5: unreadable date '上周三'",
        "line 6: rating '一星' is not a number",
        "line 11: empty text, row skipped",  # counted in file lines, past a 3-line quoted text
    ]


def test_row_with_a_bad_date_or_rating_keeps_its_other_values(jd_batches):
    by_id = {post.external_id: post for post in posts_of(jd_batches)}
    assert by_id["1004"].published_at is None and by_id["1004"].rating == 1.0
    assert by_id["1005"].rating is None and by_id["1005"].body == "包装破损，客服不理人"


def test_chinese_headers_are_mapped_through_columns(jd_batches):
    first = posts_of(jd_batches)[0]
    assert (first.body, first.author, first.rating) == ("手机很好用，物流也快", "jd_用户a", 5.0)
    assert first.url == "https://item.jd.com/100012.html"


def test_quoted_text_over_several_lines_is_one_post(jd_batches):
    post = next(post for post in posts_of(jd_batches) if post.external_id == "1006")
    assert post.body == "第一天就坏了\n联系客服三次\n没有回复"
    assert (
        next(p for p in posts_of(jd_batches) if p.external_id == "1007").body == "价格贵了,但质量好"
    )


def test_naive_dates_are_read_in_the_configured_zone_and_stored_as_utc(jd_batches):
    first = posts_of(jd_batches)[0]  # 2024-05-01 18:30:00 in Shanghai
    assert first.published_at == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert first.published_at.utcoffset().total_seconds() == 0


def test_naive_dates_are_utc_when_no_zone_is_configured(fixture_path):
    batches = read(fixture_path("jd_export_bad_rows.csv"), columns=JD_COLUMNS)
    assert posts_of(batches)[0].published_at == datetime(2024, 5, 1, 18, 30, tzinfo=UTC)


def test_gbk_export_is_decoded(fixture_path):
    batches = read(fixture_path("taobao_export_gbk.csv"), columns=TAOBAO_COLUMNS)
    bodies = [post.body for post in posts_of(batches)]
    assert bodies[0] == "质量很好，和描述一致"
    assert bodies[-1] == "发货太慢了，等了一个星期"
    assert posts_of(batches)[-1].author == "小**3"


def test_export_in_a_named_encoding_that_does_not_fit_raises_source_error(fixture_path):
    with pytest.raises(SourceError, match="not readable as utf-8"):
        read(fixture_path("taobao_export_gbk.csv"), columns=TAOBAO_COLUMNS, encoding="utf-8")


def test_utf8_export_with_a_byte_order_mark_finds_its_first_column(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeff评价内容,评分\n很好,5\n".encode())
    [post] = posts_of(read(path, columns={"text": "评价内容", "rating": "评分"}))
    assert (post.body, post.rating) == ("很好", 5.0)


def test_rows_without_an_id_column_get_the_same_ids_on_every_read(fixture_path):
    path = fixture_path("taobao_export_gbk.csv")
    first = [post.external_id for post in posts_of(read(path, columns=TAOBAO_COLUMNS))]
    again = [post.external_id for post in posts_of(read(path, columns=TAOBAO_COLUMNS))]
    assert first == again


def test_identical_rows_get_distinct_ids(fixture_path):
    posts = posts_of(read(fixture_path("taobao_export_gbk.csv"), columns=TAOBAO_COLUMNS))
    assert posts[1].body == posts[2].body == "此用户没有填写评价。"
    ids = [post.external_id for post in posts]
    assert len(set(ids)) == len(ids) == 4


def test_jsonl_bad_lines_are_reported_and_good_records_kept(fixture_path):
    batches = read(fixture_path("app_reviews.jsonl"))
    assert [post.external_id for post in posts_of(batches)] == ["ios-1", "ios-2", "ios-4"]
    assert warnings_of(batches) == [
        "line 3: not JSON (Unterminated string starting at), row skipped",
        "line 4: not a JSON object, row skipped",
    ]


def test_jsonl_values_of_every_type_are_read(fixture_path):
    by_id = {post.external_id: post for post in posts_of(read(fixture_path("app_reviews.jsonl")))}
    assert by_id["ios-1"].rating == 1.0 and by_id["ios-1"].title == "Crashes on launch"
    assert by_id["ios-2"].published_at == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert by_id["ios-4"].published_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # epoch
    # A review export holds what customers typed: markup in it is shown as typed.
    assert "<script>" in by_id["ios-4"].body and by_id["ios-4"].body_html is None


def test_html_setting_reads_the_text_column_as_html_and_keeps_the_raw(fixture_path):
    posts = posts_of(read(fixture_path("app_reviews.jsonl"), html=True))
    by_id = {post.external_id: post for post in posts}
    assert by_id["ios-4"].body == "Love the new widget"
    assert "<script>" in by_id["ios-4"].body_html


def test_xlsx_export_rows_become_posts(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["评论ID", "评价内容", "评分", "评价时间"])
    sheet.append([3001, "屏幕很清晰", 5, datetime(2024, 5, 1, 18, 30)])
    sheet.append([None, None, None, None])
    sheet.append([3002, "", 1, datetime(2024, 5, 2, 9, 0)])
    sheet.append([3003, "退款一直没到账", "差评", "2024-05-03 08:00"])
    path = tmp_path / "tmall.xlsx"
    workbook.save(path)
    columns = {"id": "评论ID", "text": "评价内容", "rating": "评分", "published_at": "评价时间"}
    batches = read(path, columns=columns, timezone="Asia/Shanghai")
    posts = posts_of(batches)
    assert [(p.external_id, p.body) for p in posts] == [
        ("3001", "屏幕很清晰"),
        ("3003", "退款一直没到账"),
    ]
    assert posts[0].rating == 5.0
    assert posts[0].published_at == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert warnings_of(batches) == [
        "line 4: empty text, row skipped",  # sheet row numbers, the blank row 3 counted
        "line 5: rating '差评' is not a number",
    ]


def test_damaged_xlsx_raises_source_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError, match="not a readable XLSX workbook"):
        read(path)


def test_missing_text_column_raises_source_error_naming_the_column(fixture_path):
    with pytest.raises(SourceError, match="'评价正文'"):
        read(fixture_path("jd_export_bad_rows.csv"), columns=JD_COLUMNS | {"text": "评价正文"})


def test_unknown_columns_key_is_rejected(fixture_path):
    with pytest.raises(SourceError, match="unknown field 'body'"):
        FileCollector(
            FileSettings(path=str(fixture_path("app_reviews.jsonl")), columns={"body": "x"})
        )


@pytest.mark.parametrize(
    ("name", "message"),
    [("reviews.xls", "unsupported file type"), ("absent.csv", "No such file")],
)
def test_unreadable_source_file_raises_source_error(tmp_path, name, message):
    if name.endswith(".xls"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SourceError, match=message):
        read(tmp_path / name)


def test_file_over_the_size_limit_is_refused(fixture_path):
    with pytest.raises(SourceError, match="100-byte limit"):
        read(fixture_path("jd_export_bad_rows.csv"), columns=JD_COLUMNS, max_bytes=100)


def test_tab_separated_export_is_read(tmp_path):
    path = write_csv(tmp_path / "reviews.tsv", ["id\ttext", "1\tcomma, inside", "2\tsecond"])
    assert [post.body for post in posts_of(read(path))] == ["comma, inside", "second"]


def test_mapped_column_missing_from_the_header_is_named(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("评论ID,评价内容\n1,好\n", encoding="utf-8")
    collector = FileCollector(
        FileSettings(path=str(path), columns={"id": "评价ID", "text": "评价内容"})
    )
    with pytest.raises(SourceError, match="columns.id: '评价ID' is not in the file's header"):
        list(collector.fetch({}))
