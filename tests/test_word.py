"""The 预算说明 .docx: a skeleton built once with python-docx, filled in as plain XML at run time.

python-docx (a test dependency) reads every produced document back: paragraphs, styles, fonts,
page, footer and properties are what Word, WPS and LibreOffice will show.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_INPUT, ROOT
from tests.lo import convert_to_pdf
from tests.scripts import load_script
from xlbudget.narrative.text import Block
from xlbudget.narrative.word import STYLES, write_docx
from xlbudget.pipeline import Outcome

SKELETON = ROOT / "xlbudget" / "data" / "word" / "skeleton.docx"
BLOCKS = [Block("title", "2024年测试部门预算说明"), Block("part", "目录"), Block("item", "第一部分 概况"),
          Block("part", "第一部分 概况"), Block("section", "一、主要职能"), Block("subsection", "（一）职责"),
          Block("paragraph", "收入 1,234.56 万元 & 支出 <1> “引号” 'a'\t制表"),
          Block("paragraph", "第二段。")]


def _write(tmp_path: Path, blocks: list[Block] = BLOCKS, name: str = "说明.docx") -> Path:
    path = tmp_path / name
    write_docx(path, "2024年测试部门预算说明", "测试部门 & 单位", blocks)
    return path


def test_the_skeleton_is_rebuilt_identically_by_its_script() -> None:
    assert load_script("build_docx_skeleton").skeleton() == SKELETON.read_bytes(), "run scripts/build_docx_skeleton.py"


def test_paragraphs_are_the_blocks_in_their_styles(tmp_path: Path) -> None:
    document = Document(str(_write(tmp_path)))
    assert [(p.text, p.style.name) for p in document.paragraphs] == [
        (b.text, STYLES[b.kind].name) for b in BLOCKS]
    parts = [p.paragraph_format.page_break_before for p in document.paragraphs if p.style.name == "Heading 1"]
    assert parts == [False, True]  # 目录 stays under the title; each part starts a page


def test_styles_set_sizes_and_latin_and_east_asian_fonts(tmp_path: Path) -> None:
    document = Document(str(_write(tmp_path)))
    for spec in STYLES.values():
        style = document.styles[spec.name]
        fonts = style.element.rPr.rFonts
        assert (spec.name, fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))) == (
            spec.name, spec.font, "Times New Roman")
        assert (style.font.size.pt, bool(style.font.bold)) == (spec.size, spec.bold)
    assert document.styles["Heading 3"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert document.styles["Normal"].paragraph_format.first_line_indent.pt == 32
    table = zipfile.ZipFile(tmp_path / "说明.docx").read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>' in table


def test_page_footer_and_properties(tmp_path: Path) -> None:
    document = Document(str(_write(tmp_path)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.top_margin.cm, 1), round(section.left_margin.cm, 1)) == (3.7, 2.8)
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —" and " PAGE " in footer._p.xml
    props = document.core_properties
    assert (props.title, props.author, props.last_modified_by) == (
        "2024年测试部门预算说明", "测试部门 & 单位", "测试部门 & 单位")
    assert (props.created.year, props.modified.year, props.revision) == (2000, 2000, 1)
    assert props.comments == "由 xlbudget 根据预算公开表数据生成"


def test_the_same_text_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = _write(tmp_path, name="a.docx"), _write(tmp_path, name="b.docx")
    assert first.read_bytes() == second.read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(first).infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_an_empty_author_leaves_the_property_empty(tmp_path: Path) -> None:
    path = tmp_path / "无名.docx"
    write_docx(path, "", "", [Block("paragraph", "正文")])
    document = Document(str(path))
    assert (document.core_properties.title, document.core_properties.author) == ("", "")
    assert [p.text for p in document.paragraphs] == ["正文"]


def test_compiling_does_not_import_python_docx(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from xlbudget.pipeline import compile_workbook\n"
            f"outcome = compile_workbook([Path({str(EXAMPLE_INPUT)!r})], Path({str(tmp_path / '公开表.xlsx')!r}))\n"
            "print(sorted(p.suffix for p in outcome.outputs), 'docx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['.docx',", "'.md',", "'.xlsx']", "False"]


def test_libreoffice_prints_the_filled_document(tmp_path: Path, luoyang: Outcome) -> None:
    from xlbudget.narrative import build_narrative
    from xlbudget.profile import load_profile

    assert luoyang.budget is not None
    (docx,) = build_narrative(luoyang.budget, luoyang.tables, load_profile()).write(tmp_path / "说明", ("docx",))
    pdf = convert_to_pdf(docx, tmp_path / "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = ["".join(page.split()) for page in text.split("\f")]  # pdftotext spaces and wraps CJK
    assert len([p for p in pages if p]) >= 4
    assert pages[0].startswith("2022年洛阳市政务服务和大数据管理局预算说明目录") and pages[0].endswith("—1—")
    assert pages[1].startswith("第一部分洛阳市政务服务和大数据管理局概况") and pages[1].endswith("—2—")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "Noto" in fonts  # the East Asian text was set in a Chinese face


# Text as the templates and a clerk's 说明事项 give it: one line, any character XML allows.
LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029")
               | st.sampled_from("\t &<>\"'"), max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(LINE, min_size=1, max_size=4), title=LINE)
def test_any_text_reads_back_unchanged(tmp_path: Path, texts: list[str], title: str) -> None:
    path = tmp_path / "任意.docx"
    write_docx(path, title, title, [Block("paragraph", text) for text in texts])
    document = Document(str(path))
    assert [p.text for p in document.paragraphs] == texts
    assert document.core_properties.title == title


def test_the_docx_is_the_zip_zipfile_writes() -> None:
    """The parts left as the skeleton stores them are copied, not inflated and deflated again:
    the file is still exactly what zipfile writes for the same parts (deflated, fixed times)."""
    import io
    from datetime import datetime

    from xlbudget.narrative.word import docx_bytes

    content = [Block("title", "标题 & <说明>"), Block("paragraph", "正文\t制表")]
    made = docx_bytes("标题", "某部门", content)
    reference = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made)) as parts, zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as out:
        for item in parts.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=datetime(2000, 1, 1).timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            out.writestr(info, parts.read(item.filename))
    assert made == reference.getvalue()
